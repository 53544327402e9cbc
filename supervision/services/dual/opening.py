"""双告知 opened: the registrations a stored batch changed are matched against the post-licence
catalogue and a notification is pushed per licence they newly call for (set-based, one statement)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision import workdays
from supervision.models import (
    DualScopeMatch,
    DualStepKind,
)
from supervision.selectors import dual as selectors
from supervision.services.batching import chunks
from warning_system import jobs
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

from .base import (
    CLAIM_WORKDAYS,
    LICENCE_DAYS,
    OPEN_JOB,
    OPERATING,
    _add_steps,
    _dept_names,
    window_days,
)
from .licences import _match_licences

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


def dual_opening_schedule(*, run_id: int, usccs: Iterable[str]) -> None:
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
