"""The steps of a 双随机 task, draft → frozen → seeded → drawn → published → results → closed (or
cancelled): each one transaction that locks the task, checks the step, writes it with its audit entry.
Seeding and drawing run verify_draw, the published verifier; the background jobs' marks are here too."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warning_system.audit.models import Action
from warning_system.classification.models import Colour
from warning_system.registry.models import Department

from .. import selectors, verify_draw
from ..models import (
    CANCELLABLE,
    Assignment,
    FrozenConflict,
    InspectionTask,
    Inspector,
    TaskJob,
    TaskStatus,
)
from .base import (
    BULK_BATCH,
    BUNDLE_FILE,
    CONFLICTS_FILE,
    DRAW_FILES,
    FROZEN_FILES,
    MIN_INSPECTORS,
    InspectionError,
    _audit,
    _check_step,
    _locked,
    _store_file,
    sha256_hex,
)
from .seeds import seed_sources_check, seed_values_check

# --------------------------------------------------------------------------- background steps

# The status a background job starts from; a job not finished after JOB_STALE (a worker lost) may be
# started again.
JOB_FROM = {TaskJob.FREEZE: TaskStatus.DRAFT, TaskJob.DRAW: TaskStatus.SEEDED}
JOB_STALE = timedelta(hours=1)


def task_job_start(*, task: InspectionTask, job: str) -> InspectionTask:
    """Mark a freeze or draw as running in the background (the page shows it in progress); refused
    when the task is not where the step starts or another job of it is running."""
    with transaction.atomic():
        task = _locked(task)
        if task.status != JOB_FROM[job]:
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能开始“%(job)s”。")
                % {"current": task.get_status_display(), "job": TaskJob(job).label}
            )
        if task.job and task.job_started_at and timezone.now() - task.job_started_at < JOB_STALE:
            raise InspectionError(_("%(job)s，请稍候刷新页面。") % {"job": task.get_job_display()})
        task.job, task.job_started_at, task.job_error = job, timezone.now(), ""
        task.save(update_fields=["job", "job_started_at", "job_error"])
    return task


def task_job_finish(*, task: InspectionTask, job: str, error: str = "") -> None:
    """The background job ended (`error`: why it failed, shown on the task's page)."""
    InspectionTask.objects.filter(pk=task.pk, job=job).update(job="", job_error=error)


# --------------------------------------------------------------------------- tasks: draft


def _check_parameters(data: dict, lead: str) -> None:
    if (data.get("inspectors_per_subject") or 0) < MIN_INSPECTORS:
        raise InspectionError(_("每户至少须由 2 名检查人员检查。"))
    ratios = data.get("ratios") or {}
    if set(ratios) != set(Colour.values) or any(not 0 <= float(v) <= 1 for v in ratios.values()):
        raise InspectionError(_("须为绿、黄、橙、红四种颜色各设定 0 至 100% 的抽查比例。"))
    if lead not in data.get("departments", []):
        raise InspectionError(_("发起部门须参与本任务。"))


def task_save(*, task: InspectionTask | None, department_id: str, user, data: dict) -> InspectionTask:
    """Create a draft task of `department_id`, or change a draft. Only drafts change."""
    editable = ("name", "departments", "scope", "items", "qualifications", "ratios", "inspectors_per_subject")
    with transaction.atomic():
        before = None
        if task is not None:
            task = _locked(task)
            if task.status != TaskStatus.DRAFT:
                raise InspectionError(_("名录冻结后任务不能再修改。"))
            before = {name: getattr(task, name) for name in editable}
            data = {**before, **data}
        lead = task.lead_department_id if task is not None else department_id
        data = {**data, "departments": sorted(set(data.get("departments") or []) | {lead})}
        _check_parameters(data, lead)
        unknown = set(data["departments"]) - set(
            Department.objects.filter(code__in=data["departments"]).values_list("code", flat=True)
        )
        if unknown:
            raise InspectionError(_("未知部门：%(codes)s") % {"codes": "、".join(sorted(unknown))})
        if task is None:
            task = InspectionTask(lead_department_id=lead, created_by=user, number="")
        for name in editable:
            if name in data:
                setattr(task, name, data[name])
        task.ratios = {colour: float(task.ratios[colour]) for colour in Colour.values}
        task.save()
        if not task.number:
            # Numbered once, from the row id: unique without a counter table, readable by year.
            task.number = f"SSJ{task.created_at:%Y}{task.pk:05d}"
            task.save(update_fields=["number"])
        after = {name: getattr(task, name) for name in editable}
        _audit(task, Action.TASK_SAVE, user, before=before, after={"number": task.number, **after})
    return task


# --------------------------------------------------------------------------- tasks: freeze → close


def task_store_frozen(
    *,
    task: InspectionTask,
    user,
    files: dict[str, bytes],
    subject_count: int,
    inspector_count: int,
    qualified_count: int,
    previous_tasks: Sequence[InspectionTask],
    parameters: dict,
    seed_sources: Sequence[dict],
    conflicts: Iterable[tuple[str, str, str]] = (),
) -> InspectionTask:
    """draft → frozen: keep the canonical directories, publish their hashes, the parameters and the
    seed's sources, before any seed exists. `conflicts`: (badge number, uscc, salt) of every declared
    conflict whose salted token inspectors.csv lists; the salts stay private (FrozenConflict).

    `previous_tasks` are the participating departments' newest drawn tasks whose pairs previous.csv
    holds. Freezing locks the departments' rows (freezes of overlapping tasks run one at a time) and is
    refused while another task of theirs is frozen or seeded but not drawn, or when the newest drawn
    tasks changed since previous.csv was written."""
    sources = seed_sources_check(seed_sources, timezone.localdate())
    if set(files) != set(FROZEN_FILES):
        raise InspectionError(_("冻结须包含主体名录、检查人员名录和上次抽查配对三个文件。"))
    if subject_count == 0:
        raise InspectionError(_("抽查范围内没有主体，请调整筛选条件。"))
    wanted = parameters.get("inspectors_per_subject") or MIN_INSPECTORS
    if qualified_count < wanted:
        raise InspectionError(
            _("参与部门在岗且具备所需执法领域的检查人员只有 %(count)d 人，不足每户所需的 %(wanted)d 人，"
              "冻结后将无法抽取。") % {"count": qualified_count, "wanted": wanted}
        )  # fmt: skip
    with transaction.atomic():
        task = _locked(task)
        _check_step(task, TaskStatus.FROZEN)
        list(Department.objects.select_for_update().filter(code__in=task.departments).order_by("code"))
        pending = list(
            selectors.undrawn_overlapping(task.departments, exclude=task).values_list("number", flat=True)
        )
        if pending:
            raise InspectionError(
                _(
                    "参与部门的抽查任务 %(numbers)s 已冻结但尚未抽取，其抽查配对无法计入本任务；请待其抽取或撤销后再冻结。"
                )
                % {"numbers": "、".join(sorted(pending))}
            )
        newest = selectors.previous_tasks_of(task.departments, exclude=task)
        if {t.pk for t in newest} != {t.pk for t in previous_tasks}:
            raise InspectionError(_("参与部门刚刚完成了另一次抽取，请重新冻结。"))
        now = timezone.now()
        stored = {name: _store_file(task, name, files[name], now) for name in FROZEN_FILES}
        FrozenConflict.objects.bulk_create(
            (FrozenConflict(task=task, inspector_id=badge, uscc=uscc, salt=salt) for badge, uscc, salt in conflicts),
            batch_size=BULK_BATCH,
        )  # fmt: skip
        task.subjects_sha256 = stored["subjects.csv"]
        task.inspectors_sha256 = stored["inspectors.csv"]
        task.previous_sha256 = stored["previous.csv"]
        task.subject_count, task.inspector_count = subject_count, inspector_count
        task.previous_task = previous_tasks[-1] if previous_tasks else None
        task.previous_tasks = [t.number for t in previous_tasks]
        task.parameters = parameters
        task.algorithm = parameters.get("algorithm", "")
        task.seed_sources = sources
        task.status, task.frozen_at = TaskStatus.FROZEN, now
        task.save()
        _audit(task, Action.FREEZE, user, after={
            "number": task.number, "subjects_sha256": task.subjects_sha256,
            "inspectors_sha256": task.inspectors_sha256, "previous_sha256": task.previous_sha256,
            "subject_count": subject_count, "inspector_count": inspector_count,
            "previous_tasks": task.previous_tasks, "seed_sources": sources,
        })  # fmt: skip
    return task


def task_seed(*, task: InspectionTask, user, values: Sequence[str]) -> InspectionTask:
    """frozen → seeded: the seed is verify_draw.seed_from_sources over every announced source's canonical
    value (each checked against its announced format and, for an outside value, its day). The system
    never picks a seed itself: without every source's value there is no seed."""
    values = seed_values_check(task.seed_sources, values, timezone.localdate())
    try:
        seed = verify_draw.seed_from_sources(values)
    except ValueError as error:
        raise InspectionError(_("随机种子来源的取值无效：%(error)s") % {"error": error}) from error
    with transaction.atomic():
        task = _locked(task)
        _check_step(task, TaskStatus.SEEDED)
        values = seed_values_check(task.seed_sources, values, timezone.localdate())
        if not seed:
            raise InspectionError(_("随机种子为空。"))
        task.seed_values, task.seed = values, seed
        task.parameters = {**task.parameters, "seed": seed}
        task.status, task.seeded_at = TaskStatus.SEEDED, timezone.now()
        task.save(update_fields=["seed_values", "seed", "parameters", "status", "seeded_at"])
        _audit(task, Action.SEED, user, after={"number": task.number, "seed_values": values, "seed": seed})
    return task


def task_draw(*, task: InspectionTask, user) -> InspectionTask:
    """seeded → drawn: verify_draw.draw over the stored files and the conflicts frozen with them (the
    same function anyone runs on the downloaded ones); the manifest, the result and the conflicts the
    draw met (with their salts) are published. A task frozen under rivest-sha256-v1 (unsalted tokens,
    no conflicts.csv) is drawn as v1."""
    if task.status != TaskStatus.SEEDED:
        raise InspectionError(_("须先确定随机种子才能抽取。"))
    subjects, inspectors, previous = (selectors.file_content(task, name) for name in FROZEN_FILES)
    parameters = {**task.parameters, "seed": task.seed}
    salted = parameters.get("algorithm") != verify_draw.ALGORITHM_V1
    conflicts = [verify_draw.Conflict(*row) for row in selectors.frozen_conflicts(task)] if salted else []
    try:
        result = verify_draw.draw(parameters, subjects, inspectors, previous, conflicts)
        manifest = verify_draw.manifest(parameters, subjects, inspectors, previous, task.seed_values)
    except ValueError as error:
        raise InspectionError(_("无法抽取：%(error)s") % {"error": error}) from error
    picks = [
        DrawnPick(
            uscc=p.uscc, colour=p.colour, position=p.position, inspectors=tuple(p.inspectors), short=p.short
        )
        for p in result.picks
    ]
    return _store_draw(
        task=task, user=user, picks=picks, rejections=[asdict(r) for r in result.rejections],
        strata=result.strata,
        files={
            "task.json": verify_draw.manifest_json(manifest),
            "result.csv": verify_draw.result_csv(result),
            **({CONFLICTS_FILE: verify_draw.conflicts_csv(result.revealed)} if salted else {}),
        },
    )  # fmt: skip


@dataclass(frozen=True)
class DrawnPick:
    uscc: str
    colour: str
    position: int
    inspectors: tuple[str, ...]
    short: bool = False  # fewer eligible inspectors than wanted: the department assigns by hand


def _store_draw(
    *,
    task: InspectionTask,
    user,
    picks: Iterable[DrawnPick],
    rejections: list[dict],
    strata: dict,
    files: dict[str, bytes],
) -> InspectionTask:
    """seeded → drawn: the verifier's result, its manifest, result file and (from rivest-sha256-v2 on)
    the conflicts it met, and one assignment per pick."""
    picks = list(picks)
    if not set(DRAW_FILES) <= set(files) <= {*DRAW_FILES, CONFLICTS_FILE}:
        raise InspectionError(_("抽取须生成任务清单和抽取结果两个文件。"))
    with transaction.atomic():
        task = _locked(task)
        _check_step(task, TaskStatus.DRAWN)
        now = timezone.now()
        for name in sorted(files):
            _store_file(task, name, files[name], now)
        inspectors = {i.badge_number: i.pk for i in Inspector.objects.filter(
            badge_number__in={b for p in picks for b in p.inspectors})}  # fmt: skip
        created = Assignment.objects.bulk_create(
            [Assignment(task=task, subject_id=p.uscc, colour=p.colour, position=p.position,
                        inspector_ids=list(p.inspectors), short=p.short)
             for p in picks],
            batch_size=BULK_BATCH,
        )  # fmt: skip
        through = Assignment.inspectors.through
        through.objects.bulk_create(
            (
                through(assignment_id=a.pk, inspector_id=inspectors[badge])
                for a in created
                for badge in a.inspector_ids
            ),
            batch_size=BULK_BATCH,
        )
        task.strata, task.rejections = strata, rejections
        task.status, task.drawn_at = TaskStatus.DRAWN, now
        task.save(update_fields=["strata", "rejections", "status", "drawn_at"])
        _audit(task, Action.DRAW, user, after={
            "number": task.number, "picks": len(picks), "short": sum(p.short for p in picks),
            "rejections": len(rejections),
            "result_sha256": sha256_hex(files["result.csv"]),
        })  # fmt: skip
    return task


def task_publish(*, task: InspectionTask, user, result_deadline: date) -> InspectionTask:
    """drawn → published: the result is public; results are due by `result_deadline`. The zip of the
    published files (what verify_draw reads) is built here once and stored: the files never change
    afterwards, so a download need not rebuild a 1,000,000-subject archive."""
    with transaction.atomic():
        task = _locked(task)
        _check_step(task, TaskStatus.PUBLISHED)
        now = timezone.now()
        task.status, task.published_at, task.result_deadline = TaskStatus.PUBLISHED, now, result_deadline
        task.save(update_fields=["status", "published_at", "result_deadline"])
        _store_file(task, BUNDLE_FILE, selectors.files_zip(task), now)
        _audit(task, Action.PUBLISH, user, after={"number": task.number, "result_deadline": result_deadline})
    return task


def task_close(*, task: InspectionTask, user) -> InspectionTask:
    """results → closed (办结)."""
    with transaction.atomic():
        task = _locked(task)
        _check_step(task, TaskStatus.CLOSED)
        task.status, task.closed_at = TaskStatus.CLOSED, timezone.now()
        task.save(update_fields=["status", "closed_at"])
        _audit(task, Action.CLOSE, user, after={"number": task.number})
    return task


def task_cancel(*, task: InspectionTask, user, reason: str) -> InspectionTask:
    """draft, frozen or seeded → cancelled (撤销), with a reason: a task that cannot be drawn (or must
    not be) does not stay stuck. Audited as a cancellation; a task cancelled after freezing stays on
    the public page with its reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError(_("撤销任务须说明理由。"))
    with transaction.atomic():
        task = _locked(task)
        if task.status not in CANCELLABLE:
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能撤销（只有抽取前的任务可以撤销）。")
                % {"current": task.get_status_display()}
            )
        before = task.status
        task.status, task.cancelled_at, task.cancel_reason = TaskStatus.CANCELLED, timezone.now(), reason
        task.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        _audit(task, Action.CANCEL, user, before={"status": before},
               after={"number": task.number, "status": task.status, "reason": reason})  # fmt: skip
    return task
