"""Thin Celery wrappers around the registry's services."""

from celery import shared_task

from warning_system import jobs

from . import services


@jobs.runs(services.SEARCH_NAMES_JOB)
@shared_task(acks_late=True)
def refresh_search_names() -> int:
    return services.search_names_refresh()
