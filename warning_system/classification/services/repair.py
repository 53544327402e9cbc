"""Credit repair (信用修复): eligibility, applications and decisions, each audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry.models import RECORD_MODELS

from .. import selectors
from ..models import (
    Applicant,
    RepairApplication,
    RepairStatus,
    RepairStep,
)
from ..selectors import repair_eligibility
from .colours import (
    ruleset_for,
)
from .outbox import (
    subjects_schedule_evaluation,
)

# --------------------------------------------------------------------------- credit repair


class RepairError(Exception):
    """An application that cannot be made or decided; the message says why."""


def _record(kind: str, record_pk: int) -> dict:
    model = RECORD_MODELS[kind]
    fields = ("id", "department_id", "record_id", "subject_id", "withdrawn",
              *selectors.RULE_FIELDS.get(kind, ()))  # fmt: skip
    found = model.objects.filter(pk=record_pk).values(*fields).first()
    if found is None:
        raise RepairError("记录不存在")
    return found


def repair_application_check(
    *, kind: str, record_pk: int, applicant: str, reason: str, day: date | None = None
) -> dict:
    """What `repair_apply` would refuse, refused here without writing (a form validates with it);
    returns the record."""
    if kind not in RECORD_MODELS:
        raise RepairError(f"未知的数据类型：{kind}")
    record = _record(kind, record_pk)
    if record["subject_id"] is None:
        raise RepairError("记录尚未关联到主体")
    if applicant not in Applicant.values:
        raise RepairError("申请人类型无效")
    if not reason.strip():
        raise RepairError("请填写申请理由")
    ruleset = ruleset_for(day or timezone.localdate())
    ok, why = repair_eligibility(kind, record, day or timezone.localdate(), ruleset.repair)
    if not ok:
        raise RepairError(why)
    if RepairApplication.objects.filter(kind=kind, record_pk=record_pk, status=RepairStatus.PENDING).exists():
        raise RepairError("该记录已有待审核的修复申请")
    return record


def repair_apply(
    *, kind: str, record_pk: int, applicant: str, applicant_name: str, reason: str, day: date | None = None,
    actor=None,
) -> RepairApplication:  # fmt: skip
    """`actor`: the regulator entering the application (None when the subject applies itself)."""
    record = repair_application_check(
        kind=kind, record_pk=record_pk, applicant=applicant, reason=reason, day=day
    )
    with transaction.atomic():
        application = RepairApplication.objects.create(
            subject_id=record["subject_id"],
            kind=kind,
            record_pk=record_pk,
            department_id=record["department_id"],
            record_id=record["record_id"],
            applicant=applicant,
            applicant_name=applicant_name,
            reason=reason.strip(),
        )
        RepairStep.objects.create(
            application=application, action="submitted", actor=applicant_name, note=reason
        )
        audit_record(
            action=Action.REPAIR_APPLY, actor=actor, department_id=application.department_id,
            subject_uscc=application.subject_id, obj=application,
            after={"kind": kind, "record_id": application.record_id, "applicant": applicant,
                   "applicant_name": applicant_name, "reason": application.reason, "status": application.status},
        )  # fmt: skip
    return application


def repair_decide(
    *, application: RepairApplication, approve: bool, reviewer, reason: str
) -> RepairApplication:
    """Approve or reject; an approval stops the record counting at once (recompute after commit)."""
    if application.status != RepairStatus.PENDING:
        raise RepairError("该申请已审核")
    if not approve and not reason.strip():
        raise RepairError("驳回须说明理由")
    before = {"status": application.status, "decision_reason": application.decision_reason}
    with transaction.atomic():
        # Two reviewers deciding at once: the second finds it decided.
        locked = RepairApplication.objects.select_for_update().values_list("status", flat=True)
        if locked.get(pk=application.pk) != RepairStatus.PENDING:
            raise RepairError("该申请已审核")
        if approve:
            # The rules in force decide now, not when the application was made: a record that may
            # never be repaired (or not yet) cannot turn a subject green through an old application.
            record = _record(application.kind, application.record_pk)
            ruleset = ruleset_for(timezone.localdate())
            ok, why = repair_eligibility(application.kind, record, timezone.localdate(), ruleset.repair)
            if not ok:
                raise RepairError(f"该记录按现行规则不可修复：{why}")
        application.status = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
        application.decided_at = timezone.now()
        application.decided_by = reviewer
        application.decision_reason = reason.strip()
        application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
        RepairStep.objects.create(
            application=application,
            action="approved" if approve else "rejected",
            actor=str(reviewer) if reviewer else application.department_id,
            note=reason,
        )
        audit_record(
            action=Action.REPAIR_DECIDE, actor=reviewer, department_id=application.department_id,
            subject_uscc=application.subject_id, obj=application, before=before,
            after={"status": application.status, "decision_reason": application.decision_reason},
        )  # fmt: skip
        if approve:
            subjects_schedule_evaluation(usccs=[application.subject_id])
    return application
