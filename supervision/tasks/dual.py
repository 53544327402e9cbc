"""Celery tasks of the dual area: thin wrappers over its services."""

from celery import shared_task

from supervision.services import dual as services
from warning_system import jobs

__all__ = ["dual_advance", "dual_match_licences", "dual_open_notifications"]


@jobs.runs(services.OPEN_JOB)
@shared_task(acks_late=True)
def dual_open_notifications(run_id: int, usccs: list[str]) -> dict:
    result = services.dual_notifications_open(run_id=run_id, usccs=usccs)
    return {"pushed": result.pushed, "licensed": result.licensed}


@jobs.runs(services.MATCH_JOB)
@shared_task(acks_late=True)
def dual_match_licences(usccs: list[str]) -> dict:
    return {"licensed": services.dual_licences_match(usccs=usccs)}


@shared_task(acks_late=True)
def dual_advance(sweep: bool = False) -> dict:
    """Every 15 minutes; just after midnight with the sweep (CELERY_BEAT_SCHEDULE)."""
    return services.dual_notifications_advance(sweep=sweep).as_dict()
