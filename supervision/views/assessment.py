"""部门考核 pages: the ranked scorecard of a month, a department's trend, the drill-down to the records
that cost points, and their CSV exports. Thin: each parses input, calls selectors (which check who
may see which department) and renders; looks at another department and exports enter the trail."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from supervision.access import workspace_view
from supervision.filters.assessment import AssessmentFindingFilter
from supervision.forms.assessment import MonthForm
from supervision.selectors import assessment as selectors
from supervision.services import assessment as services
from supervision.views.audit import _csv_lines


def _requested_month(request: HttpRequest) -> tuple[MonthForm, date | None]:
    """The month asked for, else the newest assessed one (None when nothing was assessed yet)."""
    form = MonthForm(request.GET)
    month = form.cleaned_data["month"] if form.is_valid() else None
    if month is None:
        months = selectors.assessed_months()
        month = months[0] if months else None
    return form, month


def _month(year: int, month: int) -> date:
    try:
        return date(year, month, 1)
    except (ValueError, OverflowError) as invalid:  # a month 13, or a year past any C long
        raise Http404 from invalid


def _csv(rows, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@workspace_view
def assessment_scorecard(request: HttpRequest) -> HttpResponse:
    form, month = _requested_month(request)
    board = selectors.scorecard(request.staff, month) if month else None
    return render(
        request,
        "supervision/assessment/scorecard.html",
        dict(form=form, board=board, months=selectors.assessed_months(), policy=selectors.policy_current()),
    )


@require_GET
@workspace_view
def assessment_export(request: HttpRequest) -> HttpResponse:
    form, month = _requested_month(request)
    if month is None:
        raise Http404
    services.assessment_export_record(user=request.user, department_id=None if request.staff.is_admin
                                      else request.staff.department_id, month=month, what="scorecard",
                                      filters={})  # fmt: skip
    return _csv(selectors.scorecard_rows(request.staff, month), f"assessment-{month:%Y-%m}.csv")


@require_GET
@workspace_view
def assessment_trend(request: HttpRequest, code: str) -> HttpResponse:
    form, month = _requested_month(request)
    data = selectors.trend(request.staff, code, month or timezone.localdate().replace(day=1))
    services.assessment_view_record(
        user=request.user, staff=request.staff, department_id=code, month=data.last
    )
    return render(request, "supervision/assessment/trend.html", dict(trend=data, form=form))


@require_GET
@workspace_view
def assessment_findings(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    score = selectors.score_for(request.staff, code, _month(year, month))
    filterset = AssessmentFindingFilter(request.GET, queryset=selectors.findings(score))
    page = selectors.findings_page(filterset.qs, request.GET.get("page"))
    services.assessment_view_record(
        user=request.user, staff=request.staff, department_id=code, month=score.month
    )
    return render(
        request,
        "supervision/assessment/findings.html",
        dict(score=score, form=filterset.form, page=page, rows=selectors.finding_rows(page.object_list)),
    )


@require_GET
@workspace_view
def assessment_findings_export(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    score = selectors.score_for(request.staff, code, _month(year, month))
    filterset = AssessmentFindingFilter(request.GET, queryset=selectors.findings(score))
    findings = filterset.qs  # validates the form: cleaned_data holds the filters applied
    services.assessment_export_record(
        user=request.user, department_id=code, month=score.month, what="findings",
        filters={k: v for k, v in filterset.form.cleaned_data.items() if v not in (None, "")},
    )  # fmt: skip
    return _csv(selectors.finding_export_rows(findings), f"assessment-{code}-{score.month:%Y-%m}.csv")
