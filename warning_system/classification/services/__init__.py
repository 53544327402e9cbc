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
    evaluate_subjects,
    evaluation_marks_clear,
    reclassify_subjects,
    ruleset_for,
    stored_explanation,
)
from .outbox import (
    DRAIN_JOB,
    DrainResult,
    evaluations_drain,
    evaluations_request_drain,
    subjects_schedule_evaluation,
)
from .repair import RepairError, apply_for_repair, decide_repair, repair_application_check
from .rulesets import affected_subjects, publish_ruleset, reclassify_due, record_daily_counts
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
    "apply_for_repair",
    "classify",
    "colours_verify",
    "decide_repair",
    "evaluate_subjects",
    "evaluation_marks_clear",
    "evaluations_drain",
    "evaluations_request_drain",
    "publish_ruleset",
    "reclassify_due",
    "reclassify_subjects",
    "record_daily_counts",
    "repair_application_check",
    "ruleset_for",
    "stored_explanation",
    "subjects_schedule_evaluation",
]
