"""Benchmark: a generated city through `collect_inbox`, against a raw COPY of the same rows.

    .venv/bin/python bench/ingest/run.py [--subjects 100000] [--seed 1] [--workers 2]
        [--database bench_ingest] [--out bench/out] [--reuse-city]

Creates a scratch database (`--database`, default `bench_ingest`; dropped first) on the server of
DATABASE_URL (default: the local PostgreSQL on 127.0.0.1:5432), migrates it, loads the reference
data, generates the city into `<out>/inbox` (not timed), then times `manage.py collect_inbox` end
to end in a child process while sampling the memory of its whole process tree (RSS, the headline,
and PSS, which counts pages shared after fork once) and the CPU time of its processes and of the
database's PostgreSQL backends. The baseline copies the very rows that were stored (every record
table, and the private part beside each record: the record as received and its personal fields)
into unindexed tables of the same columns with plain COPY, in the same run. Prints the figures and
the ratio to the baseline (and, for comparison with earlier runs, to a COPY of the public rows
alone); exits 1 if a target is missed.

`--reuse-city` keeps a pristine copy of the generated city in `<out>/city-<subjects>-<seed>` and
copies it into the inbox on later runs instead of generating it again.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import dj_database_url
import psutil
import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
# With DEBUG off the settings refuse to load without secrets; a benchmark's database is scratch.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key-0123456789")
TARGET_RATE = 30_000
# Against a raw COPY of every row stored for the records; 0.16 is what this ingest keeps on a 2-core
# machine (docs/benchmarks.md), above the original target of 0.1.
TARGET_RATIO = 0.16
TARGET_RSS_MB = 500
TARGET_OUTBOX_SHARE = 0.05
TABLES = (
    "registration", "license", "penalty", "abnormal_listing", "serious_violation", "court_judgment",
    "dishonest_debtor", "arrears", "property_right", "complaint", "inspection", "annual_report", "honor",
)  # fmt: skip


def scratch_database(base_url: str, name: str) -> str:
    cfg = dj_database_url.parse(base_url)
    params = {"host": cfg["HOST"] or cfg.get("OPTIONS", {}).get("host"), "port": cfg["PORT"] or None,
              "user": cfg["USER"] or None, "password": cfg["PASSWORD"] or None}  # fmt: skip
    params = {k: v for k, v in params.items() if v}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    host = params.get("host", "127.0.0.1")
    if host.startswith("/"):
        return f"postgres://{params.get('user', 'postgres')}@/{name}?host={host}"
    return f"postgres://{params.get('user', 'postgres')}@{host}:{params.get('port', 5432)}/{name}"


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return result.stdout if capture else ""


class TreeMemory(threading.Thread):
    """Samples a process and its children: summed and largest RSS, summed PSS, and the CPU time
    of the PostgreSQL backends serving `database` (a backend's last sample before it exits)."""

    PSS_EVERY = 10  # PSS (smaps_rollup) and the backends cost more to read than the RSS: every 10th sample

    def __init__(self, pid: int, database: str):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.database = database
        self.peak_tree = 0
        self.peak_process = 0
        self.peak_pss = 0
        self.backend_cpu: dict[int, float] = {}
        self.running = True

    def run(self) -> None:
        postmasters = [p for p in psutil.process_iter(["name", "ppid"]) if p.info["name"] == "postgres"
                       and p.info["ppid"] == 1]  # fmt: skip
        samples = 0
        while self.running:
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                return
            sizes = []
            pss = []
            for p in processes:
                with contextlib.suppress(psutil.Error):
                    if samples % self.PSS_EVERY == 0:
                        full = p.memory_full_info()
                        sizes.append(full.rss)
                        pss.append(full.pss)
                    else:
                        sizes.append(p.memory_info().rss)
            self.peak_tree = max(self.peak_tree, sum(sizes))
            self.peak_process = max(self.peak_process, max(sizes, default=0))
            self.peak_pss = max(self.peak_pss, sum(pss))
            for postmaster in postmasters if samples % self.PSS_EVERY == 0 else ():
                with contextlib.suppress(psutil.Error):
                    for backend in postmaster.children():
                        with contextlib.suppress(psutil.Error):
                            cmdline = backend.cmdline()
                            if f" {self.database} " in f" {' '.join(cmdline)} ":
                                times = backend.cpu_times()
                                self.backend_cpu[backend.pid] = times.user + times.system
            samples += 1
            time.sleep(0.05)


def raw_copy(url: str) -> dict[str, tuple[int, float]]:
    """COPY every stored row of the records into unindexed tables of the same columns: rows and seconds,
    for the public rows and for their private parts.

    A record is stored as both: its typed columns, and beside them the record as received with its
    personal fields (a table of its own only so that no public query can reach it). The baseline
    copies both, as one table per kind holding both would have held them.
    """
    parts = {"public": (0, 0.0), "private": (0, 0.0)}
    with psycopg.connect(url, autocommit=True) as conn:
        for kind in TABLES:
            for part, table in (("public", f"registry_{kind}"), ("private", f"registry_{kind}_private")):
                rows, seconds = _copy_table(conn, table)
                parts[part] = (parts[part][0] + rows, parts[part][1] + seconds)
    return parts


def _copy_table(conn: psycopg.Connection, table: str) -> tuple[int, float]:
    """The table's rows read into memory, then timed while COPYed into an unindexed twin."""
    target = f"bench_raw_{table}"
    conn.execute(f"DROP TABLE IF EXISTS {target}")
    conn.execute(f"CREATE TABLE {target} (LIKE {table})")
    buffer = io.BytesIO()
    with conn.cursor().copy(f"COPY {table} TO STDOUT") as copy:
        for chunk in copy:
            buffer.write(chunk)
    data = buffer.getvalue()
    started = time.perf_counter()
    with conn.cursor().copy(f"COPY {target} FROM STDIN") as copy:
        for offset in range(0, len(data), 1 << 20):
            copy.write(data[offset : offset + (1 << 20)])
    seconds = time.perf_counter() - started
    rows = conn.execute(f"SELECT count(*) FROM {target}").fetchone()[0]
    conn.execute(f"DROP TABLE {target}")
    return rows, seconds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subjects", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", default="bench_ingest", help="scratch database, dropped and created")
    parser.add_argument("--out", default=str(ROOT / "bench" / "out"), help="inbox and figures go here")
    parser.add_argument("--reuse-city", action="store_true", help="copy a kept city instead of generating")
    return parser.parse_args(argv)


def prepare_inbox(env: dict, out: Path, subjects: int, seed: int, reuse: bool) -> None:
    """A fresh inbox: generated, or copied from the pristine city kept by an earlier `--reuse-city` run."""
    inbox = out / "inbox"
    shutil.rmtree(inbox, ignore_errors=True)
    kept = out / f"city-{subjects}-{seed}"
    if reuse and kept.is_dir():
        shutil.copytree(kept, inbox)
        return
    manage(env, "generate_city", "--subjects", str(subjects), "--seed", str(seed), "--out", str(inbox))
    if reuse:
        shutil.copytree(inbox, kept)


def main() -> int:
    args = parse_args()
    load_before = os.getloadavg()[0]  # others' work inflates every figure: say how busy the machine was
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    url = scratch_database(base_url, args.database)
    # With a broker the colours of the touched subjects are queued for a worker, as in production;
    # bench/classify measures that work. Without one they would be computed inside collect_inbox.
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": redis, "INGEST_WORKERS": str(args.workers)}
    out = Path(args.out)
    inbox = out / "inbox"
    manage(env, "migrate", "-v0")
    manage(env, "load_reference_data")

    print(f"generating a city of {args.subjects:,} subjects (seed {args.seed}) …", flush=True)
    started = time.perf_counter()
    prepare_inbox(env, out, args.subjects, args.seed, args.reuse_city)
    generated = time.perf_counter() - started
    size = sum(p.stat().st_size for p in inbox.rglob("*") if p.is_file())

    print("ingesting through collect_inbox …", flush=True)
    started = time.perf_counter()
    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = subprocess.Popen(
        [sys.executable, "manage.py", "collect_inbox", "--inbox", str(inbox), "--json", "--workers", str(args.workers)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    memory = TreeMemory(child.pid, args.database)
    memory.start()
    stdout, _ = child.communicate()
    elapsed = time.perf_counter() - started
    memory.running = False
    memory.join()
    # collect_inbox has reaped its workers, so its children's time includes theirs.
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    python_cpu = (usage.ru_utime - children_cpu.ru_utime) + (usage.ru_stime - children_cpu.ru_stime)
    if child.returncode != 0:
        print("collect_inbox failed", file=sys.stderr)
        return 1
    report = json.loads(stdout)
    totals = report["totals"]
    received = totals["received"]
    rate = received / elapsed

    print("raw COPY baseline of the same rows …", flush=True)
    copied = raw_copy(url)
    copy_rows, public_seconds = copied["public"]
    private_seconds = copied["private"][1]
    copy_rate = copy_rows / (public_seconds + private_seconds)
    ratio = rate / copy_rate
    public_only_ratio = rate / (copy_rows / public_seconds)

    figures = {
        "subjects": args.subjects,
        "files": totals["files"],
        "input_mb": round(size / 1e6, 1),
        "generation_seconds": round(generated, 1),
        "records_received": received,
        "inserted": totals["inserted"],
        "quarantined": totals["quarantined"],
        "unresolved": totals["unresolved"],
        "rejected_files": totals["errors"],
        "ingest_seconds": round(elapsed, 1),
        "records_per_second": round(rate),
        "peak_rss_largest_process_mb": round(memory.peak_process / 2**20),
        "peak_rss_process_tree_mb": round(memory.peak_tree / 2**20),
        "peak_pss_process_tree_mb": round(memory.peak_pss / 2**20),
        # Marking touched subjects in the evaluation outbox, summed over the files (statement time, in
        # the workers), and its share of the workers' time.
        "outbox_seconds": totals["outbox_seconds"],
        "outbox_share_of_ingest": round(totals["outbox_seconds"] / (elapsed * args.workers), 4),
        "python_cpu_seconds": round(python_cpu, 1),
        "postgres_backend_cpu_seconds": round(sum(memory.backend_cpu.values()), 1),
        "load_average_1min_before": round(load_before, 2),
        "raw_copy_records": copy_rows,
        "raw_copy_public_rows_seconds": round(public_seconds, 2),
        "raw_copy_private_parts_seconds": round(private_seconds, 2),
        "raw_copy_records_per_second": round(copy_rate),
        "ratio_to_raw_copy": round(ratio, 3),
        # The narrower baseline of the public rows alone (half of what is stored), for comparison.
        "ratio_to_raw_copy_of_public_rows_only": round(public_only_ratio, 3),
        "workers": args.workers,
    }
    width = max(map(len, figures))
    for key, value in figures.items():
        print(f"{key:<{width}}  {value:,}" if isinstance(value, int) else f"{key:<{width}}  {value}")
    checks = {
        f"records/s >= {TARGET_RATE:,}": rate >= TARGET_RATE,
        f"ratio to raw COPY >= {TARGET_RATIO}": ratio >= TARGET_RATIO,
        f"evaluation outbox <= {TARGET_OUTBOX_SHARE:.0%} of ingest time": figures["outbox_share_of_ingest"]
        <= TARGET_OUTBOX_SHARE,
        f"peak RSS of the whole process tree <= {TARGET_RSS_MB} MB": memory.peak_tree / 2**20
        <= TARGET_RSS_MB,
        "received == sum of outcomes": all(
            f["received"]
            == sum(f[k] for k in ("inserted", "updated", "unchanged", "stale", "deleted", "quarantined"))
            for f in report["files"]
        ),
    }
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}  {name}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "ingest.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
