"""The evaluation outbox: subjects marked for evaluation in the transaction that changed their records,
drained after commit by a job (docs/decisions.md, the evaluation outbox)."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from warning_system import jobs
from warning_system.locks import advisory_lock
from warning_system.monitoring import counters
from warning_system.registry.services import subjects_mark_for_evaluation

from .. import selectors
from . import colours  # PARALLEL_MIN_SUBJECTS read at each call: one setting for every part
from .colours import (
    BATCH,
    _may_fork,
    classify,
    evaluation_marks_clear,
)

DRAIN_JOB = "classification.evaluations_drain"  # run by classification.tasks


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
        if _may_fork() and selectors.evaluation_backlog() >= colours.PARALLEL_MIN_SUBJECTS:
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
