"""Celery tasks of 双随机: the freeze and the draw, which read a whole directory (a 1,000,000-subject
freeze takes longer than a web request should), run here; thin wrappers over the area's services."""

from celery import shared_task

from supervision.services import inspections as services
from warning_system import jobs

__all__ = ["inspection_draw", "inspection_freeze"]


@jobs.runs(services.FREEZE_JOB)
@shared_task(acks_late=True)
def inspection_freeze(task_id: int, user_id: int, seed_sources: list[dict]) -> str:
    return services.task_freeze_job(task_id=task_id, user_id=user_id, seed_sources=seed_sources)


@jobs.runs(services.DRAW_JOB)
@shared_task(acks_late=True)
def inspection_draw(task_id: int, user_id: int) -> str:
    return services.task_draw_job(task_id=task_id, user_id=user_id)
