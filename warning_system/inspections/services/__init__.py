"""Writes of 双随机、一公开. Each step of a task is one transaction: lock the task, check the step is
allowed from its state, write the new state and the step's audit entry together, queue the rest
(re-classification, page drops) on commit.

The draw itself (canonical files, the sampler) is verify_draw.py beside this package, the published
verifier: seeding and drawing run it here; freezing takes the files the workspace builds over its
scope of subjects (a scope can name the workspace's own key supervision).

- `base`: the files, the step order, the error, the lock and the audit entry every step shares;
- `seeds`: the seed's announced sources and the canonical form of their values;
- `steps`: draft → frozen → seeded → drawn → published → results → closed, or cancelled;
- `results`: results entered and corrected, inspectors assigned by hand;
- `directory`: the inspectors directory and the inspection policy.
"""

from .base import (
    BULK_BATCH,
    BUNDLE_FILE,
    CONFLICTS_FILE,
    DRAW_FILES,
    FROZEN_FILES,
    MIN_INSPECTORS,
    STEP_LABELS,
    InspectionError,
    sha256_hex,
)
from .directory import inspector_save, policy_save
from .results import (
    ATTACHMENT_MAGIC,
    ATTACHMENT_MAGIC_BYTES,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_COUNT,
    ATTACHMENT_TYPES,
    RESULTS,
    UploadedAttachment,
    attachment_type,
    attachments_check,
    manual_assignment_create,
    result_correct,
    result_record,
)
from .seeds import (
    MIN_SEED_SOURCES,
    SEED_FORMAT_MAX,
    SEED_FORMATS,
    canonical_seed_value,
    seed_sources_check,
    seed_values_check,
)
from .steps import (
    JOB_FROM,
    JOB_STALE,
    DrawnPick,
    task_cancel,
    task_close,
    task_draw,
    task_job_finish,
    task_job_start,
    task_publish,
    task_save,
    task_seed,
    task_store_frozen,
)

__all__ = [
    "ATTACHMENT_MAGIC",
    "ATTACHMENT_MAGIC_BYTES",
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_MAX_COUNT",
    "ATTACHMENT_TYPES",
    "BULK_BATCH",
    "BUNDLE_FILE",
    "CONFLICTS_FILE",
    "DRAW_FILES",
    "FROZEN_FILES",
    "JOB_FROM",
    "JOB_STALE",
    "MIN_INSPECTORS",
    "MIN_SEED_SOURCES",
    "RESULTS",
    "SEED_FORMATS",
    "SEED_FORMAT_MAX",
    "STEP_LABELS",
    "DrawnPick",
    "InspectionError",
    "UploadedAttachment",
    "manual_assignment_create",
    "attachment_type",
    "canonical_seed_value",
    "attachments_check",
    "inspector_save",
    "policy_save",
    "result_correct",
    "result_record",
    "seed_sources_check",
    "seed_values_check",
    "sha256_hex",
    "task_cancel",
    "task_close",
    "task_draw",
    "task_job_finish",
    "task_job_start",
    "task_publish",
    "task_save",
    "task_seed",
    "task_store_frozen",
]
