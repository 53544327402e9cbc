"""异议申诉 as state changes, each one transaction with its audit entry; the portal told after commit."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.objections.models import OPEN_STATUSES, Objection, ObjectionPolicy, ObjectionStatus
from warning_system.objections.selectors import current_policy
from warning_system.objections.signals import objections_changed
from warning_system.registry.models import RECORD_MODELS
from warning_system.workdays import add_workdays


class ObjectionError(Exception):
    """An objection that cannot be filed or answered; the message says why."""


def _announce(usccs: list[str]) -> None:
    transaction.on_commit(lambda: objections_changed.send_robust(sender=Objection, usccs=usccs))


def objection_check(*, subject_uscc: str, kind: str, record_pk: int, reason: str) -> dict:
    """What `objection_file` would refuse, without writing; returns the record."""
    if kind not in RECORD_MODELS:
        raise ObjectionError("记录不存在")
    record = (
        RECORD_MODELS[kind]
        .objects.filter(pk=record_pk, subject_id=subject_uscc, withdrawn=False)
        .values("id", "department_id", "record_id", "subject_id")
        .first()
    )
    if record is None:
        raise ObjectionError("记录不存在")
    if not reason.strip():
        raise ObjectionError("请填写异议理由")
    if Objection.objects.filter(kind=kind, record_pk=record_pk, status__in=OPEN_STATUSES).exists():
        raise ObjectionError("该记录已有正在处理的异议")
    return record


def objection_file(
    *, subject_uscc: str, kind: str, record_pk: int, reason: str, actor, today: date | None = None
) -> Objection:
    """The enterprise disputes one of its records; routed to the department that sent it, with the
    deadlines of the policy in force counted in working days."""
    record = objection_check(subject_uscc=subject_uscc, kind=kind, record_pk=record_pk, reason=reason)
    today = today or timezone.localdate()
    policy = current_policy()
    with transaction.atomic():
        objection = Objection.objects.create(
            subject_id=subject_uscc, kind=kind, record_pk=record_pk, record_id=record["record_id"],
            department_id=record["department_id"], reason=reason.strip(), submitted_by=actor,
            policy_version=policy.version, acknowledge_due=add_workdays(today, policy.acknowledge_workdays),
            conclude_due=add_workdays(today, policy.conclude_workdays),
        )  # fmt: skip
        audit_record(
            action=Action.OBJECTION_FILE, actor=actor, department_id=objection.department_id,
            subject_uscc=subject_uscc, obj=objection,
            after={"kind": kind, "record_id": objection.record_id, "reason": objection.reason,
                   "acknowledge_due": objection.acknowledge_due.isoformat(),
                   "conclude_due": objection.conclude_due.isoformat()},
        )  # fmt: skip
        _announce([subject_uscc])
    return objection


def _locked(objection: Objection) -> Objection:
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.status not in OPEN_STATUSES:
        raise ObjectionError("该异议已办结")
    return locked


def objection_acknowledge(*, objection: Objection, actor) -> Objection:
    with transaction.atomic():
        locked = _locked(objection)
        if locked.status != ObjectionStatus.SUBMITTED:
            raise ObjectionError("该异议已受理")
        locked.status = ObjectionStatus.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.save(update_fields=["status", "acknowledged_at"])
        audit_record(
            action=Action.OBJECTION_ACK, actor=actor, department_id=locked.department_id,
            subject_uscc=locked.subject_id, obj=locked, after={"status": locked.status},
        )  # fmt: skip
    return locked


def _conclude(objection: Objection, status: str, reason: str, actor) -> Objection:
    with transaction.atomic():
        locked = _locked(objection)
        before = {"status": locked.status}
        now = timezone.now()
        locked.status = status
        locked.acknowledged_at = locked.acknowledged_at or now
        locked.concluded_at = now
        locked.concluded_by = actor
        locked.outcome_reason = reason
        locked.save(
            update_fields=["status", "acknowledged_at", "concluded_at", "concluded_by", "outcome_reason"]
        )
        audit_record(
            action=Action.OBJECTION_CLOSE, actor=actor, department_id=locked.department_id,
            subject_uscc=locked.subject_id, obj=locked, before=before,
            after={"status": status, "outcome_reason": reason,
                   "on_time": timezone.localdate(now) <= locked.conclude_due},
        )  # fmt: skip
        _announce([locked.subject_id])
    return locked


def objection_uphold(*, objection: Objection, actor, reason: str) -> Objection:
    """The record stands; the department says why in writing (the enterprise reads it)."""
    if not reason.strip():
        raise ObjectionError("维持原记录须书面说明理由")
    return _conclude(objection, ObjectionStatus.UPHELD, reason.strip(), actor)


def objections_close_by_delivery(*, kind: str, department_id: str, run_id: int | None, usccs) -> int:
    """After a batch of the department's records committed: each open objection whose record the
    batch changed is closed, corrected (a new version) or withdrawn (op=delete)."""
    if run_id is None:
        return 0
    candidates = list(
        Objection.objects.filter(kind=kind, department_id=department_id, status__in=OPEN_STATUSES)
        .filter(**({"subject_id__in": list(usccs)} if usccs is not None else {}))
    )  # fmt: skip
    if not candidates:
        return 0
    changed = dict(
        RECORD_MODELS[kind]
        .objects.filter(pk__in=[o.record_pk for o in candidates], run_id=run_id)
        .values_list("pk", "withdrawn")
    )
    closed = 0
    for objection in candidates:
        if objection.record_pk not in changed:
            continue
        withdrawn = changed[objection.record_pk]
        try:
            _conclude(
                objection, ObjectionStatus.WITHDRAWN if withdrawn else ObjectionStatus.CORRECTED,
                "部门已撤销该记录" if withdrawn else "部门已报送更正后的记录", None,
            )  # fmt: skip
        except ObjectionError:
            continue
        closed += 1
    return closed


def objections_escalate(*, day: date | None = None) -> int:
    """Open objections past their deadline go to the department's leader (once): marked, audited,
    and listed first on the leader's workspace list."""
    day = day or timezone.localdate()
    overdue = Objection.objects.filter(
        status__in=OPEN_STATUSES, escalated_at__isnull=True, conclude_due__lt=day
    )
    count = 0
    for objection in overdue:
        with transaction.atomic():
            updated = Objection.objects.filter(pk=objection.pk, escalated_at__isnull=True).update(
                escalated_at=timezone.now()
            )
            if updated:
                audit_record(
                    action=Action.OBJECTION_ESCALATE, department_id=objection.department_id,
                    subject_uscc=objection.subject_id, obj=objection,
                    after={"conclude_due": objection.conclude_due.isoformat(), "to": "leader"},
                )  # fmt: skip
                count += updated
    return count


def objection_policy_save(
    *, acknowledge_workdays: int, conclude_workdays: int, note: str, author
) -> ObjectionPolicy:
    """A new version of the deadlines; the objections already filed keep theirs."""
    if acknowledge_workdays < 1 or conclude_workdays < acknowledge_workdays:
        raise ObjectionError("办结期限不得短于受理期限，且均至少1个工作日")
    if not note.strip():
        raise ObjectionError("请填写修改说明")
    with transaction.atomic():
        last = ObjectionPolicy.objects.select_for_update().order_by("-version").first()
        policy = ObjectionPolicy.objects.create(
            version=(last.version if last else 0) + 1, acknowledge_workdays=acknowledge_workdays,
            conclude_workdays=conclude_workdays, note=note.strip(), author=author,
        )  # fmt: skip
        audit_record(
            action=Action.OBJECTION_POLICY, actor=author, obj=policy,
            after={"acknowledge_workdays": acknowledge_workdays, "conclude_workdays": conclude_workdays},
        )  # fmt: skip
    return policy
