"""The pull channel: a department's server is asked page by page; each page and its cursor commit
together, so a cursor is only ever saved after its page is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from warning_system.classification.services import evaluations_request_drain
from warning_system.locks import advisory_lock
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.loading import Outcome

from ..models import PullCursor, PullSource
from ..parsers import HeaderMap, record_item
from .records import FeedRejected, items_ingest, kind_check
from .runs import run_finish, run_progress_save, run_start


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
    """Pull every kind of a source page by page; each page and its cursor commit together. One host at a
    time pulls a source (a lock on its own connection): two would fetch the same pages."""
    with advisory_lock(f"pull-source:{source.pk}") as held:
        return _pull_source(source, session=session) if held else []


def _pull_source(source, *, session=None) -> list[PullReport]:
    session = session or pull_session()
    reports = []
    for kind in source.kinds:
        report = PullReport(source.pk, kind)
        reports.append(report)
        try:
            kind_check(source.department, kind)
        except FeedRejected as exc:
            report.error = str(exc)
            continue
        cursor_row, _ = PullCursor.objects.get_or_create(source=source, kind=kind)
        run = run_start(
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
                outcome, _ = items_ingest(
                    items=items,
                    kind=kind,
                    department_id=source.department_id,
                    channel=Channel.PULL,
                    run_id=run.pk,
                )
                report.outcome.add(outcome)
                run_progress_save(run, report.outcome)
                evaluations_request_drain()
                if body.get("next_cursor"):
                    cursor_row.cursor = str(body["next_cursor"])
                cursor_row.updated_at = timezone.now()
                cursor_row.save()
            report.pages += 1
            if not body.get("has_more") or not body.get("next_cursor"):
                break
        run_finish(run, report.outcome, status=status, error=report.error or "")
    if source.status == PullSource.Status.ACTIVE:
        PullSource.objects.filter(pk=source.pk).update(
            last_pulled_at=timezone.now(), last_error="; ".join(r.error for r in reports if r.error)
        )
    return reports
