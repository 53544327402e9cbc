"""A collector killed mid-file loses and duplicates nothing when the work is retried."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from collectors.services import collect_inbox
from tests.factories import make_uscc, penalty
from warning_system.registry.models import IngestRun, Penalty
from warning_system.registry.services import reference_data_load

ROOT = Path(__file__).resolve().parents[2]
RECORDS = 120_000


def database_url() -> str:
    """The test database, over TCP or the Unix socket folder the tests use."""
    s = connection.settings_dict
    socket_folder = s.get("OPTIONS", {}).get("host")
    if not s["HOST"] and socket_folder:
        return f"postgres://{s['USER']}@/{s['NAME']}?host={socket_folder}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def advisory_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_file_leaves_nothing_and_the_retry_stores_each_record_once(tmp_path):
    reference_data_load()
    uscc = make_uscc()
    template = penalty(uscc, "X")
    folder = tmp_path / "inbox" / "SCJG"
    folder.mkdir(parents=True)
    with open(folder / "penalty_20261102090000.jsonl", "w", encoding="utf-8") as out:
        for i in range(RECORDS):
            out.write(json.dumps({**template, "record_id": f"K{i}"}, ensure_ascii=False) + "\n")

    env = {**os.environ, "DATABASE_URL": database_url(), "INGEST_WORKERS": "1"}
    child = subprocess.Popen(
        [sys.executable, "manage.py", "collect_inbox", "--inbox", str(tmp_path / "inbox")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not IngestRun.objects.filter(status="running").exists():
        assert child.poll() is None, child.stderr.read().decode()
        assert time.monotonic() < deadline, "the collector never started its run"
        time.sleep(0.05)
    time.sleep(0.5)
    assert child.poll() is None, "the file was ingested before it could be killed; make it larger"
    child.send_signal(signal.SIGKILL)
    child.wait()

    assert Penalty.objects.count() == 0
    assert (folder / "penalty_20261102090000.jsonl").exists()

    # The server frees the dead collector's inbox lock once it notices the closed connection.
    deadline = time.monotonic() + 30
    while advisory_locks():
        assert time.monotonic() < deadline, "the killed collector's lock was never released"
        time.sleep(0.1)

    (report,) = collect_inbox(tmp_path / "inbox")["files"]
    assert report["inserted"] == RECORDS
    assert Penalty.objects.count() == Penalty.objects.values("record_id").distinct().count() == RECORDS
    dead = IngestRun.objects.get(status="failed")
    assert dead.source == report["path"] and "中断" in dead.error
