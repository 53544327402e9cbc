"""Thin Celery wrappers: each takes ids, calls one service. acks_late + idempotent services make a
worker killed mid-file harmless: the file's transaction rolls back and the retry redoes it."""

from pathlib import Path

from celery import shared_task
from django.conf import settings

from warning_system import jobs

from . import selectors, services
from .models import PullSource
from .services.inbox import GROUP_JOB


@shared_task(acks_late=True, reject_on_worker_lost=True)
def collect_inbox() -> dict:
    settings.FEED_INBOX.mkdir(parents=True, exist_ok=True)
    return services.inbox_poll(inbox=settings.FEED_INBOX)


@jobs.runs(GROUP_JOB)
@shared_task(acks_late=True, reject_on_worker_lost=True)
def collect_inbox_group(inbox: str, department_code: str, kind: str) -> int:
    return len(services.inbox_group_collect(inbox=Path(inbox), department_code=department_code, kind=kind))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def pull_source(source_id: int) -> None:
    source = PullSource.objects.select_related("department").get(pk=source_id)
    services.pull_source(source)


@shared_task
def pull_due_sources() -> int:
    due = selectors.due_pull_sources()
    for source in due:
        pull_source.delay(source.pk)
    return len(due)


@shared_task
def close_dead_runs() -> list[int]:
    return services.ingest_runs_close_dead()
