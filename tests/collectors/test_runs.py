"""Ingest runs whose process died are closed as failed on the next start; live ones are left alone."""

import psycopg
import pytest
from django.db import connection

from collectors.services import collect_inbox, ingest_runs_close_dead, run_start
from collectors.services.runs import DIED, RUN_LOCK_CLASS, run_release
from warning_system.registry.models import IngestRun

pytestmark = pytest.mark.django_db


def orphan_run(**counts) -> IngestRun:
    """A run left "running" by a process that is gone (nobody holds its lock)."""
    return IngestRun.objects.create(channel="pull", department_id="SCJG", kind="penalty", **counts)


def other_connection():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def test_a_run_nobody_holds_is_closed_as_failed_keeping_what_it_stored(reference_data):
    run = orphan_run(received=40, inserted=40)
    assert ingest_runs_close_dead() == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.error, run.inserted) == ("failed", DIED, 40)
    assert run.finished_at is not None


def test_a_run_whose_process_is_alive_is_left_running(reference_data):
    run = orphan_run()
    with other_connection() as alive:  # another process, holding the run's lock as it works
        alive.execute("SELECT pg_advisory_lock(%s, %s)", [RUN_LOCK_CLASS, run.pk])
        assert ingest_runs_close_dead() == []
    run.refresh_from_db()
    assert run.status == "running"


def test_this_process_never_closes_its_own_runs(reference_data):
    run = run_start(channel="push", department_id="SCJG", kind="penalty")
    assert ingest_runs_close_dead() == []
    run_release(run)


def test_collect_inbox_closes_dead_runs_first_and_reports_them(reference_data, inbox):
    run = orphan_run()
    report = collect_inbox(inbox)
    assert report["recovered"]["runs_closed"] == [run.pk]
    assert IngestRun.objects.get(pk=run.pk).status == "failed"
