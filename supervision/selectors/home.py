"""The workspace home: every queue of the user's department, with counts."""

from supervision.selectors import dual, inspections, linked, repair
from supervision.selectors.queues import Queue
from warning_system.accounts.models import StaffProfile


def home_queues(staff: StaffProfile) -> list[Queue]:
    return [*dual.queues(staff), *linked.queues(staff), *repair.queues(staff), *inspections.queues(staff)]
