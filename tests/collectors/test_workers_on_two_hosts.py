"""Ingest spread over Celery workers on several hosts: each (department, kind) group of the inbox is a
job; a lock per group keeps two hosts off the same group and its files in order. Two workers under
different host names, one inbox: every file stored once, the counts of a single-process run."""

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest
import redis
from celery import Celery

from collectors.services import inbox_dispatch, inbox_groups
from collectors.services.inbox import GROUP_JOB
from tests.collectors.test_crash_recovery import ROOT, child_env, generate, pending
from tests.collectors.test_kill_and_retry import database_url
from warning_system import jobs
from warning_system.registry.models import IngestRun
from warning_system.registry.services import reference_data_load

OUTCOMES = ("received", "inserted", "updated", "unchanged", "stale", "deleted", "quarantined")
BROKER = os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def broker_up() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def file_key(path: str) -> str:
    """<department>/<file name>: the inbox folders differ between the two runs."""
    return "/".join(path.rsplit("/", 2)[-2:])


def counts_by_file(reports: list[dict]) -> Counter:
    """Outcome counts per file."""
    totals = Counter()
    for report in reports:
        name = file_key(report["path"])
        for outcome in OUTCOMES:
            totals[(name, outcome)] += report[outcome]
    return totals


def worker(host: str, queue: str, url: str) -> subprocess.Popen:
    env = {**child_env(url), "REDIS_URL": BROKER, "INGEST_HOST": host}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "warning_system", "worker", "-n", f"ingest@{host}", "-Q", queue,
         "-c", "1", "-P", "solo", "-l", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.skipif(not broker_up(), reason="no Redis at TEST_BROKER_URL to carry the jobs between workers")
@pytest.mark.django_db(transaction=True)
def test_two_workers_on_two_hosts_store_every_file_once_with_a_single_process_runs_counts(
    tmp_path,
    scratch_primary,
    monkeypatch,
):
    reference_data_load()
    inbox = tmp_path / "inbox"
    generate(inbox)
    single = tmp_path / "single"
    shutil.copytree(inbox, single)

    # The same city, collected by one process into a database of its own.
    url = scratch_primary.url("restart_test")
    subprocess.run([sys.executable, "manage.py", "load_reference_data"], cwd=ROOT, env=child_env(url), check=True,
                   capture_output=True)  # fmt: skip
    once = subprocess.run([sys.executable, "manage.py", "collect_inbox", "--inbox", str(single), "--json"],
                          cwd=ROOT, env=child_env(url), check=True, capture_output=True, timeout=300)  # fmt: skip
    expected = counts_by_file(json.loads(once.stdout)["files"])

    # Two workers under different host names take the groups of one inbox from the broker.
    queue = f"ingest-test-{uuid.uuid4().hex[:8]}"
    sender = Celery(broker=BROKER, set_as_current=False)  # the suite's own app stays current (eager)
    monkeypatch.setitem(
        jobs._RUNNERS, GROUP_JOB,
        lambda **kwargs: sender.send_task("collectors.tasks.collect_inbox_group", kwargs=kwargs, queue=queue),
    )  # fmt: skip
    groups = len(inbox_groups(inbox))
    workers = [worker(host, queue, database_url()) for host in ("host-a", "host-b")]
    try:
        assert inbox_dispatch(inbox=inbox) == groups
        inbox_dispatch(inbox=inbox)  # the next beat tick comes before the workers are done: each group twice
        deadline = time.monotonic() + 300
        while pending(inbox) or IngestRun.objects.filter(status="running").exists():
            for w in workers:
                assert w.poll() is None, w.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the workers did not finish the inbox"
            time.sleep(0.2)
    finally:
        for w in workers:
            w.terminate()
            w.wait(timeout=30)

    runs = list(IngestRun.objects.filter(channel="file").values("source", "host", *OUTCOMES))
    stored = counts_by_file([{**r, "path": r["source"]} for r in runs])
    assert stored == expected
    assert len(runs) == len({file_key(r["source"]) for r in runs})  # every file stored once
    assert {r["host"] for r in runs} == {"host-a", "host-b"}  # both hosts took groups
