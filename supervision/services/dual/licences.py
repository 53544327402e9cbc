"""Licences arriving: the open notifications of the subjects whose licence came in are marked licensed."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import (
    DualStatus,
    DualStepKind,
)
from supervision.services.batching import chunks
from warning_system import jobs
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

from .base import (
    MATCH_JOB,
    OPEN,
    WATCHED,
    _add_steps,
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


def licence_matching_schedule(*, usccs: Iterable[str]) -> None:
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
