"""Writes of the colour engine: (re)classify subjects, keep history and daily counts, publish
rulesets, and credit repair."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from warning_system.audit import chain
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.forking import drop_inherited_connections
from warning_system.registry.models import RECORD_MODELS

from . import rules, selectors
from .models import (
    Applicant,
    DailyColourCount,
    RepairApplication,
    RepairStatus,
    RepairStep,
    Ruleset,
    SubjectColour,
)
from .signals import colours_stored

BATCH = 20_000
# Below this a full recompute is quicker in one process than forking.
PARALLEL_MIN_SUBJECTS = 50_000


@dataclass
class ClassifyResult:
    day: date
    ruleset_version: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(rules.COLOURS, 0))
    evaluated: int = 0
    changed: int = 0


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
    """
    day = day or timezone.localdate()
    ruleset = ruleset_for(day)
    # Records may name subjects not registered yet: only registered subjects carry a colour.
    targets = selectors.all_subject_usccs() if usccs is None else selectors.registered(usccs)
    result = ClassifyResult(day, ruleset.version)
    workers = settings.CLASSIFY_WORKERS
    if usccs is None and workers > 1 and len(targets) >= PARALLEL_MIN_SUBJECTS and _may_fork():
        targets.sort()
        size = -(-len(targets) // workers)
        slices = [targets[i : i + size] for i in range(0, len(targets), size)]
        connections.close_all()  # each forked process opens its own connection
        with multiprocessing.get_context("fork").Pool(
            len(slices), initializer=drop_inherited_connections
        ) as pool:
            parts = pool.starmap(_classify_range, [(part, day, ruleset.pk, store) for part in slices])
        for part in parts:
            result.evaluated += part.evaluated
            result.changed += part.changed
            for colour, count in part.counts.items():
                result.counts[colour] += count
    else:
        # The whole city reads its few rule-relevant records in one pass; a set of subjects, per batch.
        city = evaluate_subjects(None, day, ruleset) if usccs is None else None
        _evaluate_and_store(targets, city, day, ruleset, store, result)
    if store:
        colours_stored.send(sender=classify, usccs=None if usccs is None else targets, day=day)
    return result


def _may_fork() -> bool:
    """Not inside a transaction (the processes could not see it) nor in a daemonic process (a
    Celery pool worker may not have children)."""
    return not connection.in_atomic_block and not multiprocessing.current_process().daemon


def _classify_range(targets: list[str], day: date, ruleset_pk: int, store: bool) -> ClassifyResult:
    """One forked process's share of the city: the sorted, contiguous `targets`."""
    ruleset = Ruleset.objects.get(pk=ruleset_pk)
    records = selectors.rule_records(ruleset.rules, day, uscc_range=(targets[0], targets[-1]))
    evaluations = {uscc: rules.evaluate(ruleset.rules, by_kind, day) for uscc, by_kind in records.items()}
    result = ClassifyResult(day, ruleset.version)
    _evaluate_and_store(targets, evaluations, day, ruleset, store, result)
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
    """The incremental path: exactly the subjects an ingest (or a repair) touched, today."""
    return classify(usccs)


def schedule_reclassification(usccs: Iterable[str] | None) -> None:
    """After the surrounding transaction commits: a Celery task with a broker, in-process without.

    None means the whole city (a bulk load: one full recompute beats a list of every subject).
    """
    from . import tasks

    if usccs is None:
        transaction.on_commit(lambda: tasks.reclassify_all.delay())
        return
    usccs = sorted(set(usccs))
    if usccs:
        transaction.on_commit(lambda: tasks.reclassify_subjects.delay(usccs))


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
        return False, "该类信息不适用信用修复申请，待其自然到期或依数据更新解除"
    if kind == "penalty":
        categories = set(record.get("penalty_categories") or ())
        if categories & set(repair["not_repairable_categories"]):
            return False, "吊销、责令关闭、限制从业等处罚不可修复"
        sensitive = record.get("department_id") in repair["sensitive_departments"] or any(
            word in (record.get("violation_type") or "") for word in repair["sensitive_keywords"]
        )
        months = repair["sensitive_penalty_months" if sensitive else "penalty_months"]
        eligible_on = rules.add_months(record["decided_on"], months)
        if day < eligible_on:
            return False, f"处罚决定公示满{months}个月后（{eligible_on.isoformat()} 起）方可申请"
    if kind == "abnormal_listing" and record.get("removed_on"):
        return False, "已移出经营异常名录，无需修复"
    return True, ""


def _record(kind: str, record_pk: int) -> dict:
    model = RECORD_MODELS[kind]
    fields = ("id", "department_id", "record_id", "subject_id", "withdrawn",
              *selectors.RULE_FIELDS.get(kind, ()))  # fmt: skip
    found = model.objects.filter(pk=record_pk).values(*fields).first()
    if found is None:
        raise RepairError("记录不存在")
    return found


def apply_for_repair(
    *, kind: str, record_pk: int, applicant: str, applicant_name: str, reason: str, day: date | None = None,
    actor=None,
) -> RepairApplication:  # fmt: skip
    """`actor`: the regulator entering the application (None when the subject applies itself)."""
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
        raise RepairError("该申请已审核")
    if not approve and not reason.strip():
        raise RepairError("驳回须说明理由")
    before = {"status": application.status, "decision_reason": application.decision_reason}
    with transaction.atomic():
        # Two reviewers deciding at once: the second finds it decided.
        locked = RepairApplication.objects.select_for_update().values_list("status", flat=True)
        if locked.get(pk=application.pk) != RepairStatus.PENDING:
            raise RepairError("该申请已审核")
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
            schedule_reclassification([application.subject_id])
    return application
