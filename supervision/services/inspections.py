"""双随机、一公开 in the workspace: the steps that run the published verifier (supervision/verify_draw.py).

Freezing snapshots both directories into verify_draw's canonical files; drawing runs verify_draw.draw
over the stored files (the same function anyone runs on the downloaded ones); the seed is
verify_draw.seed_from_sources over the values entered for the sources announced at freezing. The
core (warning_system.inspections.services) checks each transition and stores the result with its
audit entry; publishing sets the result deadline in working days (supervision.workdays).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import asdict
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Collate
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision import verify_draw
from supervision.models import KeySupervision
from supervision.workdays import add_workdays
from warning_system.classification.models import Colour
from warning_system.inspections import selectors as core_selectors
from warning_system.inspections import services as core
from warning_system.inspections.models import InspectionTask, TaskJob, TaskStatus
from warning_system.inspections.services import InspectionError
from warning_system.registry.choices import RegistrationStatus
from warning_system.registry.models import RECORD_MODELS, Subject

__all__ = ["InspectionError", "directory_subjects", "task_draw", "task_freeze", "task_publish", "task_seed"]

EXISTING = (RegistrationStatus.EXISTING, RegistrationStatus.OPERATING)
STREAM_CHUNK = 20_000


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
    rows = _Counted(directory_subjects(task.scope, task.departments).iterator(chunk_size=STREAM_CHUNK))
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


def task_seed(*, task: InspectionTask, user, values: list[str]) -> InspectionTask:
    """frozen → seeded: the seed is verify_draw.seed_from_sources over every announced source's canonical
    value (each checked against its announced format and, for an outside value, its day)."""
    values = core.seed_values_check(task.seed_sources, values, timezone.localdate())
    try:
        seed = verify_draw.seed_from_sources(values)
    except ValueError as error:
        raise InspectionError(_("随机种子来源的取值无效：%(error)s") % {"error": error}) from error
    return core.task_store_seed(task=task, user=user, values=values, seed=seed)


def task_draw(*, task: InspectionTask, user) -> InspectionTask:
    """seeded → drawn: verify_draw.draw over the stored files and the conflicts frozen with them; the
    manifest, the result and the conflicts the draw met (with their salts) are published. A task
    frozen under rivest-sha256-v1 (unsalted tokens, no conflicts.csv) is drawn as v1."""
    if task.status != TaskStatus.SEEDED:
        raise InspectionError(_("须先确定随机种子才能抽取。"))
    subjects, inspectors, previous = (
        core_selectors.file_content(task, name) for name in ("subjects.csv", "inspectors.csv", "previous.csv")
    )
    parameters = {**task.parameters, "seed": task.seed}
    salted = parameters.get("algorithm") != verify_draw.ALGORITHM_V1
    conflicts = (
        [verify_draw.Conflict(*row) for row in core_selectors.frozen_conflicts(task)] if salted else []
    )
    try:
        result = verify_draw.draw(parameters, subjects, inspectors, previous, conflicts)
        manifest = verify_draw.manifest(parameters, subjects, inspectors, previous, task.seed_values)
    except ValueError as error:
        raise InspectionError(_("无法抽取：%(error)s") % {"error": error}) from error
    picks = [
        core.DrawnPick(uscc=p.uscc, colour=p.colour, position=p.position, inspectors=tuple(p.inspectors),
                       short=p.short)
        for p in result.picks
    ]  # fmt: skip
    return core.task_store_draw(
        task=task, user=user, picks=picks, rejections=[asdict(r) for r in result.rejections],
        strata=result.strata,
        files={
            "task.json": verify_draw.manifest_json(manifest),
            "result.csv": verify_draw.result_csv(result),
            **({core.CONFLICTS_FILE: verify_draw.conflicts_csv(result.revealed)} if salted else {}),
        },
    )  # fmt: skip


def result_deadline(day: date | None = None) -> date:
    """Results are due the current policy's working days (docs/rules.md §6: 20) after `day`."""
    return add_workdays(day or timezone.localdate(), core_selectors.current_policy().result_workdays)


def task_publish(*, task: InspectionTask, user) -> InspectionTask:
    """drawn → published; the results are due the policy's working days later (docs/rules.md §6: 20)."""
    return core.task_publish(task=task, user=user, result_deadline=result_deadline())


# --------------------------------------------------------------------------- background jobs (Celery)


def task_freeze_queue(*, task: InspectionTask, user, seed_sources: list[dict]) -> None:
    """Check what can be checked now, mark the freeze running (committed) and queue it: a Celery task
    with a broker, in-process without (CELERY_TASK_ALWAYS_EAGER). The seed sources travel as checked
    (days as ISO text)."""
    from supervision.tasks import inspections as jobs  # the tasks module imports this one

    if task.status != TaskStatus.DRAFT:
        raise InspectionError(_("只有草拟中的任务可以冻结名录。"))
    seed_sources = core.seed_sources_check(seed_sources, timezone.localdate())
    core.task_job_start(task=task, job=TaskJob.FREEZE)
    jobs.inspection_freeze.delay(task.pk, user.pk, seed_sources)


def task_draw_queue(*, task: InspectionTask, user) -> None:
    """Mark the draw running (committed) and queue it, like task_freeze_queue."""
    from supervision.tasks import inspections as jobs

    if task.status != TaskStatus.SEEDED:
        raise InspectionError(_("须先确定随机种子才能抽取。"))
    core.task_job_start(task=task, job=TaskJob.DRAW)
    jobs.inspection_draw.delay(task.pk, user.pk)


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
    return _run_job(task_id, TaskJob.DRAW, lambda task: task_draw(task=task, user=user))
