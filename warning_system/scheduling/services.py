"""The beat schedule run in-process, for a deployment without a broker (`make run`'s default).

With Redis, Celery beat sends the jobs of CELERY_BEAT_SCHEDULE to the workers. Without one,
nothing would ever advance a colour whose window ends, a 双告知 deadline or an audit anchor after
the first load; `manage.py run_schedule` runs the same schedule in one process of its own (one
per deployment, guarded by an advisory lock), calling each task in-process when it falls due.
When each job last ran is kept in the database: a job missed while the machine was off (the
night's re-evaluation) runs at the next start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from celery import current_app
from celery.schedules import schedule as interval_schedule
from django.conf import settings
from django.utils import timezone

from .models import ScheduledJob

logger = logging.getLogger(__name__)


@dataclass
class Tick:
    ran: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    next_in_seconds: float = 60.0


def _schedule_of(entry: dict):
    every = entry["schedule"]
    return interval_schedule(run_every=every) if isinstance(every, timedelta) else every


def schedule_tick(*, now: datetime | None = None) -> Tick:
    """Run, in this process, every job of CELERY_BEAT_SCHEDULE that is due; one failing job never
    stops the others. A job seen for the first time starts its clock now (as beat does)."""
    now = now or timezone.now()
    tick = Tick()
    known = {job.name: job for job in ScheduledJob.objects.all()}
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        job = known.get(name)
        if job is None:
            ScheduledJob.objects.create(name=name, task=entry["task"], last_run_at=now)
            continue
        due, next_seconds = _schedule_of(entry).is_due(job.last_run_at)
        tick.next_in_seconds = min(tick.next_in_seconds, max(next_seconds, 1.0))
        if due:
            _run(job, entry, now, tick)
    return tick


def _task(name: str):
    """The task by name; every app's tasks module is imported first (a worker does that at start)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def _run(job: ScheduledJob, entry: dict, now: datetime, tick: Tick) -> None:
    job.task, job.last_run_at, job.runs = entry["task"], now, job.runs + 1
    try:
        _task(entry["task"]).apply(args=entry.get("args", ()), kwargs=entry.get("kwargs", {}), throw=True)
    except Exception as exc:  # noqa: BLE001  (one job's failure is recorded, the others run)
        logger.exception("scheduled job %s failed", job.name)
        job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        tick.failed[job.name] = job.last_error
    else:
        job.last_error = ""
        tick.ran.append(job.name)
    job.last_finished_at = timezone.now()
    job.save()
