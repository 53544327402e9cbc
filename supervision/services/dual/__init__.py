"""Writes of 双告知 (docs/rules.md §5). Each step is one atomic service: check the transition, write the
state, add the timeline step and the audit entry. The system's own steps (push, licence found, pool,
overdue) are set-based: one statement moves every notification due, then each gets its step and
its audit entry in the same transaction.

Entry points for the rest of the system:
- `dual_opening_schedule(run_id=…, usccs=…)`: a registration batch was stored (receiver).
- `licence_matching_schedule(usccs=…)`: a licence batch was stored (receiver).
- `dual_notifications_advance(now=…, sweep=…)`: the periodic job (every 15 minutes; daily with
  the sweep), and what the demo script calls (with the sweep) after its ingest.

Parts: `base` (shared), `opening` (push), `licences` (licences arriving), `deadlines` (time passing),
`steps` (the departments' steps), `catalogue` (the post-licence catalogue).
"""

from .base import (
    ADVANCE_LOCK,
    CATALOGUE_LOCK,
    CLAIM_WORKDAYS,
    LICENCE_DAYS,
    MATCH_JOB,
    OPEN,
    OPEN_JOB,
    OPERATING,
    SYSTEM,
    WATCHED,
    DualActionError,
    feedback_workdays,
    notice_number,
    window_days,
)
from .catalogue import catalogue_entry_delete, catalogue_entry_save
from .deadlines import AdvanceResult, dual_notifications_advance
from .licences import dual_licences_match, licence_matching_schedule
from .opening import (
    OpenResult,
    dual_notifications_open,
    dual_notifications_sweep,
    dual_opening_schedule,
    dual_scope_snapshot_backfill,
)
from .steps import (
    PERSONAL_FIELDS,
    dual_notification_claim,
    dual_notification_close,
    dual_notification_feedback,
    dual_notification_return,
    dual_personal_view,
)

__all__ = [
    "ADVANCE_LOCK",
    "AdvanceResult",
    "CATALOGUE_LOCK",
    "CLAIM_WORKDAYS",
    "DualActionError",
    "LICENCE_DAYS",
    "MATCH_JOB",
    "OPEN",
    "OPEN_JOB",
    "OPERATING",
    "OpenResult",
    "PERSONAL_FIELDS",
    "SYSTEM",
    "WATCHED",
    "catalogue_entry_delete",
    "catalogue_entry_save",
    "dual_licences_match",
    "dual_notification_claim",
    "dual_notification_close",
    "dual_notification_feedback",
    "dual_notification_return",
    "dual_notifications_advance",
    "dual_notifications_open",
    "dual_notifications_sweep",
    "dual_personal_view",
    "dual_scope_snapshot_backfill",
    "feedback_workdays",
    "notice_number",
    "dual_opening_schedule",
    "licence_matching_schedule",
    "window_days",
]
