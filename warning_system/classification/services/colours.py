"""Classify subjects: evaluate their records under the ruleset of a day and store the colours, their
reasons, history and next change in one statement per batch; a whole city split across forked
processes by USCC range."""

from __future__ import annotations

import json
import logging
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from warning_system.forking import drop_inherited_connections

from .. import rules, selectors
from ..models import (
    Ruleset,
)
from ..signals import colours_stored

logger = logging.getLogger("warning_system.classification.services")  # one name, whichever part logs

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


def subjects_evaluate(usccs: list[str] | None, day: date, ruleset: Ruleset) -> dict[str, rules.Evaluation]:
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
        city = subjects_evaluate(None, day, ruleset) if usccs is None else None
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
        batch_evaluations = evaluations if evaluations is not None else subjects_evaluate(batch, day, ruleset)
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
