"""Time passing: the periodic job pools what nobody claimed and raises the written notices of
notifications whose licence is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision import workdays
from supervision.models import (
    DualStatus,
    DualStepKind,
)
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

from .base import (
    ADVANCE_LOCK,
    OPEN,
    _add_steps,
    _dept_names,
    feedback_workdays,
    logger,
    notice_number,
)
from .licences import _match_licences
from .opening import dual_notifications_sweep

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
