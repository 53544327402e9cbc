"""双随机、一公开 in the workspace: freezing over the workspace's scope, and the background jobs.

Seeding, drawing and publishing are the core's (warning_system.inspections.services, with the
published verifier verify_draw.py beside it). Freezing is here because a task's scope can name the
workspace's own key supervision (selectors.inspections.directory_subjects): it snapshots both
directories into verify_draw's canonical files and hands them to the core, which checks the
transition and stores them with the audit entry. Freezing and drawing a city take longer than a web
request, so the views queue them as jobs (warning_system.jobs) that the tasks module runs.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.selectors import inspections as selectors
from warning_system import jobs
from warning_system.inspections import selectors as core_selectors
from warning_system.inspections import services as core
from warning_system.inspections import verify_draw
from warning_system.inspections.models import InspectionTask, TaskJob, TaskStatus
from warning_system.inspections.services import InspectionError

__all__ = ["InspectionError", "task_draw_queue", "task_freeze", "task_freeze_queue"]

STREAM_CHUNK = 20_000
FREEZE_JOB = "supervision.inspection_freeze"
DRAW_JOB = "supervision.inspection_draw"


class _Counted:
    """Counts what passes through while verify_draw writes it."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator:
        for row in self.rows:
            self.count += 1
            yield row


SALT_BYTES = 16  # verify_draw's salts: 32 hex characters


def directory_inspectors(
    departments: list[str],
) -> tuple[list[verify_draw.Inspector], list[verify_draw.Conflict]]:
    """Active inspectors of the departments, and their declared conflicts each with a fresh random
    salt: the directory lists only the salted tokens (never a USCC in clear, and nothing that hashing
    every inspector against every subject could find); the salts are kept privately with the task."""
    inspectors, conflicts = [], []
    for i in core_selectors.active_inspectors(departments):
        declared = [
            verify_draw.Conflict(i.badge_number, uscc, secrets.token_hex(SALT_BYTES)) for uscc in i.conflicts
        ]
        conflicts += declared
        inspectors.append(
            verify_draw.Inspector(
                id=i.badge_number,
                name=i.name,
                department=i.department_id,
                qualifications=tuple(sorted(i.qualifications)),
                conflicts=frozenset(conflict.token for conflict in declared),
            )  # fmt: skip
        )
    return inspectors, conflicts


def _announcement(source: dict) -> dict:
    return {key: source[key] for key in ("label", "kind", "format", "known_on")}


def draw_parameters(task: InspectionTask, seed_sources: list[dict]) -> dict:
    """The published parameters: the draw's inputs plus the descriptive scope and seed announcement."""
    return verify_draw.normalise_parameters(
        {
            "task": task.number,
            "algorithm": verify_draw.ALGORITHM,
            "ratios": {colour: task.ratios[colour] for colour in verify_draw.COLOURS},
            "inspectors_per_subject": task.inspectors_per_subject,
            "qualifications": sorted(task.qualifications),
            "departments": sorted(task.departments),
            "scope": task.scope,
            "seed_announcement": [_announcement(source) for source in seed_sources],
        },
        require_seed=False,
    )


def qualified_pool_size(inspectors_file: bytes, departments: list[str], qualifications: list[str]) -> int:
    """The draw's inspector pool, counted on the frozen file exactly as verify_draw.draw builds it:
    an inspector of a participating department holding one of the task's qualifications (any, when
    the task names none)."""
    departments, wanted = set(departments), set(qualifications)
    return sum(
        1
        for inspector in verify_draw.parse_inspectors(inspectors_file)
        if inspector.department in departments
        and not (wanted and wanted.isdisjoint(inspector.qualifications))
    )


def task_freeze(*, task: InspectionTask, user, seed_sources: list[dict]) -> InspectionTask:
    """draft → frozen: snapshot both directories and, in canonical form, the pairs of each participating
    department's newest drawn task (their union: "not the same subject in two consecutive tasks")."""
    if task.status != TaskStatus.DRAFT:
        raise InspectionError(_("只有草拟中的任务可以冻结名录。"))
    seed_sources = core.seed_sources_check(seed_sources, timezone.localdate())
    rows = _Counted(
        selectors.directory_subjects(task.scope, task.departments).iterator(chunk_size=STREAM_CHUNK)
    )
    subjects = verify_draw.subjects_csv(rows)
    inspectors, conflicts = directory_inspectors(task.departments)
    inspectors_file = verify_draw.inspectors_csv(inspectors)
    previous_tasks = core_selectors.previous_tasks_of(task.departments, exclude=task)
    previous = verify_draw.previous_csv(core_selectors.previous_pairs(previous_tasks))
    return core.task_store_frozen(
        task=task, user=user,
        files={"subjects.csv": subjects, "inspectors.csv": inspectors_file, "previous.csv": previous},
        subject_count=rows.count, inspector_count=len(inspectors),
        qualified_count=qualified_pool_size(inspectors_file, task.departments, task.qualifications),
        previous_tasks=previous_tasks,
        parameters=draw_parameters(task, seed_sources), seed_sources=seed_sources,
        conflicts=[(c.inspector_id, c.uscc, c.salt) for c in conflicts],
    )  # fmt: skip


# --------------------------------------------------------------------------- background jobs (warning_system.jobs)


def task_freeze_queue(*, task: InspectionTask, user, seed_sources: list[dict]) -> None:
    """Check what can be checked now, mark the freeze running (committed) and queue it: a Celery task
    with a broker, in-process without (CELERY_TASK_ALWAYS_EAGER), asked for by name (services never
    import tasks). The seed sources travel as checked (days as ISO text)."""
    if task.status != TaskStatus.DRAFT:
        raise InspectionError(_("只有草拟中的任务可以冻结名录。"))
    seed_sources = core.seed_sources_check(seed_sources, timezone.localdate())
    core.task_job_start(task=task, job=TaskJob.FREEZE)
    jobs.enqueue(FREEZE_JOB, task.pk, user.pk, seed_sources)


def task_draw_queue(*, task: InspectionTask, user) -> None:
    """Mark the draw running (committed) and queue it, like task_freeze_queue."""
    if task.status != TaskStatus.SEEDED:
        raise InspectionError(_("须先确定随机种子才能抽取。"))
    core.task_job_start(task=task, job=TaskJob.DRAW)
    jobs.enqueue(DRAW_JOB, task.pk, user.pk)


def _run_job(task_id: int, job: str, step) -> str:
    """Run a background step; its refusal is kept on the task (shown on its page), never lost. A
    redelivered message whose job already ended does nothing."""
    task = InspectionTask.objects.filter(pk=task_id, job=job).first()
    if task is None:
        return "ended"
    try:
        step(task)
    except InspectionError as error:
        core.task_job_finish(task=task, job=job, error=str(error))
        return "refused"
    core.task_job_finish(task=task, job=job)
    return "done"


def task_freeze_job(*, task_id: int, user_id: int, seed_sources: list[dict]) -> str:
    user = get_user_model().objects.get(pk=user_id)
    return _run_job(task_id, TaskJob.FREEZE,
                    lambda task: task_freeze(task=task, user=user, seed_sources=seed_sources))  # fmt: skip


def task_draw_job(*, task_id: int, user_id: int) -> str:
    user = get_user_model().objects.get(pk=user_id)
    return _run_job(task_id, TaskJob.DRAW, lambda task: core.task_draw(task=task, user=user))
