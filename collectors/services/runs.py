"""Ingest runs: one row per file, pushed batch, pull series or re-processing, with how it ended.

A run is committed as "running" before its records are read, so an interrupted run stays
visible. While it runs, its process holds a session-level advisory lock named after it; the
server frees that lock when the process or its connection dies (SIGKILL, OOM, a restart of
PostgreSQL), which is how `ingest_runs_close_dead` tells a dead run from a slow one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from warning_system.registry.choices import RunStatus
from warning_system.registry.loading import Outcome
from warning_system.registry.models import IngestRun
from warning_system.registry.text import storable_text

# The two-key advisory lock space of ingest runs (one lock per run id).
RUN_LOCK_CLASS = 0x52554E  # "RUN"
DIED = "处理进程中断（进程被终止、内存不足或数据库重启），已保存的记录保留；未完成的文件将重新处理"
_held: set[int] = set()  # runs this process holds the lock of


def _lock_key(run_id: int) -> list[int]:
    return [RUN_LOCK_CLASS, run_id % 2_147_483_647]


def run_start(
    *, channel: str, department_id: str | None, kind: str = "", source: str = "", sha256: str = ""
) -> IngestRun:
    """Create the run (committed first, outside the records' transaction) and hold its lock."""
    run = IngestRun.objects.create(
        channel=channel,
        department_id=department_id,
        kind=kind,
        source=storable_text(source),
        file_sha256=sha256,
        host=settings.INGEST_HOST,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", _lock_key(run.pk))
    _held.add(run.pk)
    return run


def run_progress_save(run: IngestRun, outcome: Outcome) -> None:
    """Keep the counts of what a long run has committed so far (a pull series commits per page):
    should it die, its row says what it stored."""
    IngestRun.objects.filter(pk=run.pk).update(**outcome.as_dict())


def run_finish(
    run: IngestRun,
    outcome: Outcome,
    *,
    status: str = RunStatus.SUCCEEDED,
    error: str = "",
    ignored_columns: list[str] | None = None,
) -> None:
    """Record how the run ended and let go of its lock. Texts taken from a file (its error, its
    unknown column names) are made storable first: a NUL in them must not fail this save."""
    for name, value in outcome.as_dict().items():
        setattr(run, name, value)
    run.status = status
    run.error = storable_text(error)
    run.ignored_columns = [storable_text(c)[:200] for c in ignored_columns or []]
    run.finished_at = timezone.now()
    run.save()
    run_release(run)


def run_release(run: IngestRun) -> None:
    if run.pk in _held:
        _held.discard(run.pk)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _lock_key(run.pk))


def ingest_runs_close_dead() -> list[int]:
    """Close as failed every run still "running" whose process is gone; returns their ids.

    A live run's process holds its lock, so trying the lock tells: taken means dead. The counts
    the run committed stay as they are (a pull series saves them per page; a file or a batch is one
    transaction, so a dead one stored nothing and its file is read again).
    """
    closed = []
    running = IngestRun.objects.filter(status=RunStatus.RUNNING).exclude(pk__in=_held)
    with connection.cursor() as cursor:
        for run_id in running.values_list("pk", flat=True):
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", _lock_key(run_id))
            if not cursor.fetchone()[0]:
                continue  # its process is alive
            try:
                if IngestRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
                    status=RunStatus.FAILED, finished_at=timezone.now(), error=DIED
                ):
                    closed.append(run_id)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", _lock_key(run_id))
    return closed


def run_release_quietly(run: IngestRun) -> None:
    """After a failure: forget the run's lock even where the connection that held it is gone (the
    server freed it with the session)."""
    try:
        run_release(run)
    except DatabaseError:
        _held.discard(run.pk)
