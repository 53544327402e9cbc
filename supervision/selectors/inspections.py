"""Reads of 双随机 in the workspace: task lists, the directories, a result form's subject, the home tiles."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Collate
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.filters.inspections import InspectorFilter, TaskFilter
from supervision.models import KeySupervision
from supervision.selectors.queues import Queue
from supervision.workdays import add_workdays
from warning_system.accounts.models import StaffProfile
from warning_system.classification.models import Colour
from warning_system.inspections import selectors as core
from warning_system.inspections import wording
from warning_system.inspections.models import (
    Assignment,
    Attachment,
    InspectionTask,
    Inspector,
    ResultCorrection,
    TaskStatus,
)
from warning_system.registry.choices import RegistrationStatus
from warning_system.registry.models import RECORD_MODELS, Subject

PAGE_SIZE = 50


EXISTING = (RegistrationStatus.EXISTING, RegistrationStatus.OPERATING)


def directory_subjects(scope: dict, departments: list[str], day: date | None = None) -> QuerySet:
    """The subjects directory of a scope, as (uscc, colour) in canonical (bytewise) USCC order.

    Existing subjects only; a subject never classified is green. Scope keys (each empty = all):
    district_codes, industry_prefixes, colours, subject_types, licence_category, licence_keyword
    (a licence valid today), key_supervision (under the departments' key supervision today).
    """
    day = day or timezone.localdate()
    subjects = Subject.objects.filter(status__in=EXISTING, withdrawn=False)
    if scope.get("district_codes"):
        subjects = subjects.filter(district_code__in=scope["district_codes"])
    if scope.get("industry_prefixes"):
        prefixes = Q()
        for prefix in scope["industry_prefixes"]:
            prefixes |= Q(industry_code__startswith=prefix)
        subjects = subjects.filter(prefixes)
    if scope.get("subject_types"):
        subjects = subjects.filter(subject_type__in=scope["subject_types"])
    if scope.get("colours"):
        colours = Q(colour__colour__in=scope["colours"])
        if Colour.GREEN in scope["colours"]:
            colours |= Q(colour__isnull=True)
        subjects = subjects.filter(colours)
    if scope.get("licence_category") or scope.get("licence_keyword"):
        licences = (
            RECORD_MODELS["license"]
            .objects.filter(subject_id=OuterRef("uscc"), withdrawn=False)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        )
        if scope.get("licence_category"):
            licences = licences.filter(license_category=scope["licence_category"])
        if scope.get("licence_keyword"):
            licences = licences.filter(certificate_name__contains=scope["licence_keyword"])
        subjects = subjects.filter(Exists(licences))
    if scope.get("key_supervision"):
        keys = KeySupervision.objects.filter(
            subject_id=OuterRef("uscc"), department_id__in=departments, ended_at__isnull=True,
            starts_on__lte=day, ends_on__gte=day,
        )  # fmt: skip
        subjects = subjects.filter(Exists(keys))
    return (
        subjects.annotate(stratum=Coalesce("colour__colour", Value(Colour.GREEN)))
        .order_by(Collate("uscc", "C"))
        .values_list("uscc", "stratum")
    )


def page_of(rows, number, per_page: int | None = None) -> Page:
    return Paginator(rows, per_page or PAGE_SIZE).get_page(number)


def tasks(staff: StaffProfile, params) -> tuple[TaskFilter, object]:
    """The tasks the user's department takes part in (administrators: all), filtered."""
    filterset = TaskFilter(params, queryset=core.tasks_of_department(staff))
    return filterset, filterset.qs.defer("rejections").order_by("-created_at", "-id")


def task_for(staff: StaffProfile, pk: int) -> InspectionTask:
    """A task the user may see: its departments' members and administrators; else 403 (audited)."""
    task = core.tasks_with_counts().filter(pk=pk).first()
    if task is None:
        from django.http import Http404

        raise Http404
    if not (staff.is_admin or staff.department_id in task.departments):
        raise PermissionDenied(f"inspection task of departments {','.join(task.departments)}")
    return task


def require_lead(staff: StaffProfile, task: InspectionTask) -> None:
    """Steps of a task are its lead department's (its leaders'; administrators of it too)."""
    if staff.department_id != task.lead_department_id:
        raise PermissionDenied(f"acting on a task of department {task.lead_department_id}")


def inspectors(staff: StaffProfile, params) -> tuple[InspectorFilter, object]:
    """The inspectors directory: every department's, as joint tasks draw from several."""
    base = Inspector.objects.select_related("department", "staff__user").order_by(
        "department_id", "badge_number"
    )
    filterset = InspectorFilter(params, queryset=base)
    return filterset, filterset.qs


def subject_preview(
    scope: dict, departments: list[str], limit: int = 20
) -> tuple[int, list[tuple[str, str]]]:
    """How many subjects a scope holds today, and the first few."""
    rows = directory_subjects(scope, departments)
    return rows.count(), list(rows[:limit])


def assignment_for(staff: StaffProfile, pk: int) -> Assignment:
    """A drawn subject whose result the user may enter: as one of its drawn inspectors (their linked
    account), or as a leader of a drawn inspector's department on that inspector's behalf (代为录入).
    Sets `own_inspector` (the user's drawn inspector, or None) and `proxy_choices` (whom a leader may
    enter it for); anyone else: 403 (audited)."""
    assignment = (
        Assignment.objects.select_related(
            "task", "subject", "result_department", "result_inspector", "result_by"
        )
        .prefetch_related("inspectors", Prefetch("attachments", queryset=Attachment.objects.defer("content")))
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        from django.http import Http404

        raise Http404
    drawn = list(assignment.inspectors.all())
    own = next((i for i in drawn if i.staff_id == staff.pk), None)
    proxy_choices = (
        [i for i in drawn if i.department_id == staff.department_id]
        if own is None and staff.is_leader_or_admin
        else []
    )
    if own is None and not proxy_choices:
        raise PermissionDenied("the result of a subject the user was not drawn to inspect")
    assignment.own_inspector, assignment.proxy_choices = own, proxy_choices
    return assignment


def attachment_for(staff: StaffProfile, pk: int) -> Attachment:
    """An attachment of a result, for the task's participating departments and administrators; else 403."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("assignment__task").defer("assignment__task__rejections"), pk=pk
    )
    task = attachment.assignment.task
    if not (staff.is_admin or staff.department_id in task.departments):
        raise PermissionDenied(f"attachment of a task of departments {','.join(task.departments)}")
    return attachment


def my_assignments(staff: StaffProfile):
    """Open drawn subjects of published tasks that the user's department inspects, own first."""
    return (
        core.open_assignments(staff)
        .select_related("task", "subject")
        .order_by("task__result_deadline", "task_id", "position")
    )


def queues(staff: StaffProfile) -> list[Queue]:
    """This area's tiles on the workspace home: results to enter; for leaders, tasks waiting for a step."""
    tiles = [
        Queue("inspection_results", _("双随机待录入结果"), core.open_assignments(staff).count(),
              reverse("supervision:inspection_results")),
    ]  # fmt: skip
    if staff.is_leader_or_admin:
        waiting = InspectionTask.objects.filter(
            lead_department_id=staff.department_id, status=TaskStatus.FROZEN
        )
        tiles.append(Queue("inspection_to_seed", _("双随机待确定种子"), waiting.count(),
                           reverse("supervision:inspection_tasks") + f"?status={TaskStatus.FROZEN}"))  # fmt: skip
    return tiles


def short_assignment(task: InspectionTask, pk: int) -> Assignment:
    """A drawn subject of `task` (404 otherwise), with its subject and inspectors."""
    return get_object_or_404(
        Assignment.objects.select_related("subject").prefetch_related("inspectors", "manual__inspector"),
        task=task, pk=pk,
    )  # fmt: skip


def corrections_of(assignment: Assignment) -> list[ResultCorrection]:
    """Every correction of a result, oldest first: what it replaced, by whom and why (staff only)."""
    return list(
        ResultCorrection.objects.filter(assignment=assignment)
        .select_related("inspector", "corrected_by")
        .order_by("corrected_at", "id")
    )


def result_deadline(day: date | None = None) -> date:
    """Results are due the current policy's working days (docs/rules.md §6: 20) after `day`."""
    return add_workdays(day or timezone.localdate(), core.current_policy().result_workdays)


def parameters_in_words(task: InspectionTask) -> dict:
    """Departments, scope, ratios and algorithm as people say them (names, not codes)."""
    return {
        "departments": wording.department_names(task.departments),
        "scope": wording.scope_words(task.scope),
        "ratios": wording.ratio_words(task.ratios),
        "strata": wording.strata_words(task.strata),
        "algorithm": wording.algorithm_words(task.algorithm),
        "seed_formats": [wording.seed_format(s.get("format", "")) for s in task.seed_sources or []],
    }
