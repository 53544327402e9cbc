"""Colour lists and statistics (placeholder until implemented)."""

from django.http import HttpResponse


def colour_list(request, colour):
    return HttpResponse(status=501)


def colour_list_csv(request, colour):
    return HttpResponse(status=501)


def statistics(request):
    return HttpResponse(status=501)
