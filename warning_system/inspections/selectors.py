"""Reads of 双随机、一公开 shared by the workspace and the public portal."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from warning_system.accounts.models import StaffProfile

from . import verify_draw
from .models import (
    DEFAULT_POLICY,
    PUBLIC,
    Assignment,
    DrawFile,
    FrozenConflict,
    InspectionPolicy,
    InspectionTask,
    Inspector,
    ManualAssignment,
    TaskStatus,
)

# Order of the published files, as listed and zipped.
FILE_ORDER = ("task.json", "subjects.csv", "inspectors.csv", "previous.csv", "result.csv", "conflicts.csv")
# The zip of FILE_ORDER's files, built once at publication (a DrawFile, never listed as a file).
BUNDLE_FILE = "published.zip"


def tasks_with_counts() -> QuerySet[InspectionTask]:
    return InspectionTask.objects.select_related("lead_department").annotate(
        picked=Count("assignments", distinct=True),
        entered=Count("assignments", filter=~Q(assignments__result=""), distinct=True),
    )


def tasks_of_department(staff: StaffProfile) -> QuerySet[InspectionTask]:
    """The tasks a department takes part in; administrators see every task."""
    tasks = tasks_with_counts()
    return tasks if staff.is_admin else tasks.filter(departments__contains=[staff.department_id])


def public_tasks() -> QuerySet[InspectionTask]:
    """Tasks whose directories are frozen: from then on the hashes, parameters and sources are public."""
    return tasks_with_counts().filter(PUBLIC).order_by("-frozen_at", "-id")


def task_by_number(number: str, *, public: bool = False) -> InspectionTask | None:
    tasks = public_tasks() if public else tasks_with_counts()
    return tasks.filter(number=number).first()


def assignments_of(task: InspectionTask) -> QuerySet[Assignment]:
    """The drawn subjects with their names, inspectors and manual assignments, in directory order
    (three queries a page)."""
    return (
        Assignment.objects.filter(task=task)
        .select_related("subject", "result_department")
        .prefetch_related(
            Prefetch("inspectors", queryset=Inspector.objects.order_by("badge_number")),
            Prefetch("manual", queryset=ManualAssignment.objects.order_by("assigned_at", "id")),
        )
        .order_by("position", "id")
    )


def file_list(task: InspectionTask) -> list[dict]:
    """Name, size and hash of the task's files, without their bytes."""
    rows = {r["name"]: r for r in DrawFile.objects.filter(task=task).values("name", "size", "sha256")}
    return [rows[name] for name in FILE_ORDER if name in rows]


def file_content(task: InspectionTask, name: str) -> bytes | None:
    content = DrawFile.objects.filter(task=task, name=name).values_list("content", flat=True).first()
    return bytes(content) if content is not None else None


def files_zip(task: InspectionTask) -> bytes:
    """Every file of the task in one zip, under a folder named after the task (what verify_draw reads)."""
    buffer = io.BytesIO()
    rows = DrawFile.objects.filter(task=task, name__in=FILE_ORDER).order_by("name")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in rows.values_list("name", "content").iterator(chunk_size=1):
            archive.writestr(f"{task.number}/{name}", bytes(content))
    return buffer.getvalue()


def published_zip(task: InspectionTask) -> bytes:
    """The zip stored at publication; built now only for a task published before it was stored."""
    stored = file_content(task, BUNDLE_FILE)
    return stored if stored is not None else files_zip(task)


def frozen_conflicts(task: InspectionTask) -> list[tuple[str, str, str]]:
    """(badge number, uscc, salt) of every conflict frozen with the task: private, for its draw."""
    return list(
        FrozenConflict.objects.filter(task=task)
        .order_by("inspector_id", "uscc")
        .values_list("inspector_id", "uscc", "salt")
    )


def previous_tasks_of(
    departments: list[str], *, exclude: InspectionTask | None = None
) -> list[InspectionTask]:
    """Each of `departments`' newest drawn task (one per department, shared ones once), oldest first:
    the union of their pairs must not repeat in the next task (docs/rules.md §6)."""
    found: dict[int, InspectionTask] = {}
    for code in sorted(set(departments)):
        tasks = InspectionTask.objects.defer("rejections").filter(
            departments__contains=[code], drawn_at__isnull=False
        )
        if exclude is not None:
            tasks = tasks.exclude(pk=exclude.pk)
        newest = tasks.order_by("-drawn_at", "-id").first()
        if newest is not None:
            found[newest.pk] = newest
    return sorted(found.values(), key=lambda task: (task.drawn_at, task.pk))


def undrawn_overlapping(departments: list[str], *, exclude: InspectionTask) -> QuerySet[InspectionTask]:
    """Tasks sharing a department that are frozen or seeded but not drawn yet: their pairs would be
    missing from a task frozen now."""
    return (
        InspectionTask.objects.defer("rejections")
        .filter(departments__overlap=departments, status__in=(TaskStatus.FROZEN, TaskStatus.SEEDED))
        .exclude(pk=exclude.pk)
    )


def previous_pairs(tasks: list[InspectionTask]) -> list[tuple[str, str]]:
    """(inspector id, uscc) of every pick of `tasks`, once each, sorted: the drawn inspectors and
    those assigned by hand (both inspected the subject)."""
    if not tasks:
        return []
    rows = Assignment.inspectors.through.objects.filter(assignment__task__in=tasks).values_list(
        "inspector__badge_number", "assignment__subject_id"
    )
    return sorted(set(rows))


def badge_frozen(badge: str) -> bool:
    """Whether the badge number is an inspector id in any frozen inspectors.csv (each of its lines
    after the header starts with the id and a comma): published with its hash, it never changes."""
    needle = f"\n{badge},".encode()
    return (
        DrawFile.objects.filter(name="inspectors.csv")
        .alias(at=RawSQL("position(%s::bytea in content)", (needle,)))
        .filter(at__gt=0)
        .exists()
    )


def active_inspectors(departments: list[str]) -> QuerySet[Inspector]:
    return Inspector.objects.filter(department_id__in=departments, active=True).order_by("badge_number")


def open_assignments(staff: StaffProfile) -> QuerySet[Assignment]:
    """Drawn subjects of published tasks still waiting for a result that the user may enter: drawn for
    the user's own inspector account, or (leaders) for an inspector of their department."""
    mine = Q(inspectors__staff=staff)
    if staff.is_leader_or_admin:
        mine |= Q(inspectors__department_id=staff.department_id)
    return Assignment.objects.filter(mine, task__status=TaskStatus.PUBLISHED, result="").distinct()


def result_department_of(staff: StaffProfile, assignment: Assignment) -> bool:
    """Whether the user's department may enter this subject's result: one of its inspectors belongs to it."""
    return assignment.inspectors.filter(department_id=staff.department_id).exists()


def assignable_inspectors(assignment: Assignment, task: InspectionTask) -> QuerySet[Inspector]:
    """Whom a leader may assign by hand to a subject the draw left short: the rules of the draw
    (active, of a participating department, holding one of the task's qualifications, no declared
    conflict with the subject, not on it in the departments' previous task), not already on it."""
    uscc = assignment.subject_id
    inspectors = (
        Inspector.objects.filter(department_id__in=task.departments, active=True)
        .exclude(conflicts__contains=[uscc])
        .exclude(pk__in=assignment.inspectors.values("pk"))
        .exclude(badge_number__in=FrozenConflict.objects.filter(task=task, uscc=uscc).values("inspector_id"))
    )
    if task.qualifications:
        inspectors = inspectors.filter(qualifications__overlap=list(task.qualifications))
    if task.previous_tasks:
        before = Assignment.inspectors.through.objects.filter(
            assignment__task__number__in=task.previous_tasks, assignment__subject_id=uscc
        )
        inspectors = inspectors.exclude(pk__in=before.values("inspector_id"))
    return inspectors.select_related("department").order_by("department_id", "badge_number")


def current_policy() -> InspectionPolicy:
    """The newest policy version; the defaults of docs/rules.md §6 (unsaved, version 0) while none is stored."""
    return InspectionPolicy.objects.order_by("-version").first() or InspectionPolicy(
        version=0, note="系统默认值", **DEFAULT_POLICY
    )


def policy_versions() -> QuerySet[InspectionPolicy]:
    return InspectionPolicy.objects.select_related("author").order_by("-version")


def verifier_source() -> bytes:
    """verify_draw.py as the public downloads it: this package's own file, the code the draw runs."""
    return Path(verify_draw.__file__).read_bytes()
