"""异议申诉: dispute one of the enterprise's own records, follow the objection, read the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises import selectors
from enterprises.access import enterprise_view
from enterprises.forms import ObjectionForm
from enterprises.services import enterprise_objection_file
from warning_system.classification.repairable import repair_option
from warning_system.objections.selectors import current_policy
from warning_system.objections.services import ObjectionError


@enterprise_view
def file(request: HttpRequest, kind: str, record_pk: int) -> HttpResponse:
    record = repair_option(request.enterprise.subject_id, kind, record_pk)
    if record is None:
        raise Http404
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = enterprise_objection_file(
                account=request.enterprise, kind=kind, record_pk=record_pk,
                reason=form.cleaned_data["reason"], files=form.cleaned_data["evidence"],
            )  # fmt: skip
        except ObjectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("异议已提交，由报送该记录的部门处理。"))
            return redirect("enterprises:objection", pk=objection.pk)
    context = {
        "record": record, "form": form, "policy": current_policy(),
        "department": selectors.department_name(record.department_id),
    }  # fmt: skip
    return render(request, "enterprises/objection_file.html", context, status=400 if form.errors else 200)


@require_GET
@enterprise_view
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.own_objection(request.enterprise, pk)
    if found is None:
        raise Http404
    return render(request, "enterprises/objection.html", {"objection": found})
