"""The file drop: every department's folder of the inbox, file by file, one transaction a file.

A file that cannot be read at all moves to `rejected/` with a reason beside it; one read moves to
`processed/`. Only regular files are read: a link, a FIFO, a device or a folder posing as a feed
file is set aside without being opened. A failure that is not the file's fault (a lost
connection) leaves it for the next pass; one that repeats on the same content is set aside too,
so that no file waits for ever.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import os
import stat
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from celery import current_app
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections, transaction
from psycopg.errors import DeadlockDetected

from warning_system import jobs
from warning_system.classification.services import evaluations_drain, evaluations_request_drain
from warning_system.forking import drop_inherited_connections
from warning_system.locks import advisory_lock
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.loading import Outcome, analyze_tables, link_pending_records, unresolved_by_run
from warning_system.registry.models import Department, IngestRun
from warning_system.registry.services import search_names_request_refresh
from warning_system.registry.text import storable_text

from ..parsers import HeaderMap, UnreadableFile, is_temporary, open_binary, parse_file_name, read_items
from .records import FeedRejected, items_ingest, kind_check
from .runs import ingest_runs_close_dead, run_finish, run_release_quietly, run_start

logger = logging.getLogger(__name__)

PROCESSED_DIR = "processed"
REJECTED_DIR = "rejected"
DEADLOCK_ATTEMPTS = 3
# A file whose processing failed this many times for the same content (not for a lost connection)
# is set aside in rejected/ with the last error: retrying it for ever would hide it.
FAILURE_ATTEMPTS = 3
NOT_A_FILE = {
    stat.S_IFLNK: "是符号链接，未读取其指向的内容",
    stat.S_IFIFO: "是命名管道（FIFO），未读取",
    stat.S_IFCHR: "是字符设备，未读取",
    stat.S_IFBLK: "是块设备，未读取",
    stat.S_IFSOCK: "是套接字，未读取",
    stat.S_IFDIR: "是目录而不是文件，未读取",
}
# Failures of the connection or the server, not of the file: the file stays for the next pass.
TRANSIENT = (OperationalError, InterfaceError)
RETRY_PREFIX = "处理失败，文件留待下次重试："


@dataclass
class FileReport:
    path: str
    department: str | None
    kind: str | None
    outcome: Outcome = field(default_factory=Outcome)
    error: str | None = None
    run_id: int | None = None
    ignored_columns: list[str] = field(default_factory=list)
    outbox_seconds: float = 0.0  # time spent marking subjects for evaluation (bench/ingest)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "department": self.department,
            "kind": self.kind,
            **self.outcome.as_dict(),
            "error": self.error,
            "run_id": self.run_id,
            "ignored_columns": self.ignored_columns,
            "outbox_seconds": round(self.outbox_seconds, 4),
        }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_binary(path, gzipped=False) as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _move(path: Path, folder: str, reason: str | None = None) -> Path:
    """Move the entry itself (a link is moved as a link, never followed) and write the reason."""
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if os.path.lexists(target):
        target = target_dir / f"{path.stem}.{int(time.time() * 1000)}{path.suffix}"
    os.rename(path, target)
    if reason is not None:
        reason_file = target.with_name(target.name + ".reason.txt")
        with open(reason_file, "w", encoding="utf-8") as out:
            out.write(storable_text(reason) + "\n")
    return target


def _reject(
    path: Path, department: Department, report: FileReport, error: str, sha256: str = ""
) -> FileReport:
    run = run_start(channel=Channel.FILE, department_id=department.code, kind=report.kind or "",
                    source=str(path), sha256=sha256)  # fmt: skip
    report.run_id, report.error = run.pk, error
    run_finish(run, Outcome(), status=RunStatus.REJECTED, error=error)
    _move(path, REJECTED_DIR, error)
    return report


def file_ingest(path: Path, department: Department) -> FileReport:
    """Ingest one dropped file in one transaction; move it to processed/ or rejected/."""
    report = FileReport(path=str(path), department=department.code, kind=None)
    kind_of_entry = stat.S_IFMT(path.lstat().st_mode)
    if kind_of_entry != stat.S_IFREG:
        return _reject(
            path, department, report, f"“{path.name}”{NOT_A_FILE.get(kind_of_entry, '不是普通文件')}"
        )
    name = parse_file_name(path.name)
    if name is None:
        error = "文件名不符合 <kind>_<YYYYMMDDHHMMSS>[_<任意>].<csv|jsonl|xml>[.gz] 的约定，未读取"
        return _reject(path, department, report, error, file_sha256(path))
    report.kind = name.kind
    sha = file_sha256(path)
    run = run_start(
        channel=Channel.FILE, department_id=department.code, kind=name.kind, source=str(path), sha256=sha
    )
    report.run_id = run.pk
    try:
        kind_check(department, name.kind)
        _ingest_with_deadlock_retries(path, name, department, run, report)
    except (FeedRejected, UnreadableFile, OSError, EOFError, zlib.error) as exc:
        report.outcome, report.error = Outcome(), str(exc) or type(exc).__name__
        run_finish(run, Outcome(), status=RunStatus.REJECTED, error=report.error)
        _move(path, REJECTED_DIR, report.error)
        return report
    except Exception as exc:  # one file's failure must not stop the others
        return _failed(path, department, run, report, sha, exc)
    _move(path, PROCESSED_DIR)
    return report


def _failed(
    path: Path, department: Department, run: IngestRun, report: FileReport, sha: str, exc
) -> FileReport:
    """Not (visibly) the file's fault: it stays for the next pass, unless the same content has failed
    FAILURE_ATTEMPTS times already for reasons other than the connection: then it is set aside."""
    logger.exception("ingesting %s failed", path)
    report.outcome = Outcome()
    error = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, TRANSIENT):
        # The server restarted or the connection broke: the next file gets a new one.
        connection.close_if_unusable_or_obsolete()
        report.error = f"数据库连接中断，文件留待下次重试：{error}"
        with contextlib.suppress(DatabaseError):
            run_finish(run, Outcome(), status=RunStatus.FAILED, error=report.error)
        run_release_quietly(run)
        return report
    with contextlib.suppress(DatabaseError):
        earlier = IngestRun.objects.filter(
            department=department, file_sha256=sha, status=RunStatus.FAILED, error__startswith=RETRY_PREFIX
        ).count()
    if earlier + 1 >= FAILURE_ATTEMPTS:
        report.error = f"处理失败 {earlier + 1} 次，已移入 rejected/ 待人工处理：{error}"
        status = RunStatus.REJECTED
        _move(path, REJECTED_DIR, report.error)
    else:
        report.error, status = f"{RETRY_PREFIX}{error}", RunStatus.FAILED
    with contextlib.suppress(DatabaseError):
        run_finish(run, Outcome(), status=status, error=report.error)
    run_release_quietly(run)
    return report


def _ingest_with_deadlock_retries(path: Path, name, department: Department, run: IngestRun, report) -> None:
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            _ingest_file_once(path, name, department, run, report)
            return
        except OperationalError as exc:
            # Two files touching the same records may deadlock; the loser rolled back whole: redo it.
            if not isinstance(exc.__cause__, DeadlockDetected) or attempt == DEADLOCK_ATTEMPTS:
                raise
            logger.warning("deadlock on %s, attempt %d; retrying", path, attempt)


def _ingest_file_once(path: Path, name, department: Department, run: IngestRun, report: FileReport) -> None:
    header_map = HeaderMap(name.kind)
    with transaction.atomic(), open_binary(path, name.gzipped) as stream:
        items = read_items(stream, name.format, name.kind, header_map,
                           reopen=lambda: open_binary(path, name.gzipped))  # fmt: skip
        report.outcome, loader = items_ingest(
            items=items, kind=name.kind, department_id=department.code, channel=Channel.FILE, run_id=run.pk
        )
        report.outbox_seconds = loader.mark_seconds
        report.ignored_columns = header_map.ignored
        run_finish(run, report.outcome, ignored_columns=header_map.ignored)


def feed_kind(path: Path) -> str:
    """The kind a file name announces; "" for names outside the contract."""
    name = parse_file_name(path.name)
    return name.kind if name else ""


def pending_files(folder: Path) -> list[Path]:
    """Entries of a department folder to take, oldest stamp first: complete files, and whatever
    poses as one (a link, a FIFO, a folder named like a feed file) to be set aside. Temporary names
    are never read, and our own processed/ and rejected/ folders are not entries."""
    files = []
    for path in folder.iterdir():
        if is_temporary(path.name):
            continue
        mode = path.lstat().st_mode
        if stat.S_ISDIR(mode) and (
            path.name in (PROCESSED_DIR, REJECTED_DIR) or not parse_file_name(path.name)
        ):
            continue
        name = parse_file_name(path.name)
        files.append((name.stamp if name else "", path.name, path))
    return [path for *_, path in sorted(files)]


def file_collect(path: Path, department_code: str) -> FileReport | None:
    """One file under a lock on its path, so that two pollers never share it; None if taken or gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [f"inbox:{path}"])
        if not cursor.fetchone()[0]:
            return None
        try:
            if not os.path.lexists(path):  # another poller finished it between our listing and our lock
                return None
            return file_ingest(path, Department.objects.get(code=department_code))
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"inbox:{path}"])


def _collect_in_child(path: str, department_code: str) -> dict | None:
    report = file_collect(Path(path), department_code)
    return report.as_dict() if report else None


def _start_ingest_worker() -> None:
    """A forked worker: fresh connections, and the inherited heap frozen out of the cyclic
    collector, which otherwise walks it again and again during a stream of records. (Collecting
    less often as well saved a little CPU but cost ~100 MB of peak memory: bench/ingest.)"""
    gc.freeze()
    drop_inherited_connections()


def _size(path: Path) -> int:
    return path.lstat().st_size


def _run_jobs(jobs: list[tuple[Path, str]], workers: int) -> list[dict]:
    """Files in parallel: the loader guards versions itself, so order between files does not matter."""
    # Registrations first (other records find their subjects); in parallel, largest first (workers finish
    # together), else in stamp order.
    if workers > 1 and len(jobs) > 1:
        jobs = sorted(jobs, key=lambda job: (feed_kind(job[0]) != "registration", -_size(job[0])))
    else:
        jobs = sorted(jobs, key=lambda job: feed_kind(job[0]) != "registration")
    args = [(str(path), code) for path, code in jobs]
    if workers > 1 and len(jobs) > 1:
        connections.close_all()
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=get_context("fork"), initializer=_start_ingest_worker
        ) as pool:
            results = list(pool.map(_collect_in_child, *zip(*args, strict=True)))
    else:
        results = [_collect_in_child(*job) for job in args]
    return [r for r in results if r is not None]


def collect_inbox(inbox: Path, *, workers: int = 1) -> dict:
    """Process every department folder of the inbox once; returns the per-file report and totals.

    First it finishes what a crash left: runs whose process died are closed as failed, and the
    subjects they marked are evaluated. Registrations go first, so that the other records find
    their subjects; files run in parallel when `workers` > 1, and a last pass links what a
    registration committed later resolves. The colours of what it stored follow from the outbox.
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"收件目录不存在：{inbox}")
    recovered = {"runs_closed": ingest_runs_close_dead(), "evaluations": evaluations_drain().as_dict()}
    departments = set(Department.objects.values_list("code", flat=True))
    reports: list[dict] = []
    files: list[tuple[Path, str]] = []
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir() and not p.is_symlink()):
        if folder.name in departments:
            files.extend((path, folder.name) for path in pending_files(folder))
        elif not is_temporary(folder.name):
            reports.append(
                FileReport(str(folder), None, None, error=f"“{folder.name}”不是已登记的部门代码").as_dict()
            )
    reports.extend(_run_jobs(files, workers))
    if workers > 1 and any(r["unresolved"] for r in reports):
        _link_after_parallel_files(reports)
    totals = Outcome()
    for r in reports:
        totals.add(Outcome(**{k: r[k] for k in Outcome.__dataclass_fields__}))
    if totals.inserted + totals.updated + totals.deleted:
        # After a bulk load the planner (and the portal's record counts) need fresh statistics.
        analyze_tables(
            {r["kind"] for r in reports if r["inserted"] or r["updated"] or r["deleted"]}, parallel=workers
        )
    evaluations_request_drain()
    if any(r["kind"] == "registration" and (r["inserted"] or r["updated"]) for r in reports):
        search_names_request_refresh()
    return {
        "recovered": recovered,
        "files": reports,
        "totals": {
            **totals.as_dict(),
            "files": len(reports),
            "errors": sum(1 for r in reports if r["error"]),
            "outbox_seconds": round(sum(r.get("outbox_seconds", 0) for r in reports), 3),
        },
    }


# --------------------------------------------------------------------------- across hosts

GROUP_JOB = "collectors.inbox_group_collect"


def inbox_groups(inbox: Path) -> list[tuple[str, str]]:
    """(department, kind) of every group of pending files, registrations first (other records then
    find their subjects sooner; order is not needed for correctness: a registration links the
    records that waited for it). A file whose name announces no kind is a group of its own ("")."""
    departments = set(Department.objects.values_list("code", flat=True))
    groups = set()
    for folder in sorted(p for p in Path(inbox).iterdir() if p.is_dir() and not p.is_symlink()):
        if folder.name in departments:
            groups.update((folder.name, feed_kind(path)) for path in pending_files(folder))
    return sorted(groups, key=lambda group: (group[1] != "registration", group))


def inbox_group_collect(*, inbox: Path, department_code: str, kind: str) -> list[dict]:
    """One group's files in stamp order, on whichever host takes the group's lock first.

    The lock is held on a connection of its own for the whole group: a second host (or a second
    poll on this one) finds it taken and returns at once, so a group is never shared and its files
    keep their order. A host that dies lets the lock go with its connection."""
    with advisory_lock(f"inbox-group:{department_code}:{kind}") as held:
        if not held:
            return []
        files = [path for path in pending_files(Path(inbox) / department_code) if feed_kind(path) == kind]
        reports = [
            report.as_dict() for report in (file_collect(path, department_code) for path in files) if report
        ]
    if any(r["inserted"] or r["updated"] or r["deleted"] for r in reports):
        analyze_tables({kind} if kind else set())
    evaluations_request_drain()
    if kind == "registration" and any(r["inserted"] or r["updated"] for r in reports):
        search_names_request_refresh()
    return reports


def inbox_dispatch(*, inbox: Path) -> int:
    """Hand every group of the inbox to the workers (one job each); returns how many were queued.
    What a crash left is finished first, as collect_inbox does."""
    ingest_runs_close_dead()
    groups = inbox_groups(inbox)
    for department_code, kind in groups:
        jobs.enqueue(GROUP_JOB, inbox=str(inbox), department_code=department_code, kind=kind)
    return len(groups)


def inbox_poll(*, inbox: Path) -> dict:
    """The scheduled pass over the inbox: with workers (a broker), one job per group for any host to
    take; without, the whole inbox in this process."""
    if current_app.conf.task_always_eager:  # no broker: nobody else would take the jobs
        return collect_inbox(inbox, workers=1)["totals"]
    return {"groups_queued": inbox_dispatch(inbox=inbox)}


def _link_after_parallel_files(reports: list[dict]) -> None:
    """Parallel files commit in any order: link what a registration in another file resolved
    (marking those subjects), then report what is still waiting for its subject."""
    with transaction.atomic():
        link_pending_records()
        still = unresolved_by_run([r["run_id"] for r in reports if r["unresolved"]])
        for r in reports:
            if r["unresolved"]:
                r["unresolved"] = still.get(r["run_id"], 0)
                IngestRun.objects.filter(pk=r["run_id"]).update(unresolved=r["unresolved"])
