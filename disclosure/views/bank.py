"""Bank and procurement batch checks (placeholder until implemented)."""

from django.http import HttpResponse


def batch_check(request):
    return HttpResponse(status=501)


def batch_download(request):
    return HttpResponse(status=501)
