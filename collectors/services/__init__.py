"""Collector actions: ingest a file, an inbox, a pushed batch, a pulled page, a fixed record.

Every channel ends in `records.items_ingest`: normalise each item, quarantine what is wrong with
the reasons, stage the rest and store it set-based. One run row per file / batch / pull series
(`runs`) records where the records came from and how each one ended.
"""

from .inbox import (
    FileReport,
    collect_inbox,
    file_collect,
    file_ingest,
    inbox_dispatch,
    inbox_group_collect,
    inbox_groups,
    inbox_poll,
    pending_files,
)
from .pull import PullReport, pull_session, pull_source
from .records import FeedRejected, Receipt, batch_ingest, items_ingest, kind_check, quarantined_reprocess
from .runs import ingest_runs_close_dead, run_finish, run_start
from .tokens import department_token_authenticate, department_token_issue

__all__ = [
    "FeedRejected",
    "FileReport",
    "PullReport",
    "Receipt",
    "kind_check",
    "file_collect",
    "collect_inbox",
    "department_token_authenticate",
    "department_token_issue",
    "run_finish",
    "batch_ingest",
    "file_ingest",
    "items_ingest",
    "inbox_dispatch",
    "inbox_group_collect",
    "inbox_groups",
    "inbox_poll",
    "ingest_runs_close_dead",
    "pending_files",
    "pull_session",
    "pull_source",
    "quarantined_reprocess",
    "run_start",
]
