"""Reads of the linked area."""

from supervision.selectors.queues import Queue
from warning_system.accounts.models import StaffProfile


def queues(staff: StaffProfile) -> list[Queue]:
    """This area's tiles on the workspace home."""
    return []
