"""双随机、一公开 in the workspace: thin views over supervision.services.inspections and the core's steps.

Everyone of a participating department sees a task; its lead department's leaders take the steps
(edit the draft, freeze, seed, draw, publish, close); the departments whose inspectors were drawn for
a subject enter its result. Every step is a POST to one service, which writes its audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.access import ADMINS, LEADERS, require_own_department, workspace_view
from supervision.filters.inspections import ScopeForm
from supervision.forms.inspections import (
    CancelForm,
    CorrectionForm,
    FreezeForm,
    InspectorForm,
    ManualAssignForm,
    PolicyForm,
    ResultForm,
    SeedForm,
    TaskForm,
)
from supervision.selectors import inspections as selectors
from supervision.services import inspections as services
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.inspections import selectors as core_selectors
from warning_system.inspections import services as core
from warning_system.inspections.models import CANCELLABLE, RESULT_STATUSES, Inspector, TaskStatus


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --------------------------------------------------------------------------- inspectors directory


@workspace_view
def inspectors(request: HttpRequest) -> HttpResponse:
    filterset, rows = selectors.inspectors(request.staff, request.GET)
    context = {"form": filterset.form, "page": selectors.page_of(rows, request.GET.get("page")),
               "can_edit": request.staff.role in LEADERS}  # fmt: skip
    return render(request, "supervision/inspections/inspectors.html", context)


def _inspector_form(request: HttpRequest, inspector: Inspector | None) -> HttpResponse:
    department_id = inspector.department_id if inspector else request.staff.department_id
    initial = InspectorForm.initial_for(inspector) if inspector else {"active": True}
    locked = inspector is not None and core_selectors.badge_frozen(inspector.badge_number)
    form = InspectorForm(
        request.POST or None, initial=initial, department_id=department_id, badge_locked=locked
    )
    if request.method == "POST" and form.is_valid():
        try:
            core.inspector_save(inspector=inspector, department_id=department_id, user=request.user,
                                data=form.cleaned_data)  # fmt: skip
        except core.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("执法检查人员已保存。"))
            return redirect("supervision:inspection_inspectors")
    return render(
        request, "supervision/inspections/inspector_form.html", {"form": form, "inspector": inspector}
    )


@workspace_view(roles=LEADERS)
def inspector_create(request: HttpRequest) -> HttpResponse:
    return _inspector_form(request, None)


@workspace_view(roles=LEADERS)
def inspector_edit(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = get_object_or_404(Inspector, pk=pk)
    require_own_department(request.staff, inspector.department_id)
    return _inspector_form(request, inspector)


# --------------------------------------------------------------------------- subjects directory


@workspace_view
def subjects(request: HttpRequest) -> HttpResponse:
    form = ScopeForm(request.GET or None)
    count, sample = None, []
    if form.is_valid():
        count, sample = selectors.subject_preview(form.scope(), [request.staff.department_id])
    return render(
        request, "supervision/inspections/subjects.html", {"form": form, "count": count, "sample": sample}
    )


# --------------------------------------------------------------------------- tasks


@workspace_view
def tasks(request: HttpRequest) -> HttpResponse:
    filterset, rows = selectors.tasks(request.staff, request.GET)
    context = {"form": filterset.form, "page": selectors.page_of(rows, request.GET.get("page")),
               "can_create": request.staff.role in LEADERS}  # fmt: skip
    return render(request, "supervision/inspections/tasks.html", context)


@workspace_view(roles=LEADERS)
def task_create(request: HttpRequest) -> HttpResponse:
    form = TaskForm(request.POST or None, initial={"departments": [request.staff.department_id]},
                    policy=core_selectors.current_policy())  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            task = core.task_save(task=None, department_id=request.staff.department_id, user=request.user,
                                  data=form.task_data())  # fmt: skip
        except core.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("抽查任务已保存为草稿。"))
            return redirect("supervision:inspection_task", pk=task.pk)
    return render(request, "supervision/inspections/task_form.html", {"form": form, "task": None})


@workspace_view(roles=LEADERS)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for(request.staff, pk)
    if request.method == "POST":
        selectors.require_lead(request.staff, task)
    form = TaskForm(request.POST or None, initial=TaskForm.initial_for(task))
    if request.method == "POST" and form.is_valid():
        try:
            core.task_save(task=task, department_id=task.lead_department_id, user=request.user,
                           data=form.task_data())  # fmt: skip
        except core.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("抽查任务已保存。"))
            return redirect("supervision:inspection_task", pk=task.pk)
    return render(request, "supervision/inspections/task_form.html", {"form": form, "task": task})


@workspace_view
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_for(request.staff, pk)
    is_lead_leader = request.staff.role in LEADERS and request.staff.department_id == task.lead_department_id
    context = {
        "task": task,
        "page": selectors.page_of(core_selectors.assignments_of(task), request.GET.get("page"))
        if task.drawn_at
        else None,
        "can_assign": is_lead_leader and task.status in (TaskStatus.DRAWN, TaskStatus.PUBLISHED),
        "files": core_selectors.file_list(task),
        "can_act": is_lead_leader,
        "freeze_form": FreezeForm() if task.status == TaskStatus.DRAFT else None,
        "seed_form": SeedForm(sources=task.seed_sources) if task.status == TaskStatus.FROZEN else None,
        "cancel_form": CancelForm() if task.status in CANCELLABLE else None,
        "department_id": request.staff.department_id,
        "words": selectors.parameters_in_words(task),
    }
    return render(request, "supervision/inspections/task_detail.html", context)


def _job_outcome(task, done: str) -> str:
    """After queueing a background step: done (it ran in-process, or a worker was quick), refused
    (its reason), or still running (the page says so until it ends)."""
    task.refresh_from_db(fields=["job", "job_error"])
    if task.job:
        return _("%(job)s，完成后本页将显示结果。") % {"job": task.get_job_display()}
    if task.job_error:
        raise core.InspectionError(task.job_error)
    return done


def _step(request: HttpRequest, pk: int, run, *, irreversible: bool = False) -> HttpResponse:
    """A lead department leader's step on a task: one service call, its error shown on the task.
    An irreversible step (freeze, draw, publish, close) runs only with its confirmation ticked: the
    form says what becomes public, and the server checks the tick (the page works without scripts)."""
    task = selectors.task_for(request.staff, pk)
    selectors.require_lead(request.staff, task)
    if irreversible and request.POST.get("confirm") != "yes":
        messages.error(request, _("请先勾选确认，再执行这一步（执行后不能撤销）。"))
        return redirect("supervision:inspection_task", pk=task.pk)
    try:
        message = run(task)
    except core.InspectionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, message)
    return redirect("supervision:inspection_task", pk=task.pk)


@require_POST
@workspace_view(roles=LEADERS)
def task_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    form = FreezeForm(request.POST)

    def run(task):
        if not form.is_valid():
            raise core.InspectionError(_("请填写随机种子来源。"))
        services.task_freeze_queue(task=task, user=request.user, seed_sources=form.seed_sources())
        return _job_outcome(task, _("名录已冻结，哈希值与随机种子来源已公示。"))

    return _step(request, pk, run, irreversible=True)


@require_POST
@workspace_view(roles=LEADERS)
def task_seed(request: HttpRequest, pk: int) -> HttpResponse:
    def run(task):
        form = SeedForm(request.POST, sources=task.seed_sources)
        form.is_valid()
        core.task_seed(task=task, user=request.user, values=form.values())
        return _("随机种子已确定。")

    return _step(request, pk, run)


@require_POST
@workspace_view(roles=LEADERS)
def task_draw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(task):
        services.task_draw_queue(task=task, user=request.user)
        return _job_outcome(task, _("已按公布的算法完成抽取。"))

    return _step(request, pk, run, irreversible=True)


@require_POST
@workspace_view(roles=LEADERS)
def task_publish(request: HttpRequest, pk: int) -> HttpResponse:
    def run(task):
        task = core.task_publish(task=task, user=request.user, result_deadline=selectors.result_deadline())
        return _("抽取结果已公示，检查结果须于 %(day)s 前录入。") % {"day": task.result_deadline.isoformat()}

    return _step(request, pk, run, irreversible=True)


@require_POST
@workspace_view(roles=LEADERS)
def task_close(request: HttpRequest, pk: int) -> HttpResponse:
    def run(task):
        core.task_close(task=task, user=request.user)
        return _("抽查任务已办结。")

    return _step(request, pk, run, irreversible=True)


@require_POST
@workspace_view(roles=LEADERS)
def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    form = CancelForm(request.POST)

    def run(task):
        core.task_cancel(task=task, user=request.user, reason=form.data.get("reason", ""))
        return _("抽查任务已撤销。")

    return _step(request, pk, run)


# --------------------------------------------------------------------------- results


@workspace_view
def results(request: HttpRequest) -> HttpResponse:
    rows = selectors.my_assignments(request.staff)
    page = selectors.page_of(rows, request.GET.get("page"))
    return render(request, "supervision/inspections/results.html", {"page": page})


@workspace_view
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An attachment of a result: the task's participating departments and administrators (else 403,
    audited); each download enters the trail as an export."""
    attachment = selectors.attachment_for(request.staff, pk)
    audit_record(
        action=Action.EXPORT, actor=request.user, subject_uscc=attachment.assignment.subject_id,
        obj=attachment, after={"task": attachment.assignment.task.number, "name": attachment.name},
    )  # fmt: skip
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(True, attachment.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@workspace_view(roles=LEADERS)
def manual_assign(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    """A lead department leader assigns by hand an inspector to a subject the draw left short."""
    task = selectors.task_for(request.staff, pk)
    selectors.require_lead(request.staff, task)
    assignment = selectors.short_assignment(task, assignment_pk)
    form = ManualAssignForm(
        request.POST or None, inspectors=core_selectors.assignable_inspectors(assignment, task)
    )
    if request.method == "POST" and form.is_valid():
        try:
            core.manual_assignment_create(assignment=assignment, user=request.user, inspector=form.cleaned_data["inspector"],
                                 reason=form.cleaned_data["reason"])  # fmt: skip
        except core.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已人工指派检查人员。"))
            return redirect("supervision:inspection_task", pk=task.pk)
    context = {"task": task, "assignment": assignment, "form": form,
               "missing": max(0, task.inspectors_per_subject - len(assignment.inspectors.all()))}  # fmt: skip
    return render(request, "supervision/inspections/assign_form.html", context)


@require_POST
@workspace_view
def result_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an entered result (its inspector, or a leader of their department as an audited proxy)."""
    assignment = selectors.assignment_for(request.staff, pk)
    form = CorrectionForm(request.POST, proxy_choices=assignment.proxy_choices)
    if form.is_valid():
        data = form.cleaned_data
        inspector = assignment.own_inspector or form.proxy_inspector()
        try:
            if inspector is None:
                raise core.InspectionError(_("代为更正须指明检查人员。"))
            core.result_correct(
                assignment=assignment, user=request.user, department_id=request.staff.department_id,
                inspector=inspector, inspected_on=data["inspected_on"], result=data["result"], note=data["note"],
                reason=data["reason"], proxy=assignment.own_inspector is None,
            )  # fmt: skip
        except core.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("检查结果已更正，原结果已留存。"))
            return redirect("supervision:inspection_result", pk=assignment.pk)
    context = {"assignment": assignment, "correction_form": form,
               "corrections": selectors.corrections_of(assignment)}  # fmt: skip
    return render(request, "supervision/inspections/result_form.html", context, status=400)


@workspace_view
def result_entry(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = selectors.assignment_for(request.staff, pk)
    if request.method != "POST" and assignment.has_result:
        correctable = assignment.task.status in RESULT_STATUSES
        context = {
            "assignment": assignment,
            "corrections": selectors.corrections_of(assignment),
            "correction_form": CorrectionForm(
                initial=CorrectionForm.initial_for(assignment), proxy_choices=assignment.proxy_choices
            )
            if correctable
            else None,
        }
        return render(request, "supervision/inspections/result_form.html", context)
    form = ResultForm(request.POST or None, request.FILES or None, proxy_choices=assignment.proxy_choices)
    if request.method == "POST":
        if assignment.has_result:
            raise PermissionDenied("the result was entered already")
        if form.is_valid():
            data = form.cleaned_data
            uploads = [
                core.UploadedAttachment(name=f.name, content_type=f.sniffed_type, content=f.read())
                for f in data["attachments"]
            ]
            try:
                core.result_record(
                    assignment=assignment, user=request.user, department_id=request.staff.department_id,
                    inspected_on=data["inspected_on"], result=data["result"], note=data["note"], attachments=uploads,
                    inspector=assignment.own_inspector or form.proxy_inspector(),
                    proxy=assignment.own_inspector is None,
                )  # fmt: skip
            except core.InspectionError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("检查结果已录入并公示。"))
                return redirect("supervision:inspection_results")
    return render(
        request, "supervision/inspections/result_form.html", {"assignment": assignment, "form": form}
    )


# --------------------------------------------------------------------------- policy


@workspace_view
def policy(request: HttpRequest) -> HttpResponse:
    """The policy's current version and its history (everyone); a new version (administrators)."""
    current = core_selectors.current_policy()
    can_edit = request.staff.role in ADMINS
    if request.method == "POST" and not can_edit:
        raise PermissionDenied("changing the 双随机 policy")
    form = PolicyForm(request.POST or None, initial=PolicyForm.initial_for(current)) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            core.policy_save(user=request.user, **form.policy_data())
        except core.InspectionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存为新的政策版本。"))
            return redirect("supervision:inspection_policy")
    context = {"current": current, "versions": core_selectors.policy_versions(), "form": form}
    return render(request, "supervision/inspections/policy.html", context)
