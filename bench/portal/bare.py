"""The baseline of bench/portal: the project's own settings and URLs, plus one bare Django view
(2 KB, no query, no template) served by the same gunicorn through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path

from warning_system.settings import *  # noqa: F403

ROOT_URLCONF = "bench.portal.bare"
BODY = ("<!doctype html><title>bare</title>" + "x" * 2000).encode()


def bare(request):
    return HttpResponse(BODY)


urlpatterns = [path("bench/bare", bare), path("", include("warning_system.urls"))]
