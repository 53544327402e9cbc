"""Credit repair (信用修复) and pre-warnings (预警提醒) of the user's department: thin views.

The department that decided a record reviews the applications to repair it: staff see them,
the department's leader decides (the colour engine's `repair_decide`, which records the step).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.access import LEADERS, require_department, workspace_view
from supervision.forms.repair import RepairDecisionForm
from supervision.selectors import repair as selectors
from warning_system.classification.models import RepairStatus
from warning_system.classification.services import RepairError, repair_decide


def _may_decide(staff, application) -> bool:
    """Only the deciding department's leader: an administrator elsewhere may look, not decide."""
    return staff.role in LEADERS and staff.department_id == application.department_id


@workspace_view
def application_list(request: HttpRequest) -> HttpResponse:
    filterset, found = selectors.department_applications(request.staff, request.GET)
    page = selectors.page_of(found, request.GET.get("page"))
    return render(request, "supervision/repair/list.html", {"form": filterset.form, "page": page})


@workspace_view
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications(), pk=pk)
    require_department(request.staff, application.department_id)
    context = {
        "application": application,
        "detail": selectors.application_detail(application),
        "may_decide": application.status == RepairStatus.PENDING and _may_decide(request.staff, application),
        "form": RepairDecisionForm(),
    }
    return render(request, "supervision/repair/detail.html", context)


@require_POST
@workspace_view(roles=LEADERS)
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(selectors.applications(), pk=pk)
    require_department(request.staff, application.department_id)
    if not _may_decide(request.staff, application):
        raise PermissionDenied(f"repair application of department {application.department_id}")
    form = RepairDecisionForm(request.POST)
    if form.is_valid():
        try:
            repair_decide(
                application=application, approve=form.approve, reviewer=request.user,
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except RepairError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("已同意修复，该记录不再计入颜色。") if form.approve else _("已驳回。")
            )
            return redirect("supervision:repair_detail", pk=application.pk)
    context = {
        "application": application,
        "detail": selectors.application_detail(application),
        "may_decide": application.status == RepairStatus.PENDING,
        "form": form,
    }
    return render(request, "supervision/repair/detail.html", context, status=400)


@workspace_view
def pre_warning_list(request: HttpRequest) -> HttpResponse:
    warnings = selectors.department_pre_warnings(request.staff.department_id)
    page = selectors.pre_warning_page(warnings, request.GET.get("page"))
    return render(request, "supervision/repair/prewarnings.html", {"page": page})
