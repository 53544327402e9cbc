"""Results of a drawn task: entered once per subject (as the registry's inspection record, so the
subject's page and colour follow), corrected with a reason, and inspectors assigned by hand to a
subject the draw left short."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.classification.services import evaluations_request_drain
from warning_system.registry import contract
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.loading import RecordLoader
from warning_system.registry.models import Department, IngestRun, Subject

from .. import selectors
from ..models import (
    Assignment,
    Attachment,
    Inspector,
    ManualAssignment,
    ResultCorrection,
    TaskStatus,
)
from .base import InspectionError, _locked

RESULTS = dict(contract.ENUMS["inspection_result"])
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5
ATTACHMENT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
# An attachment's type is what its first bytes say, never what the browser declared.
ATTACHMENT_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG", "image/png"), (b"%PDF", "application/pdf"))
ATTACHMENT_MAGIC_BYTES = 4


def attachment_type(head: bytes) -> str | None:
    """The allowed type a file's first bytes show (JPEG FF D8 FF, PNG 89 50 4E 47, PDF %PDF), or None."""
    return next((kind for magic, kind in ATTACHMENT_MAGIC if head.startswith(magic)), None)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class UploadedAttachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class _Normalized:
    """What RecordLoader stores: the shape collectors' normaliser gives it."""

    record_id: str
    delete: bool
    updated_at: datetime
    values: dict
    personal: dict


def attachments_check(attachments: Sequence[UploadedAttachment]) -> None:
    if len(attachments) > ATTACHMENT_MAX_COUNT:
        raise InspectionError(_("附件最多 %(count)d 个。") % {"count": ATTACHMENT_MAX_COUNT})
    for item in attachments:
        if attachment_type(item.content[:ATTACHMENT_MAGIC_BYTES]) != item.content_type:
            raise InspectionError(
                _("附件 %(name)s 的类型不允许（仅限 JPEG、PNG 图片和 PDF）。") % {"name": item.name}
            )
        if len(item.content) > ATTACHMENT_MAX_BYTES:
            raise InspectionError(_("附件 %(name)s 超过 10 MB。") % {"name": item.name})


def result_record(
    *,
    assignment: Assignment,
    user,
    department_id: str,
    inspected_on: date,
    result: str,
    note: str = "",
    attachments: Sequence[UploadedAttachment] = (),
    inspector: Inspector | None = None,
    proxy: bool = False,
) -> Assignment:
    """Enter the result of one drawn subject (once). It enters the registry as the department's
    `inspection` record (channel workspace), so it shows on the subject's public page and feeds its
    colour (docs/rules.md §2); the task moves to `results` with its last result. `inspector`: the drawn
    inspector it is entered as; `proxy`: by a leader on their behalf (audited as such)."""
    if result not in RESULTS:
        raise InspectionError(_("检查结果不在规定的类别中。"))
    if inspected_on > timezone.localdate():
        raise InspectionError(_("检查日期不能晚于今天。"))
    attachments_check(attachments)
    with transaction.atomic():
        task = _locked(assignment.task)
        if task.status != TaskStatus.PUBLISHED:
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能录入检查结果。") % {"current": task.get_status_display()}
            )
        assignment = Assignment.objects.select_for_update().select_related("subject").get(pk=assignment.pk)
        if assignment.result:
            raise InspectionError(_("该主体的检查结果已录入。"))
        if inspected_on < task.published_at.astimezone(timezone.get_current_timezone()).date():
            raise InspectionError(_("检查日期不能早于抽取结果公示日期。"))
        if department_id not in task.departments:
            raise InspectionError(_("本部门未参与该任务。"))
        if inspector is not None and not assignment.inspectors.filter(pk=inspector.pk).exists():
            raise InspectionError(_("%(name)s 不是该主体的抽中检查人员。") % {"name": inspector.name})
        if proxy and inspector is None:
            raise InspectionError(_("代为录入须指明检查人员。"))
        department = Department.objects.get(code=department_id)
        now = timezone.now()
        record_id = f"{task.number}-{assignment.subject_id}"
        _store_inspection_record(
            assignment=assignment, task=task, department=department, record_id=record_id,
            inspected_on=inspected_on, result=result, now=now,
        )  # fmt: skip
        assignment.inspected_on, assignment.result, assignment.note = inspected_on, result, note.strip()
        assignment.result_department, assignment.result_by, assignment.result_at = department, user, now
        assignment.record_id = record_id
        assignment.result_inspector, assignment.result_proxy = inspector, proxy
        assignment.save()
        Attachment.objects.bulk_create(
            Attachment(assignment=assignment, name=a.name[:200], content_type=a.content_type, size=len(a.content),
                       content=a.content, uploaded_by=user, uploaded_at=now)
            for a in attachments
        )  # fmt: skip
        complete = not task.assignments.filter(result="").exists()
        late = task.result_deadline is not None and timezone.localdate() > task.result_deadline
        if complete:
            task.status = TaskStatus.RESULTS
            task.save(update_fields=["status"])
        audit_record(
            action=Action.RESULT, actor=user, department_id=department_id, subject_uscc=assignment.subject_id,
            obj=assignment,
            after={"task": task.number, "inspected_on": inspected_on, "result": result, "record_id": record_id,
                   "attachments": len(attachments), "late": late, "task_complete": complete,
                   "inspector": inspector.badge_number if inspector else None, "proxy": proxy},
        )  # fmt: skip
        evaluations_request_drain()
    return assignment


def _store_inspection_record(*, assignment, task, department, record_id, inspected_on, result, now) -> None:
    """The result as the registry's inspection record, through the loader (which marks the subject
    for evaluation in this transaction)."""
    subject: Subject = assignment.subject
    values = {
        "uscc": subject.uscc, "registration_number": None, "organization_code": None,
        "subject_name": subject.name, "inspected_on": inspected_on, "authority": department.name,
        "inspection_type": "random", "task_name": task.name, "result": result,
    }  # fmt: skip
    raw = {"record_id": record_id, "updated_at": now.isoformat(), **{k: v for k, v in values.items() if v}}
    run = IngestRun.objects.create(
        channel=Channel.WORKSPACE,
        department=department,
        kind="inspection",
        source=f"双随机抽查任务 {task.number}",
    )
    with RecordLoader(kind="inspection", department_id=department.code, channel=Channel.WORKSPACE,
                      run_id=run.pk) as loader:  # fmt: skip
        loader.add(1, _Normalized(record_id, False, now, values, {}), raw)
        outcome = loader.store()
    for name, value in outcome.as_dict().items():
        setattr(run, name, value)
    run.status, run.finished_at = RunStatus.SUCCEEDED, timezone.now()
    run.save()


def result_correct(
    *,
    assignment: Assignment,
    user,
    department_id: str,
    inspector: Inspector,
    inspected_on: date,
    result: str,
    reason: str,
    note: str = "",
    proxy: bool = False,
) -> Assignment:
    """Correct an entered result (更正), with a mandatory reason, as one of the subject's inspectors
    (`proxy`: by a leader of their department on their behalf). The result it replaces is kept
    (ResultCorrection); the registry's inspection record gets a new version (a newer updated_at, the
    path result entry takes), so the public pages and the colour follow the corrected result."""
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError(_("更正检查结果须说明理由。"))
    if result not in RESULTS:
        raise InspectionError(_("检查结果不在规定的类别中。"))
    if inspected_on > timezone.localdate():
        raise InspectionError(_("检查日期不能晚于今天。"))
    with transaction.atomic():
        task = _locked(assignment.task)
        if task.status not in (TaskStatus.PUBLISHED, TaskStatus.RESULTS, TaskStatus.CLOSED):
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能更正检查结果。") % {"current": task.get_status_display()}
            )
        assignment = Assignment.objects.select_for_update().select_related("subject").get(pk=assignment.pk)
        if not assignment.result:
            raise InspectionError(_("该主体尚未录入检查结果，无可更正。"))
        if department_id != assignment.result_department_id:
            raise InspectionError(_("只有录入该结果的检查机关可以更正。"))
        if not assignment.inspectors.filter(pk=inspector.pk).exists():
            raise InspectionError(_("%(name)s 不是该主体的检查人员。") % {"name": inspector.name})
        if inspected_on < task.published_at.astimezone(timezone.get_current_timezone()).date():
            raise InspectionError(_("检查日期不能早于抽取结果公示日期。"))
        note = (note or "").strip()
        if (result, inspected_on, note) == (assignment.result, assignment.inspected_on, assignment.note):
            raise InspectionError(_("更正后的结果与原结果相同。"))
        now = timezone.now()
        correction = ResultCorrection.objects.create(
            assignment=assignment, previous_result=assignment.result,
            previous_inspected_on=assignment.inspected_on, previous_note=assignment.note,
            result=result, inspected_on=inspected_on, note=note, reason=reason, inspector=inspector,
            proxy=proxy, corrected_by=user, corrected_at=now,
        )  # fmt: skip
        _store_inspection_record(
            assignment=assignment, task=task, department=assignment.result_department,
            record_id=assignment.record_id, inspected_on=inspected_on, result=result, now=now,
        )  # fmt: skip
        assignment.result, assignment.inspected_on, assignment.note = result, inspected_on, note
        assignment.corrected_at = now
        assignment.save(update_fields=["result", "inspected_on", "note", "corrected_at"])
        audit_record(
            action=Action.RESULT_CORRECT, actor=user, department_id=department_id,
            subject_uscc=assignment.subject_id, obj=assignment,
            before={"result": correction.previous_result, "inspected_on": correction.previous_inspected_on},
            after={"task": task.number, "result": result, "inspected_on": inspected_on, "reason": reason,
                   "record_id": assignment.record_id, "inspector": inspector.badge_number, "proxy": proxy},
        )  # fmt: skip
        evaluations_request_drain()
    return assignment


# --------------------------------------------------------------------------- manual assignment


def manual_assignment_create(
    *, assignment: Assignment, user, inspector: Inspector, reason: str
) -> ManualAssignment:
    """Assign by hand an inspector to a subject the draw left short (Pick.short), with a reason: only
    while the subject still lacks inspectors, and only an inspector the draw itself could have taken
    (selectors.assignable_inspectors: active, of a participating department, qualified, no declared
    conflict, not on this subject in the previous task). Not part of the verifiable draw: the public
    page marks it as manual, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError(_("人工指派须说明理由。"))
    with transaction.atomic():
        task = _locked(assignment.task)
        if task.status not in (TaskStatus.DRAWN, TaskStatus.PUBLISHED):
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能指派检查人员。") % {"current": task.get_status_display()}
            )
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not assignment.short:
            raise InspectionError(_("该主体的检查人员已由抽取产生，无须人工指派。"))
        if assignment.result:
            raise InspectionError(_("该主体的检查结果已录入，不能再指派检查人员。"))
        if assignment.inspectors.count() >= task.inspectors_per_subject:
            raise InspectionError(_("该主体的检查人员已足额。"))
        if not selectors.assignable_inspectors(assignment, task).filter(pk=inspector.pk).exists():
            raise InspectionError(
                _(
                    "%(name)s 不能检查该主体（须在岗、属参与部门、具备执法领域、无回避且上次任务未检查该主体）。"
                )
                % {"name": inspector.name}
            )
        manual = ManualAssignment.objects.create(
            assignment=assignment, inspector=inspector, reason=reason, assigned_by=user
        )
        assignment.inspectors.add(inspector)
        audit_record(
            action=Action.ASSIGN, actor=user, department_id=task.lead_department_id,
            subject_uscc=assignment.subject_id, obj=assignment,
            after={"task": task.number, "inspector": inspector.badge_number, "reason": reason},
        )  # fmt: skip
    return manual
