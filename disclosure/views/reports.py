"""Credit reports (placeholder until implemented)."""

from django.http import HttpResponse


def issue_report(request, uscc):
    return HttpResponse(status=501)


def report(request, number):
    return HttpResponse(status=501)


def report_pdf(request, number):
    return HttpResponse(status=501)


def verify_report(request):
    return HttpResponse(status=501)
