"""Collector actions: ingest a file, an inbox, a pushed batch, a pulled page, a fixed record.

Every channel ends in `records.ingest_items`: normalise each item, quarantine what is wrong with
the reasons, stage the rest and store it set-based. One run row per file / batch / pull series
(`runs`) records where the records came from and how each one ended.
"""

from .inbox import (
    FileReport,
    collect_file,
    collect_inbox,
    inbox_dispatch,
    inbox_group_collect,
    inbox_groups,
    inbox_poll,
    ingest_file,
    pending_files,
)
from .pull import PullReport, pull_session, pull_source
from .records import FeedRejected, Receipt, check_kind, ingest_batch, ingest_items, reprocess_quarantined
from .runs import finish_run, ingest_runs_close_dead, start_run
from .tokens import department_token_authenticate, department_token_issue

__all__ = [
    "FeedRejected",
    "FileReport",
    "PullReport",
    "Receipt",
    "check_kind",
    "collect_file",
    "collect_inbox",
    "department_token_authenticate",
    "department_token_issue",
    "finish_run",
    "ingest_batch",
    "ingest_file",
    "ingest_items",
    "inbox_dispatch",
    "inbox_group_collect",
    "inbox_groups",
    "inbox_poll",
    "ingest_runs_close_dead",
    "pending_files",
    "pull_session",
    "pull_source",
    "reprocess_quarantined",
    "start_run",
]
