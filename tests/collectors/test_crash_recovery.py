"""collect_inbox killed at any moment (SIGKILL) or cut off by a PostgreSQL restart, then run once more:
no published colour differs from the one its records give, without a manual `classify --all`."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.collectors.test_kill_and_retry import ROOT, database_url
from warning_system.classification.models import SubjectColour
from warning_system.classification.services import colours_verify
from warning_system.registry.models import EvaluationMark, IngestRun, Subject
from warning_system.registry.services import reference_data_load

SUBJECTS = 600


def child_env(url: str) -> dict:
    """No broker: the collector drains the outbox in its own process, as `make run` does."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return {**env, "DATABASE_URL": url, "INGEST_WORKERS": "1"}


def generate(inbox: Path) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "generate_city", "--subjects", str(SUBJECTS), "--seed", "16", "--out",
         str(inbox), "--max-records-per-file", "400"],
        cwd=ROOT, check=True, capture_output=True, env=child_env(database_url()), timeout=300,
    )  # fmt: skip


def plant_broken_files(inbox: Path) -> None:
    """A file whose parser raises (not gzip at all) and one whose header holds a NUL."""
    (inbox / "SCJG" / "penalty_20200101000000_broken.csv.gz").write_bytes(b"not gzip at all")
    (inbox / "SCJG" / "penalty_20200101000001_nul.csv").write_bytes(
        b"record_id,updated\x00_at\r\nA,2026-01-01\r\n"
    )


def collector(inbox: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "collect_inbox", "--inbox", str(inbox), "--workers", "1", "--json"],
        cwd=ROOT, env=child_env(url), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def wait_for(condition, child: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert child.poll() is None, child.stderr.read().decode()[-3000:]
        assert time.monotonic() < deadline, "the collector never got there"
        time.sleep(0.02)


def finished_runs() -> int:
    return IngestRun.objects.exclude(status="running").count()


def running() -> bool:
    return IngestRun.objects.filter(status="running").exists()


def pending(inbox: Path) -> int:
    return sum(1 for p in inbox.glob("*/*") if p.is_file() and not p.name.endswith(".reason.txt"))


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait()


@pytest.mark.django_db(transaction=True)
def test_killed_at_several_moments_then_run_once_more_every_colour_is_true(tmp_path):
    reference_data_load()
    inbox = tmp_path / "inbox"
    generate(inbox)
    plant_broken_files(inbox)
    files = pending(inbox)
    url = database_url()

    # Killed while registrations are stored, in the middle of the other kinds, and after the last
    # file, while the colours are being computed.
    for moment in (
        lambda: finished_runs() >= 2,
        lambda: finished_runs() >= files // 2 and running(),
        lambda: pending(inbox) == 0,
    ):
        child = collector(inbox, url)
        wait_for(moment, child)
        kill(child)
        connection.close()

    assert EvaluationMark.objects.exists() or SubjectColour.objects.count() < Subject.objects.count()
    child = collector(inbox, url)
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err.decode()[-3000:]
    report = json.loads(out)

    assert pending(inbox) == 0
    assert not IngestRun.objects.filter(status="running").exists()
    assert IngestRun.objects.filter(status="failed", error__contains="中断").exists()
    assert {f["error"] is not None for f in report["files"]} <= {True, False}
    assert SubjectColour.objects.count() == Subject.objects.filter(withdrawn=False).count()
    verification = colours_verify()
    assert (verification.evaluated, verification.differing) == (
        Subject.objects.filter(withdrawn=False).count(),
        0,
    )
    assert not EvaluationMark.objects.exists()


def test_postgresql_restarted_mid_run_then_one_more_run_every_colour_is_true(scratch_primary, tmp_path):
    url = scratch_primary.url("restart_test")
    env = child_env(url)
    subprocess.run([sys.executable, "manage.py", "shell", "-c",
                    "from warning_system.registry.services import reference_data_load; reference_data_load()"],
                   cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)  # fmt: skip
    inbox = tmp_path / "inbox"
    generate(inbox)
    files = pending(inbox)

    def runs_done() -> int:
        with scratch_primary.connect("restart_test") as conn:
            return conn.execute(
                "SELECT count(*) FROM registry_ingestrun WHERE status <> 'running'"
            ).fetchone()[0]

    child = collector(inbox, url)
    wait_for(lambda: runs_done() >= files // 3, child)
    scratch_primary.restart()
    child.communicate(timeout=300)  # it goes on with a new connection, or fails what it cannot store

    again = collector(inbox, url)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()[-3000:]
    assert pending(inbox) == 0
    verify = subprocess.run([sys.executable, "manage.py", "classify", "--verify", "--json"],
                            cwd=ROOT, env=env, capture_output=True, timeout=300)  # fmt: skip
    result = json.loads(verify.stdout)
    assert verify.returncode == 0 and result["differing"] == 0, result
    with scratch_primary.connect("restart_test") as conn:
        subjects = conn.execute("SELECT count(*) FROM registry_subject WHERE NOT withdrawn").fetchone()[0]
        coloured = conn.execute("SELECT count(*) FROM classification_subjectcolour").fetchone()[0]
        marks = conn.execute("SELECT count(*) FROM registry_evaluationmark").fetchone()[0]
    assert result["evaluated"] == subjects == coloured and marks == 0
