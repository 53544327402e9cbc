"""The enterprise's home and its 告知书: thin views over enterprises.selectors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from enterprises import selectors
from enterprises.access import enterprise_view
from warning_system.notices import dual_notices


@require_GET
@enterprise_view
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "enterprises/home.html", {"home": selectors.enterprise_home(request.enterprise)})


@require_GET
@enterprise_view
def notice(request: HttpRequest) -> HttpResponse:
    """The 告知书 as the registration authority printed it, for the enterprise's own records."""
    context = {"subject": request.enterprise.subject, "notices": dual_notices(request.enterprise.subject_id)}
    return render(request, "enterprises/notice.html", context)
