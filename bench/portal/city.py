"""The city bench/portal serves with `--subjects N`: built once per size in a database of its own
(`bench_portal_<N>`), then reused while it holds the colours of N subjects.

Built the way bench/ingest builds its city: `generate_city` (the generated files kept in
`bench/out/portal/city-<N>-<seed>` and copied on later builds, as `--reuse-city` does), `collect_inbox`
without a broker (the colours are computed in its process), then the search names.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dj_database_url
import psycopg

from bench.ingest.run import manage, prepare_inbox, scratch_database

ROOT = Path(__file__).resolve().parents[2]
SEED = 1


def _params(server_url: str) -> dict:
    cfg = dj_database_url.parse(server_url)
    params = {
        "host": cfg["HOST"] or "127.0.0.1",
        "port": cfg["PORT"] or 5432,
        "user": cfg["USER"] or "postgres",
    }
    if cfg["PASSWORD"]:
        params["password"] = cfg["PASSWORD"]
    return params


def _url(params: dict, name: str) -> str:
    return f"postgres://{params['user']}@{params['host']}:{params['port']}/{name}"


def _ready(params: dict, name: str, subjects: int) -> bool:
    """The database exists and holds the colours of (nearly) every one of the N subjects."""
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
    try:
        with psycopg.connect(dbname=name, **params) as conn:
            coloured = conn.execute("SELECT count(*) FROM classification_subjectcolour").fetchone()[0]
    except psycopg.Error:
        return False
    return coloured >= subjects * 0.9


def city_database(subjects: int, server_url: str, env: dict, out: Path) -> str:
    """The URL of a database holding a city of `subjects` subjects with their colours: reused when an
    earlier run built it, built otherwise."""
    params = _params(server_url)
    name = f"bench_portal_{subjects}"
    if _ready(params, name, subjects):
        print(f"reusing the city of {subjects:,} subjects in {name}", flush=True)
        return _url(params, name)
    print(f"building a city of {subjects:,} subjects in {name} …", flush=True)
    url = scratch_database(_url(params, "postgres"), name)
    build_env = {k: v for k, v in env.items() if k != "REDIS_URL"}
    build_env["DATABASE_URL"] = url
    manage(build_env, "migrate", "-v0")
    manage(build_env, "load_reference_data")
    # bench/out/portal/inbox, and the generated files kept in bench/out/portal/city-<N>-<seed>.
    prepare_inbox(build_env, out, subjects, SEED, True)
    manage(build_env, "collect_inbox", "--inbox", str(out / "inbox"), "--workers", "2")
    manage(build_env, "classify", "--drain")
    manage(build_env, "refresh_search_names")
    shutil.rmtree(out / "inbox", ignore_errors=True)
    if not _ready(params, name, subjects):
        raise SystemExit(f"the city in {name} has no colours for its subjects")
    return url
