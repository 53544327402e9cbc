"""Celery tasks of the linked area: thin wrappers over its services."""

from celery import shared_task

from supervision.services import linked as services
from warning_system import jobs

__all__ = ["raise_key_alerts", "route_linked_records"]


@jobs.runs(services.ROUTE_JOB)
@shared_task(acks_late=True)
def route_linked_records(kind: str, department_id: str, run_id: int, usccs: list[str]) -> int:
    return services.linked_records_route(kind=kind, department_id=department_id, run_id=run_id, usccs=usccs)


@jobs.runs(services.KEY_ALERTS_JOB)
@shared_task(acks_late=True)
def raise_key_alerts(kind: str, run_id: int, usccs: list[str]) -> int:
    return services.key_alerts_raise(kind=kind, run_id=run_id, usccs=usccs)
