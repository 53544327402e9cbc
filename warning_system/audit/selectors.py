"""Reading the audit trail: the workspace's search (scoped by role) and the public regulators' trace."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from warning_system.accounts.models import StaffProfile
from warning_system.audit.filters import AuditEntryFilter
from warning_system.audit.models import Action, AuditEntry
from warning_system.registry.models import Department

EXPORT_CHUNK = 2_000

# What the public sees of the regulators' work on a subject: the steps a department takes *about*
# the subject. Never the workspace's own traffic (logins, denials, views of personal data,
# exports), never key supervision (it would tip the subject off), never who did it.
PUBLIC_TRACE_ACTIONS = frozenset({
    Action.CLAIM, Action.LICENSED, Action.WRITTEN_NOTICE, Action.FEEDBACK, Action.CLOSE,
    Action.REPAIR_DECIDE, Action.RESULT,
})  # fmt: skip
TRACE_LIMIT = 50

ACTION_LABELS = dict(Action.choices)


def _department_name() -> Subquery:
    return Subquery(Department.objects.filter(code=OuterRef("department_id")).values("name")[:1])


# --------------------------------------------------------------------------- workspace search


def department_choices(staff: StaffProfile) -> list[tuple[str, str]]:
    if staff.is_admin:
        return list(Department.objects.order_by("code").values_list("code", "name"))
    return [(staff.department_id, staff.department.name)]


def audit_entries(*, staff: StaffProfile, data: Mapping | None) -> AuditEntryFilter:
    """The search over the entries `staff` may read: a leader their department's, an administrator
    all. The scope is the queryset's, whatever department the query string asks for.

    `.qs` is newest first, with `department_name` annotated (one query per page).
    """
    entries = AuditEntry.objects.annotate(department_name=_department_name()).order_by("-seq")
    if not staff.is_admin:
        entries = entries.filter(department_id=staff.department_id)
    return AuditEntryFilter(data, queryset=entries, departments=department_choices(staff))


def export_header() -> list[str]:
    return [gettext("序号"), gettext("时间"), gettext("操作人账号"), gettext("部门"), gettext("操作"),
            gettext("主体"), gettext("对象类型"), gettext("对象编号"), gettext("变更前"), gettext("变更后"),
            gettext("客户端地址"), gettext("请求编号"), gettext("哈希")]  # fmt: skip


def _json_cell(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def export_rows(entries: QuerySet[AuditEntry]) -> Iterator[list[str]]:
    """The header, then every entry of `entries` (streamed from the database, in constant memory)."""
    yield export_header()
    for entry in entries.iterator(chunk_size=EXPORT_CHUNK):
        yield [
            str(entry.seq),
            timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.actor_name,
            getattr(entry, "department_name", None) or entry.department_id,
            str(ACTION_LABELS.get(entry.action, entry.action)),
            entry.subject_uscc,
            entry.object_type,
            entry.object_id,
            _json_cell(entry.before),
            _json_cell(entry.after),
            entry.client_address,
            entry.request_id,
            entry.hash,
        ]


# --------------------------------------------------------------------------- public trace


@dataclass(frozen=True)
class TraceLine:
    """One step of the regulators' trace: when, which department, what. Nothing about who."""

    at: datetime
    department: str
    action: str
    label: str


def shows_in_trace(action: str) -> bool:
    return action in PUBLIC_TRACE_ACTIONS


def regulator_trace(uscc: str, *, limit: int = TRACE_LIMIT) -> list[TraceLine]:
    """The departments' public steps on a subject, newest first, in one query."""
    rows = (
        AuditEntry.objects.filter(subject_uscc=uscc, action__in=PUBLIC_TRACE_ACTIONS)
        .annotate(department_name=_department_name())
        .order_by("-seq")
        .values_list("at", "department_id", "department_name", "action")[:limit]
    )
    return [
        TraceLine(at, name or code or "—", action, str(ACTION_LABELS.get(action, action)))
        for at, code, name, action in rows
    ]
