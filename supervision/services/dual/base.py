"""What the steps of 双告知 share: the deadlines' lengths, the error, a notification's state, its timeline
steps."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings

from supervision.models import (
    DualNotification,
    DualStatus,
    DualStep,
)
from warning_system.registry.models import Department

logger = logging.getLogger("supervision.services.dual")  # one name for the area, whichever part logs

CLAIM_WORKDAYS = 5
OPEN_JOB = "supervision.dual_open_notifications"  # run by supervision.tasks.dual
MATCH_JOB = "supervision.dual_match_licences"
LICENCE_DAYS = 30
SYSTEM = "system"
# The periodic job runs every 15 minutes and daily: one at a time.
ADVANCE_LOCK = 0x5D0A1
CATALOGUE_LOCK = 0x5D0A2
OPEN = [s.value for s in (DualStatus.PUSHED, DualStatus.POOLED, DualStatus.CLAIMED)]
# A licence found after the written notice is recorded too (the feedback form shows it).
WATCHED = [*OPEN, DualStatus.OVERDUE.value, DualStatus.FEEDBACK.value]
OPERATING = ["existing", "operating"]  # 存续, 在业: the other registration statuses do not trade


class DualActionError(Exception):
    """A step the notification's state does not allow (the message says why, for the user)."""


def window_days() -> int:
    """Registrations older than this predate the system (a city ingests years of history)."""
    return getattr(settings, "DUAL_NOTIFICATION_WINDOW_DAYS", 30)


def feedback_workdays() -> int:
    return getattr(settings, "DUAL_FEEDBACK_WORKDAYS", 10)


def notice_number(year: int, seq: int) -> str:
    return f"双告知〔{year}〕{seq:04d}号"


def _state(n: DualNotification) -> dict:
    return {"status": n.status, "claimed_by": n.claimed_by_id or "", "licence": n.licence}


def _add_steps(
    rows: list[tuple[int, str, str | None, str]], *, at: datetime, actor_name: str = SYSTEM
) -> None:
    """Timeline steps (notification id, step, department, note), in one INSERT."""
    DualStep.objects.bulk_create(
        [
            DualStep(
                notification_id=nid, step=step, department_id=dept, actor_name=actor_name, at=at, note=note
            )
            for nid, step, dept, note in rows
        ]
    )


def _dept_names(codes: Iterable[str]) -> dict[str, str]:
    return dict(Department.objects.filter(code__in=set(codes)).values_list("code", "name"))
