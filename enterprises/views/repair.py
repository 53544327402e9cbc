"""信用修复 online: apply for one of the enterprise's own records, follow the application, read its
evidence back. Objects are looked up within the account's subject: another's is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from enterprises import selectors
from enterprises.access import enterprise_view
from enterprises.forms import RepairApplyForm
from enterprises.services import enterprise_repair_apply
from warning_system.classification.repairable import repair_option
from warning_system.classification.services import RepairError
from warning_system.evidence.selectors import evidence_of_subject
from warning_system.evidence.services import evidence_read
from warning_system.registry.models import RECORD_MODELS


@enterprise_view
def apply(request: HttpRequest, kind: str, record_pk: int) -> HttpResponse:
    if kind not in RECORD_MODELS:
        raise Http404
    option = repair_option(request.enterprise.subject_id, kind, record_pk)
    if option is None:
        raise Http404
    form = RepairApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = enterprise_repair_apply(
                account=request.enterprise, kind=kind, record_pk=record_pk,
                reason=form.cleaned_data["reason"], files=form.cleaned_data["evidence"],
            )  # fmt: skip
        except RepairError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("修复申请已提交，由作出该记录的部门审核。"))
            return redirect("enterprises:application", pk=application.pk)
    status = 400 if form.errors else 200
    context = {"option": option, "form": form, "department": selectors.department_name(option.department_id)}
    return render(request, "enterprises/repair_apply.html", context, status=status)


@require_GET
@enterprise_view
def application(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.own_application(request.enterprise, pk)
    if found is None:
        raise Http404
    return render(request, "enterprises/application.html", {"application": found})


@require_GET
@enterprise_view
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    found = evidence_of_subject(request.enterprise.subject_id, pk)
    if found is None:
        raise Http404
    path = evidence_read(evidence=found, reader=request.user)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), content_type=found.content_type, as_attachment=True, filename=found.name
    )
