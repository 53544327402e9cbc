"""Credit reports: issue one from the subject page, print it, download it as PDF, verify it.

Thin: what a report contains and how it is checked lives in services.reports.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from ..models import CreditReport
from ..services import report_pdf as pdf_reports
from ..services import reports


def _verify_url(request, number: str) -> str:
    return request.build_absolute_uri(
        reverse("disclosure:verify-report") + "?" + urlencode({"number": number})
    )


@require_POST
def issue_report(request, uscc: str):
    try:
        report = reports.report_issue(uscc)
    except reports.ReportError as error:
        raise Http404(str(error)) from error
    return redirect("disclosure:report", number=report.number)


@require_safe
def report(request, number: str):
    credit_report = get_object_or_404(CreditReport, number=number)
    return render(
        request,
        "disclosure/report.html",
        {
            "report": credit_report,
            "snapshot": credit_report.snapshot,
            "subject_facts": reports.subject_facts(credit_report.snapshot),
            "verify_url": _verify_url(request, credit_report.number),
        },
    )


@require_safe
def report_pdf(request, number: str):
    credit_report = get_object_or_404(CreditReport, number=number)
    content = pdf_reports.report_pdf(credit_report, _verify_url(request, credit_report.number))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="credit-report-{credit_report.number}.pdf"'
    return response


@require_safe
def verify_report(request):
    number = reports.normalize_number(request.GET.get("number", ""))
    verification = reports.report_verify(number) if number else None
    return render(
        request,
        "disclosure/report_verify.html",
        {"number": number, "verification": verification},
        status=404 if number and verification is None else 200,
    )
