"""Thin Celery wrappers around the colour engine's services."""

from celery import shared_task

from warning_system import jobs

from . import services


@jobs.runs(services.DRAIN_JOB)
@shared_task(acks_late=True)
def drain_evaluations() -> dict:
    return services.evaluations_drain().as_dict()


@shared_task(acks_late=True)
def reclassify_subjects(usccs: list[str]) -> dict:
    result = services.reclassify_subjects(usccs)
    return {"evaluated": result.evaluated, "changed": result.changed}


@shared_task(acks_late=True)
def reclassify_due() -> dict:
    result = services.reclassify_due()
    return {"evaluated": result.evaluated, "changed": result.changed}


@shared_task(acks_late=True)
def reclassify_all() -> dict:
    result = services.classify()
    return {"evaluated": result.evaluated, "changed": result.changed}


@shared_task(acks_late=True)
def verify_colours(fix: bool = True) -> dict:
    return services.colours_verify(fix=fix).as_dict()
