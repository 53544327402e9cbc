"""Colour lists, their CSV exports and the statistics page (thin: reads come from selectors.statistics)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from warning_system.spreadsheets import csv_lines

from ..selectors import statistics as selectors


def _list_colour(colour: str) -> str:
    if colour not in selectors.LIST_COLOURS:
        raise Http404
    return colour


def colour_list(request: HttpRequest, colour: str) -> HttpResponse:
    colour = _list_colour(colour)
    filterset, queryset = selectors.colour_list(colour, request.GET)
    listing = selectors.list_page(queryset, request.GET.get("page"))
    context = {
        "colour": colour,
        "colour_label": selectors.colour_label(colour),
        "title": selectors.LIST_TITLES[colour],
        "form": filterset.form,
        "listing": listing,
        "page_size": selectors.PAGE_SIZE,
        "max_pages": selectors.MAX_PAGES,
        "max_rows": selectors.PAGE_SIZE * selectors.MAX_PAGES,
    }
    status = 200 if listing.found else 404
    return render(request, "disclosure/colour_list.html", context, status=status)


def colour_list_csv(request: HttpRequest, colour: str) -> StreamingHttpResponse:
    colour = _list_colour(colour)
    response = StreamingHttpResponse(
        csv_lines(selectors.export_rows(colour, request.GET)), content_type="text/csv; charset=utf-8"
    )
    filename = f"{colour}-list-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def statistics(request: HttpRequest) -> HttpResponse:
    context = {
        "mixes": selectors.colour_mixes(),
        "trend": selectors.colour_trend(),
        "days": selectors.TREND_DAYS,
        "disqualifications": selectors.disqualifications(),
    }
    return render(request, "disclosure/statistics.html", context)
