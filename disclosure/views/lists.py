"""Colour lists, their CSV exports and the statistics page (thin: reads come from selectors.statistics)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from ..selectors import statistics as selectors

# Cells a spreadsheet would run as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _list_colour(colour: str) -> str:
    if colour not in selectors.LIST_COLOURS:
        raise Http404
    return colour


def colour_list(request: HttpRequest, colour: str) -> HttpResponse:
    # `lists/<colour>` is routed before `lists/<colour>.csv` and matches it too.
    if colour.endswith(".csv"):
        return colour_list_csv(request, colour.removesuffix(".csv"))
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


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value: str) -> str:
        return value


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    yield "\ufeff"  # BOM: Excel opens UTF-8 as UTF-8 only with it
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([_safe(cell) for cell in row])


def colour_list_csv(request: HttpRequest, colour: str) -> StreamingHttpResponse:
    colour = _list_colour(colour)
    response = StreamingHttpResponse(
        _csv_lines(selectors.export_rows(colour, request.GET)), content_type="text/csv; charset=utf-8"
    )
    filename = f"{colour}-list-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def statistics(request: HttpRequest) -> HttpResponse:
    context = {
        "mixes": selectors.colour_mixes(),
        "trend": selectors.colour_trend(),
        "days": selectors.TREND_DAYS,
    }
    return render(request, "disclosure/statistics.html", context)
