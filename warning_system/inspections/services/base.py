"""What every step of 双随机 shares: the files, the step order and its labels, the error, the lock
and the audit entry of a task."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warning_system.audit.services import audit_record

from .. import selectors
from ..models import (
    STATUS_ORDER,
    DrawFile,
    InspectionTask,
    TaskStatus,
)

MIN_INSPECTORS = 2
FROZEN_FILES = ("subjects.csv", "inspectors.csv", "previous.csv")
DRAW_FILES = ("task.json", "result.csv")
CONFLICTS_FILE = "conflicts.csv"  # the conflicts the draw met, with their salts (rivest-sha256-v2 on)
BUNDLE_FILE = selectors.BUNDLE_FILE
BULK_BATCH = 5000  # rows per INSERT of a draw's assignments and their links (1,000,000 subjects)

STEP_LABELS = {
    TaskStatus.FROZEN: gettext_lazy("冻结名录"),
    TaskStatus.SEEDED: gettext_lazy("确定随机种子"),
    TaskStatus.DRAWN: gettext_lazy("随机抽取"),
    TaskStatus.PUBLISHED: gettext_lazy("公示抽取结果"),
    TaskStatus.RESULTS: gettext_lazy("完成结果录入"),
    TaskStatus.CLOSED: gettext_lazy("办结"),
}


class InspectionError(Exception):
    """A step that is not allowed now; the message says why, in the user's language."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _locked(task: InspectionTask) -> InspectionTask:
    return InspectionTask.objects.select_for_update().get(pk=task.pk)


def _check_step(task: InspectionTask, to: str) -> None:
    """Each step moves the task exactly one place along STATUS_ORDER."""
    expected = STATUS_ORDER[STATUS_ORDER.index(to) - 1]
    if task.status != expected:
        raise InspectionError(
            _("任务当前状态为“%(current)s”，不能%(step)s（须处于“%(expected)s”状态）。")
            % {"current": task.get_status_display(), "step": STEP_LABELS[to],
               "expected": TaskStatus(expected).label}
        )  # fmt: skip


def _audit(task: InspectionTask, action: str, user, *, before=None, after=None, subject_uscc=None):
    """The actor's own department: a step is taken by a member of a participating department."""
    audit_record(action=action, actor=user, subject_uscc=subject_uscc, obj=task, before=before, after=after)


def _store_file(task: InspectionTask, name: str, data: bytes, now: datetime) -> str:
    digest = sha256_hex(data)
    DrawFile.objects.create(task=task, name=name, content=data, sha256=digest, size=len(data), created_at=now)
    return digest
