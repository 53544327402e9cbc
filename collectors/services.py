"""Collector actions: ingest a file, an inbox, a pushed batch, a pulled page, a fixed record.

Every channel ends in `ingest_items`: normalise each item, quarantine what is wrong with the
reasons, stage the rest and store it set-based. One run row per file / batch / pull series
records where the records came from and how each one ended.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import shutil
import time
import zlib
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import requests
from django.conf import settings
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone
from psycopg.errors import DeadlockDetected
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from warning_system.classification.services import schedule_reclassification
from warning_system.forking import drop_inherited_connections
from warning_system.registry import contract
from warning_system.registry.choices import Channel, QuarantineReason, QuarantineStatus, RunStatus
from warning_system.registry.loading import (
    Outcome,
    RecordLoader,
    analyze_tables,
    link_pending_records,
    unresolved_by_run,
)
from warning_system.registry.models import Department, IngestRun, QuarantinedRecord

from .models import DepartmentToken, PullCursor, PullSource, hash_token
from .normalize import RecordNormalizer
from .parsers import (
    HeaderMap,
    Item,
    UnreadableFile,
    is_temporary,
    open_binary,
    parse_file_name,
    read_items,
    record_item,
)

logger = logging.getLogger(__name__)

PROCESSED_DIR = "processed"
TOUCHED_LIST_LIMIT = 5_000
DEADLOCK_ATTEMPTS = 3
REJECTED_DIR = "rejected"


class FeedRejected(Exception):
    """A whole file or batch refused before any record was read (bad name, kind, department)."""


@dataclass
class FileReport:
    path: str
    department: str | None
    kind: str | None
    outcome: Outcome = field(default_factory=Outcome)
    error: str | None = None
    run_id: int | None = None
    ignored_columns: list[str] = field(default_factory=list)
    touched_subjects: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "department": self.department,
            "kind": self.kind,
            **self.outcome.as_dict(),
            "error": self.error,
            "run_id": self.run_id,
            "ignored_columns": self.ignored_columns,
            # A bulk file names too many subjects to carry back from a worker: None asks for the city.
            "touched_subjects": (
                sorted(self.touched_subjects) if len(self.touched_subjects) <= TOUCHED_LIST_LIMIT else None
            ),
        }


def ingest_items(
    *,
    items: Iterable[Item],
    kind: str,
    department_id: str,
    channel: str,
    run_id: int,
    touched: set[str] | None = None,
) -> Outcome:
    """Normalise, quarantine and store one stream of items. Call inside a transaction.

    The subjects whose records changed are re-classified once the transaction commits; a caller
    that ingests many files passes `touched` to collect them and schedule one re-classification.
    """
    normalizer = RecordNormalizer(contract.KINDS[kind])
    with RecordLoader(kind=kind, department_id=department_id, channel=channel, run_id=run_id) as loader:
        for item in items:
            if item.fields is None:
                loader.quarantine(
                    position=item.position,
                    line=item.line,
                    raw=item.raw,
                    problems=[
                        {"code": QuarantineReason.MALFORMED_RECORD, "field": None, "message": item.error}
                    ],
                )
                continue
            result = normalizer.normalize(item.fields)
            if isinstance(result, list):
                loader.quarantine(
                    position=item.position,
                    line=item.line,
                    raw=item.raw,
                    problems=[p.as_dict() for p in result],
                    record_id=str(item.fields.get("record_id") or ""),
                )
            else:
                loader.add(item.position, result, item.raw)
        outcome = loader.store()
    if touched is None:
        schedule_reclassification(loader.touched_subjects)
    else:
        touched.update(loader.touched_subjects)
    return outcome


def start_run(
    *, channel: str, department_id: str | None, kind: str = "", source: str = "", sha256: str = ""
) -> IngestRun:
    """The run row is committed first, so that an interrupted run stays visible."""
    return IngestRun.objects.create(
        channel=channel, department_id=department_id, kind=kind, source=source, file_sha256=sha256
    )


def finish_run(
    run: IngestRun,
    outcome: Outcome,
    *,
    status: str = RunStatus.SUCCEEDED,
    error: str = "",
    ignored_columns: list[str] | None = None,
) -> None:
    counts = outcome.as_dict()
    for name, value in counts.items():
        setattr(run, name, value)
    run.status = status
    run.error = error
    run.ignored_columns = ignored_columns or []
    run.finished_at = timezone.now()
    run.save()


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _move(path: Path, folder: str, reason: str | None = None) -> Path:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        target = target_dir / f"{path.stem}.{int(time.time() * 1000)}{path.suffix}"
    shutil.move(str(path), target)
    if reason is not None:
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return target


def ingest_file(path: Path, department: Department) -> FileReport:
    """Ingest one dropped file in one transaction; move it to processed/ or rejected/."""
    report = FileReport(path=str(path), department=department.code, kind=None)
    name = parse_file_name(path.name)
    if name is None:
        report.error = "文件名不符合 <kind>_<YYYYMMDDHHMMSS>[_<任意>].<csv|jsonl|xml>[.gz] 的约定，未读取"
        run = start_run(
            channel=Channel.FILE, department_id=department.code, source=str(path), sha256=file_sha256(path)
        )
        report.run_id = run.pk
        finish_run(run, Outcome(), status=RunStatus.REJECTED, error=report.error)
        _move(path, REJECTED_DIR, report.error)
        return report
    report.kind = name.kind
    sha = file_sha256(path)
    IngestRun.objects.filter(
        channel=Channel.FILE, department=department, source=str(path), status=RunStatus.RUNNING
    ).update(status=RunStatus.INTERRUPTED, finished_at=timezone.now(), error="进程中断，文件已重新处理")
    run = start_run(
        channel=Channel.FILE, department_id=department.code, kind=name.kind, source=str(path), sha256=sha
    )
    report.run_id = run.pk
    try:
        check_kind(department, name.kind)
        for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
            try:
                _ingest_file_once(path, name, department, run, report)
                break
            except OperationalError as exc:
                # Two files touching the same records may deadlock; the loser rolled back whole: redo it.
                if not isinstance(exc.__cause__, DeadlockDetected) or attempt == DEADLOCK_ATTEMPTS:
                    raise
                logger.warning("deadlock on %s, attempt %d; retrying", path, attempt)
    except (FeedRejected, UnreadableFile, OSError, EOFError, zlib.error) as exc:
        report.outcome = Outcome()
        report.error = str(exc) or type(exc).__name__
        finish_run(run, Outcome(), status=RunStatus.REJECTED, error=report.error)
        _move(path, REJECTED_DIR, report.error)
        return report
    except Exception as exc:  # one file's failure must not stop the others
        # Not the file's fault (a bug, a lost connection): it stays in the inbox for the next poll.
        logger.exception("ingesting %s failed", path)
        report.outcome = Outcome()
        report.error = f"处理失败，文件留待下次重试：{type(exc).__name__}: {exc}"
        with contextlib.suppress(Exception):
            finish_run(run, Outcome(), status=RunStatus.FAILED, error=report.error)
        return report
    _move(path, PROCESSED_DIR)
    return report


def _ingest_file_once(path: Path, name, department: Department, run: IngestRun, report: FileReport) -> None:
    header_map = HeaderMap(name.kind)
    with transaction.atomic(), open_binary(path, name.gzipped) as stream:
        items = read_items(stream, name.format, name.kind, header_map)
        report.outcome = ingest_items(
            items=items,
            kind=name.kind,
            department_id=department.code,
            channel=Channel.FILE,
            run_id=run.pk,
            touched=report.touched_subjects,
        )
        report.ignored_columns = header_map.ignored
        finish_run(run, report.outcome, ignored_columns=header_map.ignored)


def check_kind(department: Department, kind: str) -> None:
    if kind not in contract.KINDS:
        raise FeedRejected(f"未知的数据类型“{kind}”（可用：{'、'.join(contract.KINDS)}）")
    if kind not in department.kinds:
        raise FeedRejected(f"{department.name}（{department.code}）不报送 {kind} 类数据")


def feed_kind(path: Path) -> str:
    """The kind a file name announces; "" for names outside the contract."""
    name = parse_file_name(path.name)
    return name.kind if name else ""


def pending_files(folder: Path) -> list[Path]:
    """Complete files of a department folder, oldest stamp first (temporary names are never read)."""
    files = []
    for path in folder.iterdir():
        if path.is_file() and not is_temporary(path.name):
            name = parse_file_name(path.name)
            files.append((name.stamp if name else "", path.name, path))
    return [path for *_, path in sorted(files)]


def collect_file(path: Path, department_code: str) -> FileReport | None:
    """One file under a lock on its path, so that two pollers never share it; None if taken or gone."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [f"inbox:{path}"])
        if not cursor.fetchone()[0]:
            return None
        try:
            if not path.exists():  # another poller finished it between our listing and our lock
                return None
            return ingest_file(path, Department.objects.get(code=department_code))
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [f"inbox:{path}"])


def _collect_in_child(path: str, department_code: str) -> dict | None:
    report = collect_file(Path(path), department_code)
    return report.as_dict() if report else None


def _start_ingest_worker() -> None:
    """A forked worker: fresh connections, and the inherited heap frozen out of the cyclic
    collector, which otherwise walks it again and again during a stream of records. (Collecting
    less often as well saved a little CPU but cost ~100 MB of peak memory: bench/ingest.)"""
    gc.freeze()
    drop_inherited_connections()


def _run_jobs(jobs: list[tuple[Path, str]], workers: int) -> list[dict]:
    """Files in parallel: the loader guards versions itself, so order between files does not matter."""
    # Registrations first (other records find their subjects); in parallel, largest first (workers finish
    # together), else in stamp order.
    if workers > 1 and len(jobs) > 1:
        jobs = sorted(jobs, key=lambda job: (feed_kind(job[0]) != "registration", -job[0].stat().st_size))
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

    Registrations go first, so that the other records find their subjects; files run in parallel
    when `workers` > 1, and a last pass links what a registration committed later resolves.
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"收件目录不存在：{inbox}")
    departments = set(Department.objects.values_list("code", flat=True))
    reports: list[dict] = []
    files: list[tuple[Path, str]] = []
    for folder in sorted(p for p in inbox.iterdir() if p.is_dir()):
        if folder.name in departments:
            files.extend((path, folder.name) for path in pending_files(folder))
        elif not is_temporary(folder.name):
            reports.append(
                FileReport(str(folder), None, None, error=f"“{folder.name}”不是已登记的部门代码").as_dict()
            )
    reports.extend(_run_jobs(files, workers))
    touched: set[str] | None = set()
    for r in reports:
        named = r.pop("touched_subjects", ())
        if named is None:
            touched = None
        elif touched is not None:
            touched.update(named)
    if workers > 1 and any(r["unresolved"] for r in reports):
        # Parallel files commit in any order: link what a registration in another file resolved,
        # then report what is still waiting for its subject.
        with transaction.atomic():
            linked = link_pending_records()
            if touched is not None:
                touched |= linked
            still = unresolved_by_run([r["run_id"] for r in reports if r["unresolved"]])
            for r in reports:
                if r["unresolved"]:
                    r["unresolved"] = still.get(r["run_id"], 0)
                    IngestRun.objects.filter(pk=r["run_id"]).update(unresolved=r["unresolved"])
    totals = Outcome()
    for r in reports:
        totals.add(Outcome(**{k: r[k] for k in Outcome.__dataclass_fields__}))
    if totals.inserted + totals.updated + totals.deleted:
        # After a bulk load the planner (and the portal's record counts) need fresh statistics.
        analyze_tables(
            {r["kind"] for r in reports if r["inserted"] or r["updated"] or r["deleted"]}, parallel=workers
        )
    schedule_reclassification(touched)
    return {
        "files": reports,
        "totals": {
            **totals.as_dict(),
            "files": len(reports),
            "errors": sum(1 for r in reports if r["error"]),
        },
    }


@dataclass
class Receipt:
    batch_id: int
    outcome: Outcome
    quarantined: list[dict]

    def as_dict(self) -> dict:
        o = self.outcome
        return {
            "batch_id": self.batch_id,
            "received": o.received,
            "accepted": o.inserted + o.updated + o.deleted,
            "unchanged": o.unchanged + o.stale,
            "quarantined": self.quarantined,
            "inserted": o.inserted,
            "updated": o.updated,
            "deleted": o.deleted,
            "stale": o.stale,
            "unresolved": o.unresolved,
        }


def ingest_batch(
    *, department: Department, kind: str, items: list[Item], channel: str, source: str = ""
) -> Receipt:
    """A pushed (or pulled) batch: one run, one transaction, a receipt that names each quarantined record."""
    check_kind(department, kind)
    run = start_run(channel=channel, department_id=department.code, kind=kind, source=source)
    try:
        with transaction.atomic():
            outcome = ingest_items(
                items=items, kind=kind, department_id=department.code, channel=channel, run_id=run.pk
            )
            finish_run(run, outcome)
    except Exception as exc:
        # The batch rolled back whole; its run says so instead of staying "running".
        with contextlib.suppress(Exception):
            finish_run(run, Outcome(), status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    quarantined = [
        {"index": q.position - 1, "record_id": q.record_id, "errors": [e["message"] for e in q.errors]}
        for q in QuarantinedRecord.objects.filter(run=run).order_by("position")
    ]
    return Receipt(run.pk, outcome, quarantined)


def reprocess_quarantined(records: Iterable[QuarantinedRecord]) -> dict[int, Outcome]:
    """Send fixed quarantined records through the pipeline again; those that pass are resolved."""
    by_batch: dict[tuple[str, str], list[QuarantinedRecord]] = {}
    for record in records:
        if record.status == QuarantineStatus.OPEN:
            by_batch.setdefault((record.department_id, record.kind), []).append(record)
    results = {}
    for (department_id, kind), group in by_batch.items():
        header_map = HeaderMap(kind)
        items = [
            Item(position=i, line=None, fields=header_map.map(q.raw), raw=q.raw)
            for i, q in enumerate(group, start=1)
        ]
        run = start_run(
            channel=Channel.REPROCESS, department_id=department_id, kind=kind, source="quarantine"
        )
        with transaction.atomic():
            outcome = ingest_items(
                items=items, kind=kind, department_id=department_id, channel=Channel.REPROCESS, run_id=run.pk
            )
            finish_run(run, outcome)
            # A record still wrong stays one open entry, carrying its latest reasons.
            still_bad = {q.position: q for q in QuarantinedRecord.objects.filter(run=run)}
            for i, original in enumerate(group, start=1):
                if i in still_bad:
                    original.reasons, original.errors = still_bad[i].reasons, still_bad[i].errors
                    original.save(update_fields=["reasons", "errors"])
            QuarantinedRecord.objects.filter(run=run).delete()
            resolved = [q.pk for i, q in enumerate(group, start=1) if i not in still_bad]
            QuarantinedRecord.objects.filter(pk__in=resolved).update(
                status=QuarantineStatus.REPROCESSED, resolved_at=timezone.now(), resolved_by_run=run
            )
        results[run.pk] = outcome
    return results


def pull_session(source_max_retries: int | None = None):
    """A requests session that retries 429/5xx/timeouts with capped exponential backoff."""
    retries = settings.PULL_MAX_RETRIES if source_max_retries is None else source_max_retries
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=settings.PULL_BACKOFF_FACTOR,
        backoff_max=settings.PULL_BACKOFF_MAX_SECONDS,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


@dataclass
class PullReport:
    source_id: int
    kind: str
    pages: int = 0
    outcome: Outcome = field(default_factory=Outcome)
    error: str | None = None


def pull_source(source, *, session=None) -> list[PullReport]:
    """Pull every kind of a source page by page; each page and its cursor commit together."""
    session = session or pull_session()
    reports = []
    for kind in source.kinds:
        report = PullReport(source.pk, kind)
        reports.append(report)
        try:
            check_kind(source.department, kind)
        except FeedRejected as exc:
            report.error = str(exc)
            continue
        cursor_row, _ = PullCursor.objects.get_or_create(source=source, kind=kind)
        run = start_run(
            channel=Channel.PULL, department_id=source.department_id, kind=kind, source=source.base_url
        )
        status = RunStatus.SUCCEEDED
        while True:
            params = {"kind": kind, "limit": source.page_size}
            if cursor_row.cursor:
                params["cursor"] = cursor_row.cursor
            try:
                response = session.get(
                    source.base_url.rstrip("/") + "/records",
                    params=params,
                    headers={"Authorization": f"Bearer {source.token}"},
                    timeout=settings.PULL_TIMEOUT_SECONDS,
                )
            except requests.RequestException as exc:
                report.error, status = f"连接失败（已重试）：{exc}", RunStatus.FAILED
                break
            if response.status_code in (401, 403):
                report.error, status = (
                    f"认证失败（HTTP {response.status_code}），数据源已标记为失败",
                    RunStatus.FAILED,
                )
                PullSource.objects.filter(pk=source.pk).update(
                    status=PullSource.Status.FAILING, last_error=report.error
                )
                source.status = PullSource.Status.FAILING
                break
            if response.status_code != 200:
                report.error, status = (
                    f"HTTP {response.status_code}（已重试），下次按计划继续",
                    RunStatus.FAILED,
                )
                break
            try:
                body = response.json()
                records = body["records"]
                if not isinstance(records, list):
                    raise TypeError("records 不是数组")
            except (ValueError, KeyError, TypeError) as exc:
                report.error, status = f"响应格式错误：{exc}", RunStatus.FAILED
                break
            header_map = HeaderMap(kind)
            items = [record_item(r, i, None, header_map) for i, r in enumerate(records, start=1)]
            with transaction.atomic():
                report.outcome.add(
                    ingest_items(
                        items=items,
                        kind=kind,
                        department_id=source.department_id,
                        channel=Channel.PULL,
                        run_id=run.pk,
                    )
                )
                if body.get("next_cursor"):
                    cursor_row.cursor = str(body["next_cursor"])
                cursor_row.updated_at = timezone.now()
                cursor_row.save()
            report.pages += 1
            if not body.get("has_more") or not body.get("next_cursor"):
                break
        finish_run(run, report.outcome, status=status, error=report.error or "")
    if source.status == PullSource.Status.ACTIVE:
        PullSource.objects.filter(pk=source.pk).update(
            last_pulled_at=timezone.now(), last_error="; ".join(r.error for r in reports if r.error)
        )
    return reports


def department_token_issue(*, department: Department) -> str:
    """A new push token for the department; the plain token is returned once and never stored."""
    token = DepartmentToken.new_token()
    DepartmentToken.objects.create(department=department, token_hash=hash_token(token), prefix=token[:10])
    return token
