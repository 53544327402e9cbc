"""Reads of the repair area: the department's credit repair applications (with the record and its
eligibility today), its pre-warnings, and their tiles on the workspace home."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.paginator import Page
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from supervision.filters.repair import RepairApplicationFilter
from supervision.selectors.linked import kind_label, page_of, record_facts, record_of
from supervision.selectors.queues import Queue
from warning_system.accounts.models import StaffProfile
from warning_system.classification import rules
from warning_system.classification import selectors as classification
from warning_system.classification.models import RepairApplication, RepairStatus, RepairStep
from warning_system.classification.selectors import repair_eligibility
from warning_system.registry.models import KindRecord, Subject

PRE_WARNING_LABELS = {
    "licence_expiring": gettext_lazy("许可即将到期"),
    "annual_report_missing": gettext_lazy("年度报告未报送"),
    "abnormal_three_years": gettext_lazy("经营异常即将满3年"),
}
# The home tile counts a department's pre-warnings at most this often (the list is computed whole).
PRE_WARNING_COUNT_SECONDS = 3600


def applications() -> QuerySet[RepairApplication]:
    return RepairApplication.objects.select_related("subject", "department", "decided_by")


def department_applications(
    staff: StaffProfile, params: Mapping
) -> tuple[RepairApplicationFilter, QuerySet[RepairApplication]]:
    queryset = applications().filter(department_id=staff.department_id)
    filterset = RepairApplicationFilter(params or None, queryset=queryset)
    return filterset, filterset.qs


@dataclass(frozen=True)
class ApplicationDetail:
    record: KindRecord | None
    kind_label: str
    facts: list[tuple[str, str]]
    eligible: bool
    eligibility_note: str
    steps: list[RepairStep]


def repair_conditions(day: date) -> dict:
    ruleset = classification.ruleset_for(day)
    return ruleset.repair if ruleset is not None else rules.DEFAULT_REPAIR


def application_detail(application: RepairApplication, day: date | None = None) -> ApplicationDetail:
    """The record behind the application and whether it is repairable on `day`, recomputed with the
    engine's own test (shown to the reviewer; the decision itself does not test it again)."""
    day = day or timezone.localdate()
    record = record_of(application.kind, application.record_pk)
    if record is None:
        eligible, note = False, _("记录不存在")
    else:
        # The fields the engine's test reads (classification.selectors.RULE_FIELDS).
        fields = ("department_id", *classification.RULE_FIELDS.get(application.kind, ()))
        values = {name: getattr(record, name) for name in fields if hasattr(record, name)}
        eligible, note = repair_eligibility(application.kind, values, day, repair_conditions(day))
        if record.withdrawn:
            eligible, note = False, _("该记录已被决定部门撤回")
    return ApplicationDetail(
        record=record,
        kind_label=kind_label(application.kind),
        facts=record_facts(record) if record is not None else [],
        eligible=eligible,
        eligibility_note=note,
        steps=list(application.steps.all()),
    )


# --------------------------------------------------------------------------- pre-warnings


@dataclass(frozen=True)
class PreWarningRow:
    code: str
    label: str
    uscc: str
    name: str
    due_on: date
    message: str


def department_pre_warnings(department_id: str, day: date | None = None) -> list[classification.PreWarning]:
    return classification.pre_warnings(day or timezone.localdate(), department=department_id)


def pre_warning_page(warnings: list[classification.PreWarning], number) -> Page:
    """A page of pre-warnings with their subjects' names (one query for the page)."""
    page = page_of(warnings, number)
    names = dict(
        Subject.objects.filter(uscc__in={w.uscc for w in page.object_list}).values_list("uscc", "name")
    )
    page.object_list = [
        PreWarningRow(w.code, str(PRE_WARNING_LABELS.get(w.code, w.code)), w.uscc, names.get(w.uscc, ""),
                      w.due_on, w.message)
        for w in page.object_list
    ]  # fmt: skip
    return page


def pre_warning_count(department_id: str, day: date | None = None) -> int:
    day = day or timezone.localdate()
    key = f"supervision:prewarnings:{department_id}:{day.isoformat()}"
    return cache.get_or_set(
        key, lambda: len(department_pre_warnings(department_id, day)), PRE_WARNING_COUNT_SECONDS
    )


# --------------------------------------------------------------------------- home


def queues(staff: StaffProfile) -> list[Queue]:
    """This area's tiles on the workspace home."""
    pending = RepairApplication.objects.filter(
        department_id=staff.department_id, status=RepairStatus.PENDING
    ).count()
    return [
        Queue("repair_pending", _("信用修复待审核"), pending,
              reverse("supervision:repair_list") + f"?status={RepairStatus.PENDING}"),
        Queue("pre_warnings", _("预警提醒"), pre_warning_count(staff.department_id),
              reverse("supervision:prewarning_list")),
    ]  # fmt: skip
