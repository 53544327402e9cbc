"""Writes of 双告知 (docs/rules.md §5). Each step is one atomic service: check the transition, write the
state, add the timeline step and the audit entry. The system's own steps (push, licence found, pool,
overdue) are set-based: one statement moves every notification due, then each gets its step and
its audit entry in the same transaction.

Entry points for the rest of the system:
- `schedule_dual_opening(run_id=…, usccs=…)`: a registration batch was stored (receiver).
- `schedule_licence_matching(usccs=…)`: a licence batch was stored (receiver).
- `dual_notifications_advance(now=…, sweep=…)`: the periodic job (every 15 minutes; daily with
  the sweep), and what the demo script calls (with the sweep) after its ingest.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision import workdays
from supervision.models import (
    CatalogRevision,
    DualFeedback,
    DualNotification,
    DualScopeMatch,
    DualStatus,
    DualStep,
    DualStepKind,
)
from supervision.selectors import dual as selectors
from supervision.services.batching import chunks
from warning_system import jobs
from warning_system.accounts.models import StaffProfile
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry.models import PRIVATE_MODELS, Department, PostLicenceCatalogEntry

logger = logging.getLogger(__name__)

CLAIM_WORKDAYS = 5
OPEN_JOB = "supervision.dual_open_notifications"  # run by supervision.tasks.dual
MATCH_JOB = "supervision.dual_match_licences"
LICENCE_DAYS = 30
SYSTEM = "system"
# The periodic job runs every 15 minutes and daily: one at a time.
ADVANCE_LOCK = 0x5D0A1
CATALOGUE_LOCK = 0x5D0A2
OPEN = [s.value for s in (DualStatus.PUSHED, DualStatus.POOLED, DualStatus.CLAIMED)]
# A licence found after the written notice is recorded too (the feedback form shows it).
WATCHED = [*OPEN, DualStatus.OVERDUE.value, DualStatus.FEEDBACK.value]
OPERATING = ["existing", "operating"]  # 存续, 在业: the other registration statuses do not trade


class DualActionError(Exception):
    """A step the notification's state does not allow (the message says why, for the user)."""


def window_days() -> int:
    """Registrations older than this predate the system (a city ingests years of history)."""
    return getattr(settings, "DUAL_NOTIFICATION_WINDOW_DAYS", 30)


def feedback_workdays() -> int:
    return getattr(settings, "DUAL_FEEDBACK_WORKDAYS", 10)


def notice_number(year: int, seq: int) -> str:
    return f"双告知〔{year}〕{seq:04d}号"


def _state(n: DualNotification) -> dict:
    return {"status": n.status, "claimed_by": n.claimed_by_id or "", "licence": n.licence}


def _add_steps(
    rows: list[tuple[int, str, str | None, str]], *, at: datetime, actor_name: str = SYSTEM
) -> None:
    """Timeline steps (notification id, step, department, note), in one INSERT."""
    DualStep.objects.bulk_create(
        [
            DualStep(
                notification_id=nid, step=step, department_id=dept, actor_name=actor_name, at=at, note=note
            )
            for nid, step, dept, note in rows
        ]
    )


def _dept_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Department.objects.filter(code__in=set(codes)).values_list("code", "name"))


# --------------------------------------------------------------------------- opening (push)

_OPEN_SQL = """
WITH reg AS (
    SELECT DISTINCT ON (r.subject_uscc)
           r.id, r.subject_uscc AS uscc, coalesce(r.business_scope, '') AS scope,
           r.established_on, r.approved_on, r.status, r.content_hash
    FROM registry_registration r
    WHERE {registrations} AND r.subject_uscc IS NOT NULL AND NOT r.withdrawn
    ORDER BY r.subject_uscc, r.updated_at DESC, r.id DESC
), cur AS (
    SELECT reg.*, ARRAY(
        SELECT e.id FROM registry_postlicencecatalogentry e
        WHERE EXISTS (SELECT 1 FROM unnest(e.scope_keywords) k WHERE k <> '' AND strpos(reg.scope, k) > 0)
        ORDER BY e.id
    ) AS entry_ids
    FROM reg
), snapshot AS (
    INSERT INTO supervision_dualscopematch AS m
           (subject_uscc, entry_ids, registration_id, registration_hash, updated_at)
    SELECT uscc, entry_ids, id, content_hash, %(now)s FROM cur
    ON CONFLICT (subject_uscc) DO UPDATE
        SET entry_ids = EXCLUDED.entry_ids, registration_id = EXCLUDED.registration_id,
            registration_hash = EXCLUDED.registration_hash, updated_at = EXCLUDED.updated_at
), fresh AS (
    -- Entries the previous version of the registration did not match; all of them for a subject
    -- seen for the first time (then it counts from its establishment).
    SELECT cur.uscc, cur.id AS registration_id, e.id AS entry_id, e.licence, e.department_id, e.legal_basis,
           ARRAY(SELECT k FROM unnest(e.scope_keywords) k WHERE k <> '' AND strpos(cur.scope, k) > 0) AS keywords,
           CASE WHEN m.subject_uscc IS NULL THEN 'established' ELSE 'scope_change' END AS trigger,
           CASE WHEN m.subject_uscc IS NULL THEN cur.established_on
                WHEN cur.approved_on >= cur.established_on THEN cur.approved_on
                ELSE %(today)s END AS registered_on
    FROM cur
    LEFT JOIN supervision_dualscopematch m ON m.subject_uscc = cur.uscc
    JOIN registry_postlicencecatalogentry e
      ON e.id = ANY(cur.entry_ids) AND NOT (e.id = ANY(coalesce(m.entry_ids, ARRAY[]::bigint[])))
    WHERE cur.status = ANY(%(operating)s)
)
INSERT INTO supervision_dualnotification (
    subject_uscc, registration_id, trigger, registered_on, matched_keywords, catalogue_entry_id,
    catalogue_version, licence, department_id, legal_basis, status, pushed_at, claim_due, licence_due,
    return_reason, feedback, feedback_note, updated_at)
SELECT uscc, registration_id, trigger, registered_on, keywords, entry_id,
       %(version)s, licence, department_id, legal_basis, 'pushed', %(now)s, %(claim_due)s,
       registered_on + %(licence_days)s, '', '', '', %(now)s
FROM fresh
WHERE registered_on >= %(since)s
ORDER BY uscc, entry_id
ON CONFLICT ON CONSTRAINT dual_notification_once DO NOTHING
RETURNING id, subject_uscc, licence, department_id, registered_on, licence_due, trigger
"""


@dataclass
class OpenResult:
    pushed: int = 0
    licensed: int = 0


def schedule_dual_opening(*, run_id: int, usccs: Iterable[str]) -> None:
    """After the surrounding transaction commits: a Celery task with a broker, in-process without."""
    for chunk in chunks(usccs):
        jobs.enqueue_on_commit(OPEN_JOB, run_id, chunk)


# The registrations one stored batch changed (the receiver's path).
_OF_RUN = "r.run_id = %(run)s AND r.subject_uscc = ANY(%(usccs)s)"
# Registrations changed lately that no receiver has processed (the daily sweep's path).
_UNPROCESSED = """r.changed_at >= %(changed_since)s AND NOT EXISTS (
    SELECT 1 FROM supervision_dualscopematch p
    WHERE p.subject_uscc = r.subject_uscc AND p.registration_id = r.id AND p.registration_hash = r.content_hash)"""


def dual_notifications_open(*, run_id: int, usccs: Iterable[str], now: datetime | None = None) -> OpenResult:
    """Match the registrations one stored batch changed against the catalogue and push a
    notification per licence they newly call for (a resent batch pushes nothing)."""
    usccs = sorted(set(usccs))
    if not usccs:
        return OpenResult()
    return _open(_OF_RUN, {"run": run_id, "usccs": usccs}, now=now or timezone.now())


def dual_notifications_sweep(*, now: datetime | None = None) -> OpenResult:
    """Open what no receiver opened: registrations changed within the window whose processing was
    lost (a worker killed between the ingest's commit and its task) or is still queued. Idempotent."""
    now = now or timezone.now()
    return _open(_UNPROCESSED, {"changed_since": now - timedelta(days=window_days())}, now=now)


def dual_scope_snapshot_backfill(*, now: datetime | None = None) -> int:
    """Remember what every current registration matches, pushing nothing. Run once when 双告知 is
    switched on over a registry that already holds the city: a later scope change of a subject
    registered before then is recognised as one and pushes only the licences it adds."""
    _open("TRUE", {}, now=now or timezone.now(), push=False)
    return DualScopeMatch.objects.count()


def _open(registrations: str, params: dict, *, now: datetime, push: bool = True) -> OpenResult:
    today = timezone.localdate(now)
    params = {
        **params,
        "now": now,
        "today": today,
        "since": today - timedelta(days=window_days()) if push else date.max,
        "claim_due": workdays.add_workdays(today, CLAIM_WORKDAYS),
        "licence_days": LICENCE_DAYS,
        "version": selectors.catalogue_version(),
        "operating": OPERATING,
    }
    result = OpenResult()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_OPEN_SQL.format(registrations=registrations), params)
            pushed = cursor.fetchall()
        if not pushed:
            return result
        _record_pushes(pushed, now=now, claim_due=params["claim_due"])
        result.pushed = len(pushed)
        result.licensed = len(_match_licences(now=now, notification_ids=[row[0] for row in pushed]))
    return result


def _record_pushes(rows: list[tuple], *, now: datetime, claim_due: date) -> None:
    names = _dept_names(row[3] for row in rows)
    steps = []
    by_subject: dict[str, list[tuple]] = {}
    for nid, uscc, licence, dept, registered_on, licence_due, trigger in rows:
        steps.append((nid, DualStepKind.PUSH, dept, _("推送至%(dept)s，认领期限 %(due)s")
                      % {"dept": names.get(dept, dept), "due": claim_due.isoformat()}))  # fmt: skip
        steps.append((nid, DualStepKind.NOTICE, None, _("告知书载明：须向%(dept)s申请%(licence)s")
                      % {"dept": names.get(dept, dept), "licence": licence}))  # fmt: skip
        by_subject.setdefault(uscc, []).append((licence, dept))
        audit_record(
            action=Action.PUSH,
            department_id=dept,
            subject_uscc=uscc,
            object_type="supervision.dualnotification",
            object_id=nid,
            after={
                "licence": licence,
                "trigger": trigger,
                "registered_on": registered_on,
                "claim_due": claim_due,
                "licence_due": licence_due,
            },
        )
    _add_steps(steps, at=now)
    for uscc, licences in by_subject.items():
        audit_record(
            action=Action.NOTICE,
            department_id="",
            subject_uscc=uscc,
            object_type="registry.subject",
            object_id=uscc,
            after={"licences": [{"licence": licence, "department": dept} for licence, dept in licences]},
        )


# --------------------------------------------------------------------------- licences arriving

_MATCH_SQL = """
WITH found AS (
    SELECT DISTINCT ON (n.id) n.id, n.status AS old_status, l.id AS licence_id, l.decided_on
    FROM supervision_dualnotification n
    JOIN registry_department d ON d.code = n.department_id
    JOIN registry_license l ON l.subject_uscc = n.subject_uscc
    WHERE n.licence_record_id IS NULL AND n.status = ANY(%(watched)s) {where}
      AND NOT l.withdrawn
      AND (l.department_id = n.department_id OR l.authority_uscc = d.uscc)
      AND strpos(l.certificate_name, n.licence) > 0
      AND l.decided_on IS NOT NULL
      AND (l.valid_to IS NULL OR l.valid_to >= n.registered_on)
      AND (l.status IS NULL OR l.status = 'valid' OR l.decided_on >= n.registered_on)
    -- The first licence granted since registration; else the one in force before it.
    ORDER BY n.id, (l.decided_on >= n.registered_on) DESC, l.decided_on, l.id
)
UPDATE supervision_dualnotification n
SET licence_record_id = f.licence_id, licensed_on = f.decided_on, licence_found_at = %(now)s,
    updated_at = %(now)s,
    status = CASE WHEN n.status = ANY(%(open)s) THEN 'licensed' ELSE n.status END,
    closed_at = CASE WHEN n.status = ANY(%(open)s) THEN %(now)s ELSE n.closed_at END
FROM found f
WHERE n.id = f.id AND n.status = f.old_status
RETURNING n.id, n.subject_uscc, n.department_id, n.claimed_by_id, f.old_status, n.status, n.licence,
          f.licence_id, f.decided_on, n.licence_due
"""


def schedule_licence_matching(*, usccs: Iterable[str]) -> None:
    for chunk in chunks(usccs):
        jobs.enqueue_on_commit(MATCH_JOB, chunk)


def dual_licences_match(*, usccs: Iterable[str] | None = None, now: datetime | None = None) -> int:
    """Mark licensed the open notifications of these subjects (all when None) whose licence is in."""
    now = now or timezone.now()
    with transaction.atomic():
        return len(_match_licences(now=now, usccs=None if usccs is None else sorted(set(usccs))))


def _match_licences(
    *, now: datetime, usccs: list[str] | None = None, notification_ids: list[int] | None = None
) -> list[tuple]:
    where, params = "", {"now": now, "open": OPEN, "watched": WATCHED}
    if usccs is not None:
        if not usccs:
            return []
        where, params["usccs"] = "AND n.subject_uscc = ANY(%(usccs)s)", usccs
    if notification_ids is not None:
        if not notification_ids:
            return []
        where, params["ids"] = "AND n.id = ANY(%(ids)s)", notification_ids
    with connection.cursor() as cursor:
        cursor.execute(_MATCH_SQL.format(where=where), params)
        rows = cursor.fetchall()
    steps = []
    for nid, uscc, dept, claimed_by, old_status, status, licence, licence_id, decided_on, licence_due in rows:
        in_time = decided_on <= licence_due
        note = (
            _("许可决定日期 %(day)s（%(when)s），事项办结")
            if status == DualStatus.LICENSED
            else _("许可决定日期 %(day)s（%(when)s），书面通告已发出，待部门反馈")
        )
        note %= {"day": decided_on.isoformat(), "when": _("30日内") if in_time else _("超过30日")}
        steps.append((nid, DualStepKind.LICENSED, claimed_by or dept, note))
        audit_record(
            action=Action.LICENSED,
            department_id=claimed_by or dept,
            subject_uscc=uscc,
            object_type="supervision.dualnotification",
            object_id=nid,
            before={"status": old_status},
            after={
                "status": status,
                "licence": licence,
                "licence_record": licence_id,
                "decided_on": decided_on,
            },
        )
    _add_steps(steps, at=now)
    return rows


# --------------------------------------------------------------------------- time passing


@dataclass
class AdvanceResult:
    pushed: int = 0
    licensed: int = 0
    pooled: int = 0
    overdue: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "pushed": self.pushed,
            "licensed": self.licensed,
            "pooled": self.pooled,
            "overdue": self.overdue,
        }


_POOL_SQL = """
UPDATE supervision_dualnotification
SET status = 'pooled', pooled_at = %(now)s, updated_at = %(now)s
WHERE status = 'pushed' AND claim_due < %(today)s
RETURNING id, subject_uscc, department_id, claim_due
"""

_OVERDUE_SQL = """
WITH due AS (
    SELECT id, status FROM supervision_dualnotification
    WHERE status = ANY(%(open)s) AND licence_due < %(today)s AND licence_record_id IS NULL
    ORDER BY id
    FOR UPDATE
)
UPDATE supervision_dualnotification n
SET status = 'overdue', overdue_at = %(now)s, feedback_due = %(feedback_due)s, updated_at = %(now)s
FROM due
WHERE n.id = due.id
RETURNING n.id, n.subject_uscc, n.department_id, n.claimed_by_id, due.status, n.licence, n.licence_due
"""

_NUMBER_SQL = """
INSERT INTO supervision_writtennoticesequence AS s (year, last) VALUES (%(year)s, %(count)s)
ON CONFLICT (year) DO UPDATE SET last = s.last + EXCLUDED.last
RETURNING last
"""

_ISSUE_SQL = """
UPDATE supervision_dualnotification n
SET notice_number = v.number, notice_issued_at = %(now)s
FROM unnest(%(ids)s::bigint[], %(numbers)s::text[]) AS v(id, number)
WHERE n.id = v.id
"""


def dual_notifications_advance(*, now: datetime | None = None, sweep: bool = False) -> AdvanceResult:
    """The periodic job, idempotent: record licences that came in, pool what nobody claimed within
    5 working days, and raise a warning with a numbered written notice for every notification whose
    licence has not arrived 30 days after registration. With `sweep` (the daily run, and after a
    bulk load) it first opens what no receiver opened."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = AdvanceResult()
    if sweep:
        result.pushed = dual_notifications_sweep(now=now).pushed
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVANCE_LOCK])
        result.licensed = len(_match_licences(now=now))
        result.pooled = _pool_unclaimed(now=now, today=today)
        result.overdue = _mark_overdue(now=now, today=today)
    if any(result.as_dict().values()):
        logger.info("双告知: %s", result.as_dict())
    return result


def _pool_unclaimed(*, now: datetime, today: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_POOL_SQL, {"now": now, "today": today})
        rows = cursor.fetchall()
    steps = []
    for nid, uscc, dept, claim_due in rows:
        steps.append((nid, DualStepKind.POOL, dept, _("认领期限 %(due)s 届满无部门认领，转入共享池")
                      % {"due": claim_due.isoformat()}))  # fmt: skip
        audit_record(
            action=Action.POOL,
            department_id=dept,
            subject_uscc=uscc,
            object_type="supervision.dualnotification",
            object_id=nid,
            before={"status": DualStatus.PUSHED},
            after={"status": DualStatus.POOLED, "claim_due": claim_due},
        )
    _add_steps(steps, at=now)
    return len(rows)


def _mark_overdue(*, now: datetime, today: date) -> int:
    feedback_due = workdays.add_workdays(today, feedback_workdays())
    with connection.cursor() as cursor:
        cursor.execute(_OVERDUE_SQL, {"now": now, "today": today, "open": OPEN, "feedback_due": feedback_due})
        rows = sorted(cursor.fetchall())
        if not rows:
            return 0
        cursor.execute(_NUMBER_SQL, {"year": today.year, "count": len(rows)})
        last = cursor.fetchone()[0]
        numbers = [notice_number(today.year, seq) for seq in range(last - len(rows) + 1, last + 1)]
        cursor.execute(_ISSUE_SQL, {"now": now, "ids": [row[0] for row in rows], "numbers": numbers})
    names = _dept_names(row[3] or row[2] for row in rows)
    steps = []
    for (nid, uscc, dept, claimed_by, old_status, licence, licence_due), number in zip(
        rows, numbers, strict=True
    ):
        handler = claimed_by or dept
        steps.append((nid, DualStepKind.OVERDUE, handler, _("登记满30日（%(due)s）仍未比对到%(licence)s")
                      % {"due": licence_due.isoformat(), "licence": licence}))  # fmt: skip
        steps.append((nid, DualStepKind.WRITTEN_NOTICE, handler, _("%(number)s 送%(dept)s，请于 %(day)s 前反馈")
                      % {"number": number, "dept": names.get(handler, handler), "day": feedback_due.isoformat()}))  # fmt: skip
        common = {"department_id": handler, "subject_uscc": uscc, "object_type": "supervision.dualnotification",
                  "object_id": nid}  # fmt: skip
        audit_record(
            action=Action.OVERDUE,
            before={"status": old_status},
            after={"status": DualStatus.OVERDUE, "licence_due": licence_due},
            **common,
        )
        audit_record(
            action=Action.WRITTEN_NOTICE,
            after={"notice_number": number, "to": handler, "feedback_due": feedback_due},
            **common,
        )
    _add_steps(steps, at=now)
    return len(rows)


# --------------------------------------------------------------------------- departments' steps


def _locked(notification_id: int) -> DualNotification:
    notification = DualNotification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None:
        raise DualNotification.DoesNotExist(notification_id)
    return notification


def _require_view(staff: StaffProfile, notification: DualNotification) -> None:
    if not selectors.may_view(staff, notification):
        raise PermissionDenied(
            f"dual notification {notification.pk} of department {notification.department_id}"
        )


def _status_error(notification: DualNotification, verb: str) -> DualActionError:
    return DualActionError(
        _("该事项当前为“%(status)s”，不能%(verb)s。")
        % {"status": notification.get_status_display(), "verb": verb}
    )


def _save_step(
    notification: DualNotification,
    *,
    staff: StaffProfile,
    step: str,
    action: str,
    before: dict,
    note: str = "",
    fields: list[str],
    extra: dict | None = None,
) -> None:
    notification.updated_at = timezone.now()
    notification.save(update_fields=[*fields, "updated_at"])
    DualStep.objects.create(
        notification=notification,
        step=step,
        department_id=staff.department_id,
        actor_name=staff.user.get_username(),
        at=notification.updated_at,
        note=note,
    )
    audit_record(
        action=action,
        actor=staff.user,
        department_id=staff.department_id,
        subject_uscc=notification.subject_id,
        obj=notification,
        before=before,
        after={**_state(notification), **(extra or {})},
    )


@transaction.atomic
def dual_notification_claim(*, notification_id: int, staff: StaffProfile) -> DualNotification:
    """认领: the competent department claims what was pushed to it; any department a pooled one."""
    n = _locked(notification_id)
    _require_view(staff, n)
    if n.status == DualStatus.PUSHED and staff.department_id != n.department_id:
        raise PermissionDenied(f"dual notification {n.pk} was pushed to {n.department_id}")
    if not selectors.may_claim(staff, n):
        raise _status_error(n, _("认领"))
    before = _state(n)
    n.status = DualStatus.CLAIMED
    n.claimed_by_id = staff.department_id
    n.claimed_at = timezone.now()
    note = _("从共享池认领") if before["status"] == DualStatus.POOLED else ""
    _save_step(n, staff=staff, step=DualStepKind.CLAIM, action=Action.CLAIM, before=before, note=note,
               fields=["status", "claimed_by", "claimed_at"])  # fmt: skip
    return n


@transaction.atomic
def dual_notification_return(*, notification_id: int, staff: StaffProfile, reason: str) -> DualNotification:
    """退回: not ours, with the reason; it goes to the shared pool at once."""
    n = _locked(notification_id)
    _require_view(staff, n)
    holder = n.claimed_by_id if n.status == DualStatus.CLAIMED else n.department_id
    if n.status in (DualStatus.PUSHED, DualStatus.CLAIMED) and staff.department_id != holder:
        raise PermissionDenied(f"dual notification {n.pk} is held by {holder}")
    if not selectors.may_return(staff, n):
        raise _status_error(n, _("退回"))
    reason = (reason or "").strip()
    if not reason:
        raise DualActionError(_("请填写退回理由。"))
    before = _state(n)
    now = timezone.now()
    n.status = DualStatus.POOLED
    n.returned_by_id = staff.department_id
    n.return_reason = reason
    n.pooled_at = now
    n.claimed_by_id = None
    n.claimed_at = None
    _save_step(n, staff=staff, step=DualStepKind.RETURN, action=Action.RETURN, before=before,
               note=_("退回并转入共享池。理由：%(reason)s") % {"reason": reason},
               fields=["status", "returned_by", "return_reason", "pooled_at", "claimed_by", "claimed_at"],
               extra={"reason": reason})  # fmt: skip
    return n


@transaction.atomic
def dual_notification_feedback(
    *, notification_id: int, staff: StaffProfile, choice: str, note: str = ""
) -> DualNotification:
    """The department's answer to the written notice (it may correct it until the case is closed)."""
    n = _locked(notification_id)
    _require_view(staff, n)
    if n.status in (DualStatus.OVERDUE, DualStatus.FEEDBACK) and staff.department_id != n.handler_id:
        raise PermissionDenied(f"dual notification {n.pk} is answered by {n.handler_id}")
    if not selectors.may_give_feedback(staff, n):
        raise _status_error(n, _("反馈"))
    if choice not in DualFeedback.values:
        raise DualActionError(_("请选择核查结果。"))
    note = (note or "").strip()
    if choice == DualFeedback.OTHER and not note:
        raise DualActionError(_("选择“其他”时请填写说明。"))
    before = {**_state(n), "feedback": n.feedback}
    n.status = DualStatus.FEEDBACK
    n.feedback = choice
    n.feedback_note = note
    n.feedback_department_id = staff.department_id
    n.feedback_by = staff.user
    n.feedback_at = timezone.now()
    label = DualFeedback(choice).label
    _save_step(n, staff=staff, step=DualStepKind.FEEDBACK, action=Action.FEEDBACK, before=before,
               note=f"{label}。{note}" if note else str(label),
               fields=["status", "feedback", "feedback_note", "feedback_department", "feedback_by", "feedback_at"],
               extra={"feedback": choice, "note": note})  # fmt: skip
    return n


@transaction.atomic
def dual_notification_close(*, notification_id: int, staff: StaffProfile, note: str = "") -> DualNotification:
    """办结: the handling department's leader (or an administrator) accepts the feedback."""
    n = _locked(notification_id)
    _require_view(staff, n)
    if n.status == DualStatus.FEEDBACK and not selectors.may_close(staff, n):
        raise PermissionDenied(f"closing dual notification {n.pk} is for the leaders of {n.handler_id}")
    if not selectors.may_close(staff, n):
        raise _status_error(n, _("办结"))
    before = _state(n)
    n.status = DualStatus.CLOSED
    n.closed_by = staff.user
    n.closed_at = timezone.now()
    note = (note or "").strip()
    _save_step(n, staff=staff, step=DualStepKind.CLOSE, action=Action.CLOSE, before=before, note=note,
               fields=["status", "closed_by", "closed_at"], extra={"note": note})  # fmt: skip
    return n


PERSONAL_FIELDS = ("legal_rep_id_number", "phone")


@transaction.atomic
def dual_personal_view(*, notification_id: int, staff: StaffProfile) -> dict[str, str]:
    """The registration's contact details for the competent department, each reading audited."""
    n = DualNotification.objects.filter(pk=notification_id).first()
    if n is None:
        raise DualNotification.DoesNotExist(notification_id)
    if not selectors.may_view_personal(staff, n):
        raise PermissionDenied(f"personal data of dual notification {n.pk}")
    personal = (
        PRIVATE_MODELS["registration"]
        .objects.filter(row_id=n.registration_id)
        .values_list("personal", flat=True)
        .first()
    ) or {}
    shown = {key: str(personal[key]) for key in PERSONAL_FIELDS if personal.get(key)}
    audit_record(
        action=Action.VIEW_PERSONAL,
        actor=staff.user,
        department_id=staff.department_id,
        subject_uscc=n.subject_id,
        obj=n,
        after={"fields": sorted(shown), "record": f"registration:{n.registration_id}"},
    )
    return shown


# --------------------------------------------------------------------------- the catalogue


def _entry_dict(entry: PostLicenceCatalogEntry) -> dict:
    return {
        "id": entry.pk,
        "licence": entry.licence,
        "department": entry.department_id,
        "scope_keywords": list(entry.scope_keywords),
        "legal_basis": entry.legal_basis,
    }


def _catalogue_snapshot() -> list[dict]:
    return [
        _entry_dict(e) for e in PostLicenceCatalogEntry.objects.order_by("department_id", "licence", "id")
    ]


def _next_revision(*, author, note: str) -> CatalogRevision:
    latest = CatalogRevision.objects.order_by("-version").first()
    return CatalogRevision.objects.create(
        version=(latest.version + 1) if latest else 1,
        entries=_catalogue_snapshot(),
        author=author,
        note=note,
    )


def _catalogue_change(*, author, note: str, change) -> CatalogRevision:
    """Apply `change` (returns before, after) and keep the new version; version 1 is the catalogue
    as the reference data loaded it, kept before the first edit."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CATALOGUE_LOCK])
        if not CatalogRevision.objects.exists():
            _next_revision(author=None, note=_("初始目录（参考数据）"))
        before, after = change()
        revision = _next_revision(author=author, note=note)
        audit_record(
            action=Action.CATALOG_CHANGE,
            actor=author,
            obj=revision,
            before=before,
            after={**(after or {}), "version": revision.version, "note": note},
        )
    return revision


def catalogue_entry_save(
    *,
    entry_id: int | None,
    licence: str,
    department_id: str,
    scope_keywords: list[str],
    legal_basis: str,
    author,
    note: str = "",
) -> CatalogRevision:
    """Add (entry_id None) or edit an entry of the post-licence catalogue; a new version results."""
    keywords = list(dict.fromkeys(k.strip() for k in scope_keywords if k.strip()))
    if not keywords:
        raise DualActionError(_("请至少填写一个经营范围关键词。"))
    clash = PostLicenceCatalogEntry.objects.filter(licence=licence.strip(), department_id=department_id)
    if entry_id is not None:
        clash = clash.exclude(pk=entry_id)
    if clash.exists():
        raise DualActionError(_("该部门的此项许可已在目录中。"))

    def change():
        if entry_id is None:
            entry, before = PostLicenceCatalogEntry(), None
        else:
            entry = PostLicenceCatalogEntry.objects.select_for_update().get(pk=entry_id)
            before = _entry_dict(entry)
        entry.licence = licence.strip()
        entry.department_id = department_id
        entry.scope_keywords = keywords
        entry.legal_basis = legal_basis.strip()
        entry.save()
        return before, _entry_dict(entry)

    return _catalogue_change(author=author, note=note, change=change)


def catalogue_entry_delete(*, entry_id: int, author, note: str = "") -> CatalogRevision:
    """Remove an entry; notifications already pushed keep their snapshot of it."""

    def change():
        entry = PostLicenceCatalogEntry.objects.select_for_update().get(pk=entry_id)
        before = _entry_dict(entry)
        entry.delete()
        return before, None

    return _catalogue_change(author=author, note=note, change=change)
