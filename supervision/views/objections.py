"""异议申诉 in the workspace: the department that sent a disputed record acknowledges the objection
and concludes it (upholding the record with a written reason; a corrected or withdrawn delivery closes
it by itself). Overdue objections are listed first, marked as escalated to the leader."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from supervision.access import require_department, require_own_department, workspace_view
from warning_system.objections import selectors
from warning_system.objections.services import ObjectionError, objection_acknowledge, objection_uphold


class UpholdForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("维持原记录的理由"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


@require_GET
@workspace_view
def objection_list(request: HttpRequest) -> HttpResponse:
    found = selectors.department_objections(request.staff.department_id)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "supervision/objections/list.html", {"page": page, "today": timezone.localdate()})


def _detail(request, objection, form, status=200):
    context = {
        "objection": objection, "form": form, "today": timezone.localdate(),
        "may_act": objection.is_open and request.staff.department_id == objection.department_id,
    }  # fmt: skip
    return render(request, "supervision/objections/detail.html", context, status=status)


@require_GET
@workspace_view
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(selectors.objections(), pk=pk)
    require_department(request.staff, objection.department_id)
    return _detail(request, objection, UpholdForm())


@require_POST
@workspace_view
def objection_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(selectors.objections(), pk=pk)
    require_own_department(request.staff, objection.department_id)
    try:
        objection_acknowledge(objection=objection, actor=request.user)
    except ObjectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已受理。"))
    return redirect("supervision:objection_detail", pk=objection.pk)


@require_POST
@workspace_view
def objection_uphold_view(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(selectors.objections(), pk=pk)
    require_own_department(request.staff, objection.department_id)
    form = UpholdForm(request.POST)
    if form.is_valid():
        try:
            objection_uphold(objection=objection, actor=request.user, reason=form.cleaned_data["reason"])
        except ObjectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已维持原记录，理由已告知企业。"))
            return redirect("supervision:objection_detail", pk=objection.pk)
    return _detail(request, objection, form, status=400)
