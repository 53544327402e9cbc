"""Writes of the colour engine: (re)classify subjects, keep history and daily counts, publish
rulesets, and credit repair."""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext

from warning_system import jobs
from warning_system.audit import chain
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.forking import drop_inherited_connections
from warning_system.locks import advisory_lock
from warning_system.monitoring import counters
from warning_system.registry.models import RECORD_MODELS
from warning_system.registry.services import subjects_mark_for_evaluation

from . import rules, selectors
from .models import (
    Applicant,
    ColourVerification,
    DailyColourCount,
    RepairApplication,
    RepairStatus,
    RepairStep,
    Ruleset,
    SubjectColour,
)
from .signals import colours_stored

logger = logging.getLogger(__name__)

BATCH = 20_000
DRAIN_JOB = "classification.evaluations_drain"
# Below this a full recompute is quicker in one process than forking.
PARALLEL_MIN_SUBJECTS = 50_000


@dataclass
class ClassifyResult:
    day: date
    ruleset_version: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(rules.COLOURS, 0))
    evaluated: int = 0
    changed: int = 0

    def add(self, other: ClassifyResult) -> None:
        self.evaluated += other.evaluated
        self.changed += other.changed
        for colour, count in other.counts.items():
            self.counts[colour] += count


def ruleset_for(day: date) -> Ruleset:
    """The ruleset in effect on `day`; the defaults become version 1 if there is none yet
    (a database flushed by tests, or restored without its seed)."""
    ruleset = selectors.ruleset_for(day)
    if ruleset is None:
        ruleset, _ = Ruleset.objects.get_or_create(
            version=1,
            defaults={"rules": rules.DEFAULT_RULES, "repair": rules.DEFAULT_REPAIR,
                      "effective_from": date(2000, 1, 1), "note": "系统默认规则"},
        )  # fmt: skip
    return ruleset


def stored_explanation(evaluation: rules.Evaluation) -> dict:
    """The explanation without its day: the day lives in `evaluated_on`, so an unchanged colour
    is an unchanged row."""
    explained = rules.explanation(evaluation)
    return {"rules": explained["rules"], "next_change": explained["next_change"]}


def evaluate_subjects(usccs: list[str] | None, day: date, ruleset: Ruleset) -> dict[str, rules.Evaluation]:
    """Evaluations for the subjects that have records a rule may use; the others are green."""
    records = selectors.rule_records(ruleset.rules, day, usccs)
    return {uscc: rules.evaluate(ruleset.rules, by_kind, day) for uscc, by_kind in records.items()}


def classify(
    usccs: Iterable[str] | None = None, *, day: date | None = None, store: bool = True
) -> ClassifyResult:
    """Evaluate subjects (all when `usccs` is None) on `day` and, with `store`, keep the result.

    The whole city is split into CLASSIFY_WORKERS contiguous USCC ranges evaluated and stored by
    forked processes at once: evaluation is pure Python, and one process would leave a core idle.
    A stored whole-city pass also clears the evaluation marks it covered (read before evaluating,
    so a change committed meanwhile keeps its mark).
    """
    day = day or timezone.localdate()
    ruleset = ruleset_for(day)
    # Records may name subjects not registered yet: only registered subjects carry a colour.
    targets = selectors.all_subject_usccs() if usccs is None else selectors.registered(usccs)
    result = ClassifyResult(day, ruleset.version)
    clear_marks = store and usccs is None
    workers = settings.CLASSIFY_WORKERS
    if usccs is None and workers > 1 and len(targets) >= PARALLEL_MIN_SUBJECTS and _may_fork():
        for part in _in_forked_ranges(targets, _classify_range, day, ruleset.pk, store, clear_marks):
            result.add(part)
    else:
        marks = selectors.evaluation_marks() if clear_marks else []
        # The whole city reads its few rule-relevant records in one pass; a set of subjects, per batch.
        city = evaluate_subjects(None, day, ruleset) if usccs is None else None
        _evaluate_and_store(targets, city, day, ruleset, store, result)
        if marks:
            evaluation_marks_clear(marks=marks)
    if store:
        colours_stored.send(sender=classify, usccs=None if usccs is None else targets, day=day)
    return result


def _in_forked_ranges(targets: list[str], function, *args) -> list:
    """`function(range_of_targets, *args)` in CLASSIFY_WORKERS forked processes, one contiguous
    range of the sorted targets each; their results in order."""
    targets = sorted(targets)
    workers = settings.CLASSIFY_WORKERS
    size = -(-len(targets) // workers)
    slices = [targets[i : i + size] for i in range(0, len(targets), size)]
    connections.close_all()  # each forked process opens its own connection
    with multiprocessing.get_context("fork").Pool(
        len(slices), initializer=drop_inherited_connections
    ) as pool:
        return pool.starmap(function, [(part, *args) for part in slices])


def _may_fork() -> bool:
    """Not inside a transaction (the processes could not see it) nor in a daemonic process (a
    Celery pool worker may not have children)."""
    return not connection.in_atomic_block and not multiprocessing.current_process().daemon


def _classify_range(
    targets: list[str], day: date, ruleset_pk: int, store: bool, clear_marks: bool
) -> ClassifyResult:
    """One forked process's share of the city: the sorted, contiguous `targets`."""
    ruleset = Ruleset.objects.get(pk=ruleset_pk)
    span = (targets[0], targets[-1])
    marks = selectors.evaluation_marks(uscc_range=span) if clear_marks else []
    records = selectors.rule_records(ruleset.rules, day, uscc_range=span)
    evaluations = {uscc: rules.evaluate(ruleset.rules, by_kind, day) for uscc, by_kind in records.items()}
    result = ClassifyResult(day, ruleset.version)
    _evaluate_and_store(targets, evaluations, day, ruleset, store, result)
    if marks:
        evaluation_marks_clear(marks=marks)
    connections.close_all()
    return result


def _evaluate_and_store(
    targets: list[str],
    evaluations: dict | None,
    day: date,
    ruleset: Ruleset,
    store: bool,
    result: ClassifyResult,
) -> None:
    """Colours of `targets` in batches (from `evaluations`, or evaluated per batch when None)."""
    green = {"rules": [], "next_change": None}
    for start in range(0, len(targets), BATCH):
        batch = targets[start : start + BATCH]
        batch_evaluations = evaluations if evaluations is not None else evaluate_subjects(batch, day, ruleset)
        rows = []
        for uscc in batch:
            evaluation = batch_evaluations.get(uscc)
            colour = evaluation.colour if evaluation else rules.GREEN
            result.counts[colour] += 1
            if store:
                explained = stored_explanation(evaluation) if evaluation else green
                rows.append(
                    (
                        uscc,
                        colour,
                        json.dumps(explained, ensure_ascii=False),
                        evaluation.next_change_on if evaluation else None,
                        (evaluation.next_colour or "") if evaluation else "",
                    )
                )
        result.evaluated += len(batch)
        if store:
            result.changed += _store(rows, day, ruleset)


_STORE = """
WITH changes AS (
    INSERT INTO classification_colourchange (subject_id, from_colour, to_colour, effective_on, changed_at,
                                             ruleset_id, explanation)
    SELECT s.uscc, COALESCE(c.colour, ''), s.colour, %(day)s, now(), %(ruleset)s, s.explanation
    FROM stage_colour s LEFT JOIN classification_subjectcolour c ON c.subject_id = s.uscc
    WHERE c.colour IS DISTINCT FROM s.colour
    RETURNING 1
)
INSERT INTO classification_subjectcolour AS c (subject_id, colour, since, evaluated_on, ruleset_id, explanation,
                                               next_change_on, next_colour, updated_at)
SELECT uscc, colour, %(day)s, %(day)s, %(ruleset)s, explanation, next_change_on, next_colour, now()
FROM stage_colour ORDER BY uscc
ON CONFLICT (subject_id) DO UPDATE SET
    since = CASE WHEN c.colour = EXCLUDED.colour THEN c.since ELSE EXCLUDED.since END,
    colour = EXCLUDED.colour, evaluated_on = EXCLUDED.evaluated_on, ruleset_id = EXCLUDED.ruleset_id,
    explanation = EXCLUDED.explanation, next_change_on = EXCLUDED.next_change_on,
    next_colour = EXCLUDED.next_colour, updated_at = now()
WHERE (c.colour, c.explanation, c.next_change_on, c.next_colour, c.ruleset_id)
      IS DISTINCT FROM (EXCLUDED.colour, EXCLUDED.explanation, EXCLUDED.next_change_on, EXCLUDED.next_colour,
                        EXCLUDED.ruleset_id)
"""


def _store(rows: list[tuple], day: date, ruleset: Ruleset) -> int:
    """COPY the evaluations into staging, then one statement writes history and colours."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS stage_colour")
        cursor.execute(
            "CREATE TEMPORARY TABLE stage_colour (uscc text, colour text, explanation jsonb,"
            " next_change_on date, next_colour text) ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY stage_colour FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(_STORE, {"day": day, "ruleset": ruleset.pk})
        return cursor.rowcount


def reclassify_subjects(usccs: Iterable[str]) -> ClassifyResult:
    """Exactly these subjects, today (a command line's list, a test)."""
    return classify(usccs)


# --------------------------------------------------------------------------- the evaluation outbox

# Clears only marks still carrying the seq read before evaluating; a mark another transaction
# holds (it is re-marking the subject right now) is skipped and stays for the next drain.
_CLEAR_MARKS = """
DELETE FROM registry_evaluationmark m WHERE m.uscc IN (
    SELECT x.uscc FROM registry_evaluationmark x
    JOIN unnest(%s::text[], %s::bigint[]) AS p (uscc, seq) ON x.uscc = p.uscc AND x.seq = p.seq
    FOR UPDATE OF x SKIP LOCKED
)
"""


def evaluation_marks_clear(*, marks: list[tuple[str, int]]) -> int:
    """Clear evaluated marks (uscc, seq as read before the evaluation); returns how many went."""
    cleared = 0
    with connection.cursor() as cursor:
        for start in range(0, len(marks), BATCH):
            chunk = marks[start : start + BATCH]
            cursor.execute(_CLEAR_MARKS, [[u for u, _ in chunk], [seq for _, seq in chunk]])
            cleared += cursor.rowcount
    return cleared


def evaluations_request_drain() -> None:
    """A drain once the caller's transaction commits (its marks are then visible): in-process
    without a broker, on a worker with one. Beat drains every minute as well."""
    jobs.enqueue_on_commit(DRAIN_JOB)


def subjects_schedule_evaluation(*, usccs: Iterable[str]) -> None:
    """Mark subjects for evaluation in the caller's transaction and ask for a drain after it commits."""
    if subjects_mark_for_evaluation(usccs=usccs):
        evaluations_request_drain()


@dataclass
class DrainResult:
    drained: int = 0  # marks cleared
    evaluated: int = 0
    changed: int = 0
    batches: int = 0
    whole_city: bool = False
    skipped: bool = False  # another drainer was at work: it takes these marks too
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in self.__dataclass_fields__}


def evaluations_drain(*, batch_size: int = BATCH) -> DrainResult:
    """Evaluate every subject marked in the outbox and clear its mark, until none is left.

    One drainer at a time in the whole deployment (an advisory lock on a connection of its own,
    which survives the forks of a whole-city pass); a second caller returns at once. A backlog
    the size of a bulk load is evaluated as one whole-city pass on every core; a smaller one in
    batches, oldest marks first. Marks that arrive while it runs are taken in the same call.
    """
    started = time.perf_counter()
    result = DrainResult()
    with advisory_lock(DRAIN_JOB) as held:
        if not held:
            result.skipped = True
            return result
        if _may_fork() and selectors.evaluation_backlog() >= PARALLEL_MIN_SUBJECTS:
            before = selectors.evaluation_backlog()
            city = classify()
            result.whole_city = True
            result.evaluated, result.changed, result.batches = city.evaluated, city.changed, 1
            result.drained = before - selectors.evaluation_backlog()
        after_seq = 0
        while marks := selectors.evaluation_marks(after_seq=after_seq, limit=batch_size):
            part = classify([uscc for uscc, _ in marks])
            result.drained += evaluation_marks_clear(marks=marks)
            result.evaluated += part.evaluated
            result.changed += part.changed
            result.batches += 1
            after_seq = marks[-1][1]
    result.seconds = round(time.perf_counter() - started, 3)
    counters.note_drain()
    return result


# --------------------------------------------------------------------------- the watchdog

VERIFY_SAMPLE = 200


@dataclass
class VerifyResult:
    as_of: date
    evaluated: int = 0
    differing: int = 0
    transitions: dict[str, int] = field(default_factory=dict)
    subjects: list[dict] = field(default_factory=list)  # every differing subject (the sample is stored)
    fixed: int = 0
    seconds: float = 0.0

    def add(self, other: VerifyResult) -> None:
        self.evaluated += other.evaluated
        self.differing += other.differing
        for key, count in other.transitions.items():
            self.transitions[key] = self.transitions.get(key, 0) + count
        self.subjects.extend(other.subjects)

    def as_dict(self, *, sample: int | None = None) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "evaluated": self.evaluated,
            "differing": self.differing,
            "transitions": dict(sorted(self.transitions.items())),
            "subjects": self.subjects[:sample] if sample else self.subjects,
            "fixed": self.fixed,
            "seconds": self.seconds,
        }


def colours_verify(*, fix: bool = False, day: date | None = None) -> VerifyResult:
    """Recompute every subject's colour and compare it with the one published (colour and reasons).

    Read-only unless `fix`: then the differing subjects are stored anew. Each run is kept
    (ColourVerification) and a difference is logged at ERROR, so a colour lagging its records can
    never go unnoticed. Split across processes like a whole-city pass, so it costs about as much.
    """
    started = time.perf_counter()
    day = day or timezone.localdate()
    ruleset = ruleset_for(day)
    targets = selectors.all_subject_usccs()
    result = VerifyResult(day)
    if settings.CLASSIFY_WORKERS > 1 and len(targets) >= PARALLEL_MIN_SUBJECTS and _may_fork():
        for part in _in_forked_ranges(targets, _verify_range, day, ruleset.pk):
            result.add(part)
    elif targets:
        result.add(_verify_range(sorted(targets), day, ruleset.pk, forked=False))
    if fix and result.differing:
        differing = [s["uscc"] for s in result.subjects]
        result.fixed = classify(None if len(differing) > len(targets) // 2 else differing, day=day).evaluated
        result.fixed = min(result.fixed, result.differing)
    result.seconds = round(time.perf_counter() - started, 3)
    ColourVerification.objects.create(
        as_of=day, evaluated=result.evaluated, differing=result.differing, transitions=result.transitions,
        subjects=result.subjects[:VERIFY_SAMPLE], fixed=result.fixed, seconds=result.seconds,
    )  # fmt: skip
    if result.differing:
        logger.error(
            "colour verification: %d of %d subjects published with a colour or reasons that differ from "
            "their records (%s)%s", result.differing, result.evaluated, result.transitions,
            "; fixed" if result.fixed else "",
        )  # fmt: skip
    return result


def _verify_range(targets: list[str], day: date, ruleset_pk: int, forked: bool = True) -> VerifyResult:
    """Compare the published colours of the sorted, contiguous `targets` with their evaluation."""
    ruleset = Ruleset.objects.get(pk=ruleset_pk)
    span = (targets[0], targets[-1])
    records = selectors.rule_records(ruleset.rules, day, uscc_range=span)
    published = selectors.published_colours(uscc_range=span)
    result = VerifyResult(day)
    green = {"rules": [], "next_change": None}
    for uscc in targets:
        evaluation = rules.evaluate(ruleset.rules, records[uscc], day) if uscc in records else None
        computed = evaluation.colour if evaluation else rules.GREEN
        explained = json.loads(json.dumps(stored_explanation(evaluation))) if evaluation else green
        stored_colour, stored_explained = published.get(uscc, (None, None))
        result.evaluated += 1
        if stored_colour == computed and stored_explained == explained:
            continue
        key = f"{stored_colour or 'none'}→{computed}"
        result.transitions[key] = result.transitions.get(key, 0) + 1
        result.differing += 1
        result.subjects.append({"uscc": uscc, "stored": stored_colour, "computed": computed,
                                "reasons_only": stored_colour == computed})  # fmt: skip
    if forked:
        connections.close_all()
    return result


def record_daily_counts(day: date | None = None) -> DailyColourCount:
    day = day or timezone.localdate()
    counts = selectors.colour_counts()
    row, _ = DailyColourCount.objects.update_or_create(day=day, defaults=counts)
    return row


def reclassify_due(day: date | None = None) -> ClassifyResult:
    """The daily job: only subjects whose next change falls due, then the day's counts."""
    day = day or timezone.localdate()
    due = set(selectors.due_subjects(day))
    # A ruleset published ahead of time takes effect today: its subjects are due too.
    for ruleset in Ruleset.objects.filter(effective_from=day, version__gt=1):
        previous = Ruleset.objects.filter(version__lt=ruleset.version).order_by("-version").first()
        due |= affected_subjects(previous.rules if previous else [], ruleset.rules)
    result = classify(due, day=day)
    record_daily_counts(day)
    return result


def publish_ruleset(
    *, rules_data: list[dict], repair: dict | None = None, effective_from: date | None = None,
    author=None, note: str = "",
) -> tuple[Ruleset, ClassifyResult | None]:  # fmt: skip
    """A new version (never an edit in place); recompute the subjects whose records the change affects.

    One transaction: the version, the colours it gives and its audit entry commit together. The
    entry is written last, because the audit chain's lock is held from then until the commit.
    """
    previous = ruleset_for(effective_from or timezone.localdate())
    with transaction.atomic():
        latest = Ruleset.objects.select_for_update().order_by("-version").first()
        ruleset = Ruleset.objects.create(
            version=(latest.version + 1) if latest else 1,
            rules=rules_data,
            repair=repair if repair is not None else (previous.repair if previous else rules.DEFAULT_REPAIR),
            effective_from=effective_from or timezone.localdate(),
            author=author,
            note=note,
        )
        result = None
        if ruleset.effective_from <= timezone.localdate():
            result = classify(affected_subjects(previous.rules if previous else [], rules_data))
        audit_record(
            action=Action.RULESET_CHANGE, actor=author, obj=ruleset,
            before=_ruleset_facts(latest) if latest else None, after=_ruleset_facts(ruleset),
        )  # fmt: skip
    return ruleset, result


def _ruleset_facts(ruleset: Ruleset) -> dict:
    """What the trail keeps of a version: the rules themselves by digest (the version row holds them)."""
    return {
        "version": ruleset.version,
        "effective_from": ruleset.effective_from,
        "author": ruleset.author.get_username() if ruleset.author else "",
        "note": ruleset.note,
        "rules_sha256": hashlib.sha256(chain.canonical(ruleset.rules).encode()).hexdigest(),
        "repair_sha256": hashlib.sha256(chain.canonical(ruleset.repair).encode()).hexdigest(),
    }


def affected_subjects(old_rules: list[dict], new_rules: list[dict]) -> set[str]:
    """Subjects with records of a kind whose rules changed, under the old or the new rules."""

    def by_kind(rule_list):
        grouped: dict[str, list] = {}
        for rule in rule_list:
            grouped.setdefault(rules._rule_kind(rule), []).append(rule)
        return grouped

    old, new = by_kind(old_rules), by_kind(new_rules)
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    day = timezone.localdate()
    touched: set[str] = set()
    for rule_list in (old_rules, new_rules):
        relevant = [r for r in rule_list if rules._rule_kind(r) in changed]
        touched.update(selectors.rule_records(relevant, day).keys())
    touched.update(SubjectColour.objects.exclude(colour=rules.GREEN).values_list("subject_id", flat=True))
    return touched


# --------------------------------------------------------------------------- credit repair


class RepairError(Exception):
    """An application that cannot be made or decided; the message says why."""


def repair_eligibility(kind: str, record: dict, day: date, repair: dict) -> tuple[bool, str]:
    """docs/rules.md §4: penalties after 6 months of publication (12 in sensitive fields), never the
    restrictive ones; abnormal listings once the cause is cured (the department decides)."""
    if kind not in repair["repairable_kinds"]:
        return False, gettext("该类信息不适用信用修复申请，待其自然到期或依数据更新解除")
    if kind == "penalty":
        categories = set(record.get("penalty_categories") or ())
        if categories & set(repair["not_repairable_categories"]):
            return False, gettext("吊销、责令关闭、限制从业等处罚不可修复")
        sensitive = record.get("department_id") in repair["sensitive_departments"] or any(
            word in (record.get("violation_type") or "") for word in repair["sensitive_keywords"]
        )
        months = repair["sensitive_penalty_months" if sensitive else "penalty_months"]
        eligible_on = rules.add_months(record["decided_on"], months)
        if day < eligible_on:
            return False, gettext("处罚决定公示满%(months)s个月后（%(day)s 起）方可申请") % {
                "months": months,
                "day": eligible_on.isoformat(),
            }
    if kind == "abnormal_listing" and record.get("removed_on"):
        return False, gettext("已移出经营异常名录，无需修复")
    return True, ""


def _record(kind: str, record_pk: int) -> dict:
    model = RECORD_MODELS[kind]
    fields = ("id", "department_id", "record_id", "subject_id", "withdrawn",
              *selectors.RULE_FIELDS.get(kind, ()))  # fmt: skip
    found = model.objects.filter(pk=record_pk).values(*fields).first()
    if found is None:
        raise RepairError(gettext("记录不存在"))
    return found


def repair_application_check(
    *, kind: str, record_pk: int, applicant: str, reason: str, day: date | None = None
) -> dict:
    """What `apply_for_repair` would refuse, refused here without writing (a form validates with it);
    returns the record."""
    if kind not in RECORD_MODELS:
        raise RepairError(gettext("未知的数据类型：%(kind)s") % {"kind": kind})
    record = _record(kind, record_pk)
    if record["subject_id"] is None:
        raise RepairError(gettext("记录尚未关联到主体"))
    if applicant not in Applicant.values:
        raise RepairError(gettext("申请人类型无效"))
    if not reason.strip():
        raise RepairError(gettext("请填写申请理由"))
    ruleset = ruleset_for(day or timezone.localdate())
    ok, why = repair_eligibility(kind, record, day or timezone.localdate(), ruleset.repair)
    if not ok:
        raise RepairError(why)
    if RepairApplication.objects.filter(kind=kind, record_pk=record_pk, status=RepairStatus.PENDING).exists():
        raise RepairError(gettext("该记录已有待审核的修复申请"))
    return record


def apply_for_repair(
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


def decide_repair(
    *, application: RepairApplication, approve: bool, reviewer, reason: str
) -> RepairApplication:
    """Approve or reject; an approval stops the record counting at once (recompute after commit)."""
    if application.status != RepairStatus.PENDING:
        raise RepairError(gettext("该申请已审核"))
    if not approve and not reason.strip():
        raise RepairError(gettext("驳回须说明理由"))
    before = {"status": application.status, "decision_reason": application.decision_reason}
    with transaction.atomic():
        # Two reviewers deciding at once: the second finds it decided.
        locked = RepairApplication.objects.select_for_update().values_list("status", flat=True)
        if locked.get(pk=application.pk) != RepairStatus.PENDING:
            raise RepairError(gettext("该申请已审核"))
        if approve:
            # The rules in force decide now, not when the application was made: a record that may
            # never be repaired (or not yet) cannot turn a subject green through an old application.
            record = _record(application.kind, application.record_pk)
            ruleset = ruleset_for(timezone.localdate())
            ok, why = repair_eligibility(application.kind, record, timezone.localdate(), ruleset.repair)
            if not ok:
                raise RepairError(gettext("该记录按现行规则不可修复：%(why)s") % {"why": why})
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
