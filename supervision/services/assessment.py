"""部门考核: score every department's reporting of one month, set-based over the registry.

What counts where (the month is a calendar month in the city's time zone, Asia/Shanghai):

- A record counts in the month it first **arrived** (`received_at`, the collectors' first store;
  records stored by re-processing a quarantined record are not a new arrival: their first
  arrival was already counted as quarantined). A quarantined record counts in the month it was
  quarantined. A correction or withdrawal counts in the month it happened (`changed_at`).
- **Timeliness**: records of the kinds that carry a decision date (`DECISION_DATES`) that arrived
  in the month and are not withdrawn. On time: arrived (China date) no later than the
  `deadline_workdays`-th working day after the decision date (supervision.workdays: the public
  holiday calendar with 调休 and the city's overrides). Records decided before their department
  first delivered that kind through a feed (its first successful file, pull or push run) are the
  initial backfill: they could not have been on time and are not scored (counted as `backfill`).
- **Accuracy**: received = arrived + quarantined; score = (received − quarantined −
  correction_deduction × corrections − withdrawal_deduction × withdrawals) / received, at least 0.
  A correction is a stored record whose content changed after its first arrival (the collectors'
  "updated"); the registry keeps a record's latest version only, so a record corrected twice
  counts once, in the month of its latest change.
- **Completeness**: the contract's required fields are always filled (a record missing one is
  quarantined and costs accuracy), so the fields part scores the important optional fields of
  `IMPORTANT_FIELDS` over the month's arrivals (filled cells / expected cells). The feeds part is
  the share of the kinds the department sends (departments.csv) for which it delivered at least
  `runs_per_kind` successful runs in the month (the contract gives no frequency). Completeness =
  fields_share % fields + the rest feeds.
- **Total**: the parts weighted by the policy; a part nothing could be scored for is left out and
  the others' weights rescaled. Rank: by total, highest first (ties share a rank).

Each kind's table is read once, by one statement that also writes the month's findings (the
records that cost points); nothing loops over records in Python.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from supervision.models import AssessmentPolicy, DepartmentMonthScore
from supervision.workdays import add_workdays
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry import contract
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.models import RECORD_MODELS, Department

logger = logging.getLogger(__name__)

# The date each kind's decision was taken on (the 双公示 deadline runs from it). Kinds without
# one (registrations, arrears, complaints, inspections, annual reports, property rights: states
# or self-disclosures rather than decisions) are not scored for timeliness.
DECISION_DATES: dict[str, str] = {
    "license": "decided_on",
    "penalty": "decided_on",
    "abnormal_listing": "listed_on",
    "serious_violation": "listed_on",
    "court_judgment": "judged_on",
    "dishonest_debtor": "published_on",
    "honor": "awarded_on",
}

# Optional fields of the contract that a useful record carries. For licences and penalties, the
# fields the national 双公示 standard (2021) requires but the city's contract leaves optional: the
# subject's USCC, the decision's content and basis, the authority's USCC, the data source. For the
# other kinds, the field a reader needs to act on the record. Annual reports are the subject's own
# disclosure (the department only relays them): not scored. Personal fields are never scored.
IMPORTANT_FIELDS: dict[str, tuple[str, ...]] = {
    "registration": (
        "legal_representative",
        "registered_capital",
        "address",
        "industry_code",
        "business_scope",
    ),
    "license": ("uscc", "license_category", "content", "authority_uscc", "data_source"),
    "penalty": ("uscc", "violation_facts", "legal_basis", "penalty_content", "authority_uscc", "data_source"),
    "abnormal_listing": ("listing_document_number",),
    "serious_violation": ("document_number",),
    "court_judgment": ("uscc", "cause"),
    "dishonest_debtor": ("uscc", "obligation"),
    "arrears": ("creditor",),
    "property_right": ("registration_no",),
    "complaint": ("uscc",),
    "inspection": (),
    "annual_report": (),
    "honor": (),
}

# Runs that are a department's delivery (not re-processing of the quarantine, not workspace entry).
FEED_CHANNELS = [Channel.FILE, Channel.PULL, Channel.PUSH]
# Decision dates this long before the month are past any deadline of its arrivals (7 working days
# never span more than n * 2 + 21 calendar days: supervision.workdays.SLACK).
CALENDAR_LOOKBACK_DAYS = 80
ASSESSMENT_LOCK = 0x0A55E55
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class Counts:
    """The counts behind a department's month (names as DepartmentMonthScore's fields)."""

    timed: int = 0
    late: int = 0
    backfill: int = 0
    received: int = 0
    quarantined: int = 0
    corrections: int = 0
    withdrawals: int = 0
    fields_expected: int = 0
    fields_filled: int = 0
    incomplete: int = 0
    feeds_expected: int = 0
    feeds_received: int = 0

    def add(self, **values: int) -> None:
        for name, value in values.items():
            setattr(self, name, getattr(self, name) + (value or 0))


@dataclass
class Parts:
    timeliness: Decimal | None = None
    accuracy: Decimal | None = None
    fields_score: Decimal | None = None
    feeds_score: Decimal | None = None
    completeness: Decimal | None = None
    total: Decimal | None = None


@dataclass
class MonthAssessment:
    month: date
    policy_version: int
    departments: int
    scores: list[DepartmentMonthScore] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "month": self.month.isoformat(),
            "policy": self.policy_version,
            "departments": self.departments,
        }


# --------------------------------------------------------------------------- the formulas


def _share(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (HUNDRED * Decimal(part) / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def _weighted(values: dict[str, Decimal | None], weights: dict[str, int | Decimal]) -> Decimal | None:
    """The weighted mean of the parts that were scored; None when none was (or all weigh 0)."""
    scored = {k: v for k, v in values.items() if v is not None and weights[k]}
    weight = sum(Decimal(weights[k]) for k in scored)
    if not weight:
        return None
    return (sum(Decimal(weights[k]) * v for k, v in scored.items()) / weight).quantize(CENT, ROUND_HALF_UP)


def score_parts(counts: Counts, policy: AssessmentPolicy) -> Parts:
    """The three parts and the total from a month's counts, by the policy's numbers."""
    parts = Parts()
    parts.timeliness = _share(counts.timed - counts.late, counts.timed)
    deductions = (
        counts.quarantined
        + policy.correction_deduction * counts.corrections
        + policy.withdrawal_deduction * counts.withdrawals
    )
    parts.accuracy = _share(max(Decimal(counts.received) - deductions, Decimal(0)), counts.received)
    parts.fields_score = _share(counts.fields_filled, counts.fields_expected)
    parts.feeds_score = _share(counts.feeds_received, counts.feeds_expected)
    parts.completeness = _weighted(
        {"fields": parts.fields_score, "feeds": parts.feeds_score},
        {"fields": policy.fields_share, "feeds": 100 - policy.fields_share},
    )
    parts.total = _weighted(
        {"timeliness": parts.timeliness, "accuracy": parts.accuracy, "completeness": parts.completeness},
        policy.weights,
    )
    return parts


# --------------------------------------------------------------------------- the month


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))


def month_bounds(first: date) -> tuple[datetime, datetime, date]:
    """The month's first instant, the next month's first instant (city time), its last day."""
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end, last


def deadline_calendar(first: date, last: date, workdays: int) -> tuple[list[date], list[date]]:
    """Each decision date that can still be on time for an arrival in [first, last], with its deadline."""
    days = [first - timedelta(days=CALENDAR_LOOKBACK_DAYS) + timedelta(days=i)
            for i in range((last - first).days + 1 + CALENDAR_LOOKBACK_DAYS)]  # fmt: skip
    return days, [add_workdays(day, workdays) for day in days]


def assessment_policy_current() -> AssessmentPolicy:
    """The newest version; version 1 with the defaults of docs/rules.md §8 if there is none yet."""
    policy = AssessmentPolicy.objects.order_by("-version").first()
    return policy or AssessmentPolicy.objects.create(version=1, note="系统默认值")


def _filled(column: str) -> str:
    return f"NULLIF(btrim(t.\"{column}\"::text), '') IS NOT NULL"


def _kind_sql(kind: str) -> str:
    """One pass over a kind's table: the month's findings inserted, the counts per department returned."""
    table = RECORD_MODELS[kind]._meta.db_table
    decision = DECISION_DATES.get(kind)
    decided = f't."{decision}"' if decision else "NULL::date"
    important = IMPORTANT_FIELDS[kind]
    missing = (
        "array_remove(ARRAY["
        + ", ".join(f"CASE WHEN {_filled(c)} THEN NULL ELSE '{c}' END" for c in important)
        + "]::text[], NULL)"
        if important
        else "ARRAY[]::text[]"
    )
    return f"""
    WITH cal AS (
        SELECT c.day, c.deadline FROM unnest(%(days)s::date[], %(deadlines)s::date[]) AS c(day, deadline)
    ), live AS (
        SELECT department_id, min(timezone(%(tz)s, started_at))::date AS live_on FROM registry_ingestrun
        WHERE kind = %(kind)s AND status = %(succeeded)s AND channel = ANY(%(channels)s) GROUP BY department_id
    ), rec AS (
        SELECT t.id, t.department_id, t.record_id, t.subject_name, t.withdrawn, t.received_at,
            (t.received_at >= %(start)s AND t.received_at < %(end)s AND t.received_via <> %(reprocess)s) AS arrived,
            (t.changed_at >= %(start)s AND t.changed_at < %(end)s) AS changed_now,
            t.changed_at > t.received_at AS changed_later,
            timezone(%(tz)s, t.received_at)::date AS arrived_on,
            {decided} AS decided_on,
            {missing} AS missing
        FROM {table} t
        WHERE (t.received_at >= %(start)s AND t.received_at < %(end)s)
           OR (t.changed_at >= %(start)s AND t.changed_at < %(end)s)
    ), judged AS (
        SELECT r.*, cal.deadline,
            r.arrived AND NOT r.withdrawn AND r.decided_on IS NOT NULL AS dated,
            COALESCE(r.decided_on < live.live_on, false) AS is_backfill,
            CASE WHEN r.decided_on >= r.arrived_on THEN false
                 WHEN cal.deadline IS NOT NULL THEN r.arrived_on > cal.deadline
                 ELSE true END AS is_late
        FROM rec r LEFT JOIN cal ON cal.day = r.decided_on LEFT JOIN live ON live.department_id = r.department_id
    ), flags AS (
        SELECT j.*,
            j.dated AND NOT j.is_backfill AS timed,
            j.changed_now AND j.changed_later AND NOT j.withdrawn AS corrected,
            j.changed_now AND j.withdrawn AS withdrawn_now,
            j.arrived AND NOT j.withdrawn AS fielded
        FROM judged j
    ), found AS (
        INSERT INTO supervision_assessmentfinding
            (score_id, problem, kind, row_id, record_id, subject_name, decided_on, deadline, arrived_at, details)
        SELECT s.id, p.problem, %(kind)s, f.id, f.record_id, COALESCE(f.subject_name, ''), f.decided_on,
               f.deadline, f.received_at, p.details
        FROM flags f
        JOIN supervision_departmentmonthscore s ON s.department_id = f.department_id AND s.month = %(month)s
        CROSS JOIN LATERAL (VALUES
            ('late', f.timed AND f.is_late, ARRAY[]::text[]),
            ('corrected', f.corrected, ARRAY[]::text[]),
            ('withdrawn', f.withdrawn_now, ARRAY[]::text[]),
            ('incomplete', f.fielded AND cardinality(f.missing) > 0, f.missing)
        ) AS p(problem, hit, details)
        WHERE p.hit
        ORDER BY s.id, f.id
        RETURNING 1
    )
    SELECT department_id,
        count(*) FILTER (WHERE timed),
        count(*) FILTER (WHERE timed AND is_late),
        count(*) FILTER (WHERE dated AND is_backfill),
        count(*) FILTER (WHERE arrived),
        count(*) FILTER (WHERE corrected),
        count(*) FILTER (WHERE withdrawn_now),
        count(*) FILTER (WHERE fielded) * {len(important)},
        count(*) FILTER (WHERE fielded) * {len(important)}
            - COALESCE(sum(cardinality(missing)) FILTER (WHERE fielded), 0),
        count(*) FILTER (WHERE fielded AND cardinality(missing) > 0)
    FROM flags GROUP BY department_id
    """


QUARANTINE_SQL = """
WITH q AS (
    SELECT id, department_id, kind, record_id, raw, errors, created_at FROM registry_quarantinedrecord
    WHERE created_at >= %(start)s AND created_at < %(end)s AND channel <> %(reprocess)s
), found AS (
    INSERT INTO supervision_assessmentfinding
        (score_id, problem, kind, row_id, record_id, subject_name, decided_on, deadline, arrived_at, details)
    SELECT s.id, 'quarantined', q.kind, q.id, q.record_id, '', NULL, NULL, q.created_at,
        ARRAY(SELECT e->>'message' FROM jsonb_array_elements(q.errors) e)
    FROM q JOIN supervision_departmentmonthscore s ON s.department_id = q.department_id AND s.month = %(month)s
    ORDER BY s.id, q.id
    RETURNING 1
)
SELECT department_id, count(*) FROM q GROUP BY department_id
"""

FEEDS_SQL = """
WITH expected AS (
    SELECT d.code AS department_id, k.kind FROM registry_department d CROSS JOIN LATERAL unnest(d.kinds) AS k(kind)
), delivered AS (
    SELECT e.department_id, e.kind, count(r.id) AS runs FROM expected e
    LEFT JOIN registry_ingestrun r ON r.department_id = e.department_id AND r.kind = e.kind
        AND r.status = %(succeeded)s AND r.channel = ANY(%(channels)s)
        AND r.started_at >= %(start)s AND r.started_at < %(end)s
    GROUP BY e.department_id, e.kind
), found AS (
    INSERT INTO supervision_assessmentfinding
        (score_id, problem, kind, row_id, record_id, subject_name, decided_on, deadline, arrived_at, details)
    SELECT s.id, 'missing_feed', d.kind, NULL, '', '', NULL, NULL, NULL, ARRAY[d.runs::text]
    FROM delivered d JOIN supervision_departmentmonthscore s ON s.department_id = d.department_id
        AND s.month = %(month)s
    WHERE d.runs < %(runs_per_kind)s
    RETURNING 1
)
SELECT department_id, count(*), count(*) FILTER (WHERE runs >= %(runs_per_kind)s) FROM delivered
GROUP BY department_id
"""

RANK_SQL = """
UPDATE supervision_departmentmonthscore s SET rank = r.rank
FROM (SELECT id, rank() OVER (ORDER BY total DESC) AS rank FROM supervision_departmentmonthscore
      WHERE month = %(month)s AND total IS NOT NULL) r
WHERE s.id = r.id
"""

KIND_COLUMNS = ("timed", "late", "backfill", "received", "corrections", "withdrawals",
                "fields_expected", "fields_filled", "incomplete")  # fmt: skip


def month_assess(year: int, month: int, *, policy: AssessmentPolicy | None = None) -> MonthAssessment:
    """Score every department for the month and store the scores with their findings.

    Running it again replaces the month's scores (with the current state of the registry and the
    current policy version); the figures of other months are left alone.
    """
    first = date(year, month, 1)
    policy = policy or assessment_policy_current()
    start, end, last = month_bounds(first)
    days, deadlines = deadline_calendar(first, last, policy.deadline_workdays)
    params = {
        "start": start,
        "end": end,
        "month": first,
        "tz": settings.TIME_ZONE,
        "days": days,
        "deadlines": deadlines,
        "succeeded": RunStatus.SUCCEEDED,
        "channels": [str(c) for c in FEED_CHANNELS],
        "reprocess": Channel.REPROCESS,
        "runs_per_kind": policy.runs_per_kind,
    }
    counts: dict[str, Counts] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # Two runs of the same month (beat and a command) queue here instead of colliding.
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)", [ASSESSMENT_LOCK, first.year * 100 + first.month]
        )
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(
            "DELETE FROM supervision_assessmentfinding WHERE score_id IN "
            "(SELECT id FROM supervision_departmentmonthscore WHERE month = %s)",
            [first],
        )
        DepartmentMonthScore.objects.filter(month=first).delete()
        now = timezone.now()
        scores = DepartmentMonthScore.objects.bulk_create(
            DepartmentMonthScore(department_id=code, month=first, policy=policy, computed_at=now)
            for code in Department.objects.order_by("code").values_list("code", flat=True)
        )
        counts = {score.department_id: Counts() for score in scores}
        for kind in contract.KINDS:
            cursor.execute(_kind_sql(kind), {**params, "kind": kind})
            for department_id, *values in cursor.fetchall():
                if department_id in counts:
                    counts[department_id].add(**dict(zip(KIND_COLUMNS, values, strict=True)))
        cursor.execute(QUARANTINE_SQL, params)
        for department_id, quarantined in cursor.fetchall():
            if department_id in counts:
                counts[department_id].add(quarantined=quarantined, received=quarantined)
        cursor.execute(FEEDS_SQL, params)
        for department_id, expected, received in cursor.fetchall():
            counts[department_id].add(feeds_expected=expected, feeds_received=received)

        for score in scores:
            c = counts[score.department_id]
            for f in fields(c):
                setattr(score, f.name, getattr(c, f.name))
            for name, value in vars(score_parts(c, policy)).items():
                setattr(score, name, value)
        DepartmentMonthScore.objects.bulk_update(
            scores, [f.name for f in fields(Counts)] + [f.name for f in fields(Parts)]
        )
        cursor.execute(RANK_SQL, {"month": first})
    logger.info("assessed %s for %d departments (policy v%s)", first.isoformat(), len(scores), policy.version)
    return MonthAssessment(first, policy.version, len(scores), scores)


# --------------------------------------------------------------------------- audited reads


def assessment_view_record(*, user, staff, department_id: str, month: date | None) -> None:
    """A look at another department's assessment (an administrator's) enters the trail."""
    if department_id != staff.department_id:
        audit_record(
            action=Action.ASSESSMENT_VIEW, actor=user, object_type="supervision.departmentmonthscore",
            object_id=department_id, after={"department": department_id,
                                            "month": month.strftime("%Y-%m") if month else None},
        )  # fmt: skip


def assessment_export_record(
    *, user, department_id: str | None, month: date, what: str, filters: dict
) -> None:
    """Every CSV export enters the trail: which month, which department (None: every one), filters."""
    audit_record(
        action=Action.EXPORT, actor=user, object_type="supervision.departmentmonthscore",
        object_id=department_id or "", after={"what": what, "month": month.strftime("%Y-%m"),
                                              "department": department_id, "filters": filters},
    )  # fmt: skip
