"""The baseline of bench/portal: a bare 2 KB Django view (no query, no template) served by the same
gunicorn through the same middleware as the portal's pages."""

from django.http import HttpResponse
from django.urls import include, path

BODY = ("<!doctype html><title>bare</title>" + "x" * 2000).encode()


def bare(request):
    return HttpResponse(BODY)


urlpatterns = [path("bench/bare", bare), path("", include("warning_system.urls"))]
