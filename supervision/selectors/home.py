"""The workspace home: every queue of the user's department, with counts, and whether the published
colours are known to be true (the watchdog's last run, the subjects waiting for evaluation)."""

from dataclasses import dataclass

from supervision.selectors import dual, inspections, linked, repair
from supervision.selectors.queues import Queue
from warning_system.accounts.models import StaffProfile
from warning_system.classification import selectors as classification
from warning_system.classification.models import ColourVerification


@dataclass(frozen=True)
class ColourHealth:
    verification: ColourVerification | None
    backlog: int


def home_queues(staff: StaffProfile) -> list[Queue]:
    return [*dual.queues(staff), *linked.queues(staff), *repair.queues(staff), *inspections.queues(staff)]


def colour_health() -> ColourHealth:
    return ColourHealth(classification.latest_verification(), classification.evaluation_backlog())
