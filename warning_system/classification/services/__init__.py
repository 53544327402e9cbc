"""Writes of the colour engine: (re)classify subjects, keep history and daily counts, publish
rulesets, and credit repair.

Parts: `colours` (classify and store), `outbox` (marks drained after commit), `watchdog` (stored
colours checked), `rulesets` (new versions, the daily job), `repair` (credit repair).
"""

from __future__ import annotations

from .colours import (
    BATCH,
    PARALLEL_MIN_SUBJECTS,
    ClassifyResult,
    classify,
    evaluation_marks_clear,
    reclassify_subjects,
    ruleset_for,
    stored_explanation,
    subjects_evaluate,
)
from .outbox import (
    DRAIN_JOB,
    DrainResult,
    evaluations_drain,
    evaluations_request_drain,
    subjects_schedule_evaluation,
)
from .repair import RepairError, repair_application_check, repair_apply, repair_decide
from .rulesets import affected_subjects, daily_counts_record, reclassify_due, ruleset_publish
from .watchdog import VERIFY_SAMPLE, VerifyResult, colours_verify

__all__ = [
    "BATCH",
    "ClassifyResult",
    "DRAIN_JOB",
    "DrainResult",
    "PARALLEL_MIN_SUBJECTS",
    "RepairError",
    "VERIFY_SAMPLE",
    "VerifyResult",
    "affected_subjects",
    "repair_apply",
    "classify",
    "colours_verify",
    "repair_decide",
    "subjects_evaluate",
    "evaluation_marks_clear",
    "evaluations_drain",
    "evaluations_request_drain",
    "ruleset_publish",
    "reclassify_due",
    "reclassify_subjects",
    "daily_counts_record",
    "repair_application_check",
    "ruleset_for",
    "stored_explanation",
    "subjects_schedule_evaluation",
]
