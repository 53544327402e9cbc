"""监管留痕: the audit search of leaders and administrators, and its CSV export (thin: reads come
from warning_system.audit.selectors, which scope a leader to their department)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from supervision.access import LEADERS, workspace_view
from warning_system.audit import selectors
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

PAGE_SIZE = 50
# Spreadsheets run a cell starting with these as a formula (CSV injection): such cells are written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@workspace_view(roles=LEADERS)
def audit_search(request: HttpRequest) -> HttpResponse:
    filterset = selectors.audit_entries(staff=request.staff, data=request.GET)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "supervision/audit/search.html", {"form": filterset.form, "page": page})


@workspace_view(roles=LEADERS)
def audit_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV; the export itself enters the trail, with its filters."""
    filterset = selectors.audit_entries(staff=request.staff, data=request.GET)
    entries = filterset.qs  # validates the form: cleaned_data holds the filters applied
    audit_record(
        action=Action.EXPORT, actor=request.user, object_type="audit.auditentry",
        after={"filters": {k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")}},
    )  # fmt: skip
    response = StreamingHttpResponse(
        _csv_lines(selectors.export_rows(entries)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate().isoformat()}.csv"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV (CRLF) after a BOM, so that Excel reads UTF-8; cells never run as formulas."""
    yield "\ufeff"
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    for row in rows:
        yield writer.writerow(["'" + cell if cell.startswith(FORMULA_STARTS) else cell for cell in row])
