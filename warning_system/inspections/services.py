"""Writes of 双随机、一公开. Each step of a task is one transaction: lock the task, check the step is
allowed from its state, write the new state and the step's audit entry together, queue the rest
(re-classification, page drops) on commit.

The draw itself (canonical files, the sampler) is warning_system/inspections/verify_draw.py, the published verifier:
the workspace's services run it and hand its output to the steps here, which store it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.classification.models import Colour
from warning_system.classification.services import evaluations_request_drain
from warning_system.registry import contract
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.loading import RecordLoader
from warning_system.registry.models import Department, IngestRun, Subject

from . import selectors, verify_draw
from .models import (
    CANCELLABLE,
    SEED_EXTERNAL,
    SEED_KINDS,
    STATUS_ORDER,
    Assignment,
    Attachment,
    DrawFile,
    FrozenConflict,
    InspectionPolicy,
    InspectionTask,
    Inspector,
    ManualAssignment,
    ResultCorrection,
    TaskJob,
    TaskStatus,
)

MIN_INSPECTORS = 2
MIN_SEED_SOURCES = 2  # the system never picks the seed alone (verify_draw.seed_from_sources)
FROZEN_FILES = ("subjects.csv", "inspectors.csv", "previous.csv")
DRAW_FILES = ("task.json", "result.csv")
CONFLICTS_FILE = "conflicts.csv"  # the conflicts the draw met, with their salts (rivest-sha256-v2 on)
BUNDLE_FILE = selectors.BUNDLE_FILE
RESULTS = dict(contract.ENUMS["inspection_result"])
BULK_BATCH = 5000  # rows per INSERT of a draw's assignments and their links (1,000,000 subjects)
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_MAX_COUNT = 5
ATTACHMENT_TYPES = frozenset({"image/jpeg", "image/png", "application/pdf"})
# An attachment's type is what its first bytes say, never what the browser declared.
ATTACHMENT_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG", "image/png"), (b"%PDF", "application/pdf"))
ATTACHMENT_MAGIC_BYTES = 4


def attachment_type(head: bytes) -> str | None:
    """The allowed type a file's first bytes show (JPEG FF D8 FF, PNG 89 50 4E 47, PDF %PDF), or None."""
    return next((kind for magic, kind in ATTACHMENT_MAGIC if head.startswith(magic)), None)


# Seed sources (docs/rules.md §6: "the system never picks the seed alone"). Each announced source has a kind,
# an exact format (a regex matched against the whole canonical value) and, for an outside value, the
# day it becomes known: no leader can choose a value that does not exist yet or fits no format.
SEED_FORMATS = {
    r"^\d{6}$": gettext_lazy("六位数字"),
    r"^\d{2}( \d{2}){6}$": gettext_lazy("七组两位数字，以空格分隔（如彩票开奖号码）"),
    r"^\d{1,6}\.\d{2}$": gettext_lazy("带两位小数的数值（如指数收盘点位）"),
}
SEED_FORMAT_MAX = 100

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


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _seed_format(pattern: str) -> re.Pattern:
    if not (0 < len(pattern) <= SEED_FORMAT_MAX and pattern.startswith("^") and pattern.endswith("$")):
        raise InspectionError(
            _("随机种子来源的格式须为以 ^ 开头、以 $ 结尾的正则表达式（不超过 %(max)d 个字符）。")
            % {"max": SEED_FORMAT_MAX}
        )
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise InspectionError(_("随机种子来源的格式无效：%(error)s") % {"error": error}) from error
    if compiled.fullmatch(""):
        raise InspectionError(_("随机种子来源的格式不能允许空值。"))
    return compiled


def seed_sources_check(sources: Sequence[dict], today: date) -> list[dict]:
    """The sources announced at freezing, normalised: label, description, kind, format and, for an
    outside value, `known_on` (ISO day, after `today`: the value does not exist yet). At least two
    sources, one of them an outside future value."""
    checked = []
    for source in sources:
        label = (source.get("label") or "").strip()
        if not label:
            continue
        kind = source.get("kind")
        if kind not in SEED_KINDS:
            raise InspectionError(_("请为随机种子来源“%(label)s”选择类型。") % {"label": label})
        pattern = (source.get("format") or "").strip()
        _seed_format(pattern)
        known_on = source.get("known_on") or None
        if kind == SEED_EXTERNAL:
            if isinstance(known_on, str):
                known_on = date.fromisoformat(known_on)
            if known_on is None or known_on <= today:
                raise InspectionError(
                    _("外部数值“%(label)s”须注明产生日期，且须晚于冻结当日（冻结时尚不存在）。")
                    % {"label": label}
                )
            known_on = known_on.isoformat()
        else:
            known_on = None
        checked.append({"label": label[:200], "description": (source.get("description") or "").strip(),
                        "kind": kind, "format": pattern, "known_on": known_on})  # fmt: skip
    if len(checked) < MIN_SEED_SOURCES or not any(s["kind"] == SEED_EXTERNAL for s in checked):
        raise InspectionError(
            _("冻结前须公布至少两个随机种子来源，其中至少一个是冻结后才产生的外部数值（例如开奖号码），"
              "系统从不独自产生种子。")
        )  # fmt: skip
    return checked


def canonical_seed_value(source: dict, value: str) -> str:
    """A source's value as it enters the seed: NFKC (full-width digits become ASCII), stripped;
    internal whitespace collapsed to one space where the format has spaces, else removed."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    return " ".join(value.split()) if " " in source.get("format", "") else "".join(value.split())


def seed_values_check(sources: Sequence[dict], values: Sequence[str], today: date) -> list[str]:
    """The canonical value of every announced source; refused when one is missing, does not match its
    announced format, or is an outside value entered before the day it becomes known."""
    if len(values) != len(sources):
        raise InspectionError(_("须录入每一个已公布的随机种子来源的取值。"))
    canonical = []
    for source, value in zip(sources, values, strict=True):
        value = canonical_seed_value(source, value)
        if not value:
            raise InspectionError(_("须录入每一个已公布的随机种子来源的取值。"))
        if not source.get("format") or not _seed_format(source["format"]).fullmatch(value):
            raise InspectionError(
                _("“%(label)s”的取值 %(value)s 不符合冻结时公布的格式 %(format)s。")
                % {"label": source["label"], "value": value, "format": source.get("format", "")}
            )
        known_on = source.get("known_on")
        if source.get("kind") == SEED_EXTERNAL and (not known_on or today < date.fromisoformat(known_on)):
            raise InspectionError(
                _("“%(label)s”要到 %(day)s 才产生，之前不能确定随机种子。")
                % {"label": source["label"], "day": known_on}
            )
        canonical.append(value)
    return canonical


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


# --------------------------------------------------------------------------- inspectors directory


def inspector_save(*, inspector: Inspector | None, department_id: str, user, data: dict) -> Inspector:
    """Add or change an inspector of `department_id` (department leaders). Conflicts stay internal:
    the trail records how many, not which."""
    fields = ("name", "badge_number", "qualifications", "active", "conflicts", "staff")

    def snapshot(obj: Inspector) -> dict:
        return {"name": obj.name, "badge_number": obj.badge_number, "qualifications": list(obj.qualifications),
                "active": obj.active, "conflicts": len(obj.conflicts), "staff": obj.staff_id}  # fmt: skip

    with transaction.atomic():
        badge = data["badge_number"].strip()
        clash = Inspector.objects.filter(badge_number=badge)
        if inspector is not None:
            clash = clash.exclude(pk=inspector.pk)
        if clash.exists():
            raise InspectionError(_("执法证号 %(badge)s 已在名录中。") % {"badge": badge})
        if (
            inspector is not None
            and badge != inspector.badge_number
            and selectors.badge_frozen(inspector.badge_number)
        ):
            raise InspectionError(
                _("执法证号 %(badge)s 已出现在冻结的检查人员名录文件中，不能修改。")
                % {"badge": inspector.badge_number}
            )
        before = snapshot(inspector) if inspector is not None else None
        inspector = inspector or Inspector(department_id=department_id)
        for name in fields:
            if name in data:
                setattr(inspector, name, data[name])
        inspector.badge_number = badge
        inspector.conflicts = sorted(set(inspector.conflicts))
        inspector.updated_by, inspector.updated_at = user, timezone.now()
        inspector.save()
        audit_record(action=Action.INSPECTOR_CHANGE, actor=user, department_id=inspector.department_id,
                     obj=inspector, before=before, after=snapshot(inspector))  # fmt: skip
    return inspector


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


def _store_file(task: InspectionTask, name: str, data: bytes, now: datetime) -> str:
    digest = sha256_hex(data)
    DrawFile.objects.create(task=task, name=name, content=data, sha256=digest, size=len(data), created_at=now)
    return digest


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


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class UploadedAttachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class _Normalized:
    """What RecordLoader stores: the shape collectors' normaliser gives it."""

    record_id: str
    delete: bool
    updated_at: datetime
    values: dict
    personal: dict


def check_attachments(attachments: Sequence[UploadedAttachment]) -> None:
    if len(attachments) > ATTACHMENT_MAX_COUNT:
        raise InspectionError(_("附件最多 %(count)d 个。") % {"count": ATTACHMENT_MAX_COUNT})
    for item in attachments:
        if attachment_type(item.content[:ATTACHMENT_MAGIC_BYTES]) != item.content_type:
            raise InspectionError(
                _("附件 %(name)s 的类型不允许（仅限 JPEG、PNG 图片和 PDF）。") % {"name": item.name}
            )
        if len(item.content) > ATTACHMENT_MAX_BYTES:
            raise InspectionError(_("附件 %(name)s 超过 10 MB。") % {"name": item.name})


def result_record(
    *,
    assignment: Assignment,
    user,
    department_id: str,
    inspected_on: date,
    result: str,
    note: str = "",
    attachments: Sequence[UploadedAttachment] = (),
    inspector: Inspector | None = None,
    proxy: bool = False,
) -> Assignment:
    """Enter the result of one drawn subject (once). It enters the registry as the department's
    `inspection` record (channel workspace), so it shows on the subject's public page and feeds its
    colour (docs/rules.md §2); the task moves to `results` with its last result. `inspector`: the drawn
    inspector it is entered as; `proxy`: by a leader on their behalf (audited as such)."""
    if result not in RESULTS:
        raise InspectionError(_("检查结果不在规定的类别中。"))
    if inspected_on > timezone.localdate():
        raise InspectionError(_("检查日期不能晚于今天。"))
    check_attachments(attachments)
    with transaction.atomic():
        task = _locked(assignment.task)
        if task.status != TaskStatus.PUBLISHED:
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能录入检查结果。") % {"current": task.get_status_display()}
            )
        assignment = Assignment.objects.select_for_update().select_related("subject").get(pk=assignment.pk)
        if assignment.result:
            raise InspectionError(_("该主体的检查结果已录入。"))
        if inspected_on < task.published_at.astimezone(timezone.get_current_timezone()).date():
            raise InspectionError(_("检查日期不能早于抽取结果公示日期。"))
        if department_id not in task.departments:
            raise InspectionError(_("本部门未参与该任务。"))
        if inspector is not None and not assignment.inspectors.filter(pk=inspector.pk).exists():
            raise InspectionError(_("%(name)s 不是该主体的抽中检查人员。") % {"name": inspector.name})
        if proxy and inspector is None:
            raise InspectionError(_("代为录入须指明检查人员。"))
        department = Department.objects.get(code=department_id)
        now = timezone.now()
        record_id = f"{task.number}-{assignment.subject_id}"
        _store_inspection_record(
            assignment=assignment, task=task, department=department, record_id=record_id,
            inspected_on=inspected_on, result=result, now=now,
        )  # fmt: skip
        assignment.inspected_on, assignment.result, assignment.note = inspected_on, result, note.strip()
        assignment.result_department, assignment.result_by, assignment.result_at = department, user, now
        assignment.record_id = record_id
        assignment.result_inspector, assignment.result_proxy = inspector, proxy
        assignment.save()
        Attachment.objects.bulk_create(
            Attachment(assignment=assignment, name=a.name[:200], content_type=a.content_type, size=len(a.content),
                       content=a.content, uploaded_by=user, uploaded_at=now)
            for a in attachments
        )  # fmt: skip
        complete = not task.assignments.filter(result="").exists()
        late = task.result_deadline is not None and timezone.localdate() > task.result_deadline
        if complete:
            task.status = TaskStatus.RESULTS
            task.save(update_fields=["status"])
        audit_record(
            action=Action.RESULT, actor=user, department_id=department_id, subject_uscc=assignment.subject_id,
            obj=assignment,
            after={"task": task.number, "inspected_on": inspected_on, "result": result, "record_id": record_id,
                   "attachments": len(attachments), "late": late, "task_complete": complete,
                   "inspector": inspector.badge_number if inspector else None, "proxy": proxy},
        )  # fmt: skip
        evaluations_request_drain()
    return assignment


def _store_inspection_record(*, assignment, task, department, record_id, inspected_on, result, now) -> None:
    """The result as the registry's inspection record, through the loader (which marks the subject
    for evaluation in this transaction)."""
    subject: Subject = assignment.subject
    values = {
        "uscc": subject.uscc, "registration_number": None, "organization_code": None,
        "subject_name": subject.name, "inspected_on": inspected_on, "authority": department.name,
        "inspection_type": "random", "task_name": task.name, "result": result,
    }  # fmt: skip
    raw = {"record_id": record_id, "updated_at": now.isoformat(), **{k: v for k, v in values.items() if v}}
    run = IngestRun.objects.create(
        channel=Channel.WORKSPACE,
        department=department,
        kind="inspection",
        source=f"双随机抽查任务 {task.number}",
    )
    with RecordLoader(kind="inspection", department_id=department.code, channel=Channel.WORKSPACE,
                      run_id=run.pk) as loader:  # fmt: skip
        loader.add(1, _Normalized(record_id, False, now, values, {}), raw)
        outcome = loader.store()
    for name, value in outcome.as_dict().items():
        setattr(run, name, value)
    run.status, run.finished_at = RunStatus.SUCCEEDED, timezone.now()
    run.save()


def result_correct(
    *,
    assignment: Assignment,
    user,
    department_id: str,
    inspector: Inspector,
    inspected_on: date,
    result: str,
    reason: str,
    note: str = "",
    proxy: bool = False,
) -> Assignment:
    """Correct an entered result (更正), with a mandatory reason, as one of the subject's inspectors
    (`proxy`: by a leader of their department on their behalf). The result it replaces is kept
    (ResultCorrection); the registry's inspection record gets a new version (a newer updated_at, the
    path result entry takes), so the public pages and the colour follow the corrected result."""
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError(_("更正检查结果须说明理由。"))
    if result not in RESULTS:
        raise InspectionError(_("检查结果不在规定的类别中。"))
    if inspected_on > timezone.localdate():
        raise InspectionError(_("检查日期不能晚于今天。"))
    with transaction.atomic():
        task = _locked(assignment.task)
        if task.status not in (TaskStatus.PUBLISHED, TaskStatus.RESULTS, TaskStatus.CLOSED):
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能更正检查结果。") % {"current": task.get_status_display()}
            )
        assignment = Assignment.objects.select_for_update().select_related("subject").get(pk=assignment.pk)
        if not assignment.result:
            raise InspectionError(_("该主体尚未录入检查结果，无可更正。"))
        if department_id != assignment.result_department_id:
            raise InspectionError(_("只有录入该结果的检查机关可以更正。"))
        if not assignment.inspectors.filter(pk=inspector.pk).exists():
            raise InspectionError(_("%(name)s 不是该主体的检查人员。") % {"name": inspector.name})
        if inspected_on < task.published_at.astimezone(timezone.get_current_timezone()).date():
            raise InspectionError(_("检查日期不能早于抽取结果公示日期。"))
        note = (note or "").strip()
        if (result, inspected_on, note) == (assignment.result, assignment.inspected_on, assignment.note):
            raise InspectionError(_("更正后的结果与原结果相同。"))
        now = timezone.now()
        correction = ResultCorrection.objects.create(
            assignment=assignment, previous_result=assignment.result,
            previous_inspected_on=assignment.inspected_on, previous_note=assignment.note,
            result=result, inspected_on=inspected_on, note=note, reason=reason, inspector=inspector,
            proxy=proxy, corrected_by=user, corrected_at=now,
        )  # fmt: skip
        _store_inspection_record(
            assignment=assignment, task=task, department=assignment.result_department,
            record_id=assignment.record_id, inspected_on=inspected_on, result=result, now=now,
        )  # fmt: skip
        assignment.result, assignment.inspected_on, assignment.note = result, inspected_on, note
        assignment.corrected_at = now
        assignment.save(update_fields=["result", "inspected_on", "note", "corrected_at"])
        audit_record(
            action=Action.RESULT_CORRECT, actor=user, department_id=department_id,
            subject_uscc=assignment.subject_id, obj=assignment,
            before={"result": correction.previous_result, "inspected_on": correction.previous_inspected_on},
            after={"task": task.number, "result": result, "inspected_on": inspected_on, "reason": reason,
                   "record_id": assignment.record_id, "inspector": inspector.badge_number, "proxy": proxy},
        )  # fmt: skip
        evaluations_request_drain()
    return assignment


# --------------------------------------------------------------------------- manual assignment


def assign_manually(*, assignment: Assignment, user, inspector: Inspector, reason: str) -> ManualAssignment:
    """Assign by hand an inspector to a subject the draw left short (Pick.short), with a reason: only
    while the subject still lacks inspectors, and only an inspector the draw itself could have taken
    (selectors.assignable_inspectors: active, of a participating department, qualified, no declared
    conflict, not on this subject in the previous task). Not part of the verifiable draw: the public
    page marks it as manual, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise InspectionError(_("人工指派须说明理由。"))
    with transaction.atomic():
        task = _locked(assignment.task)
        if task.status not in (TaskStatus.DRAWN, TaskStatus.PUBLISHED):
            raise InspectionError(
                _("任务当前状态为“%(current)s”，不能指派检查人员。") % {"current": task.get_status_display()}
            )
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if not assignment.short:
            raise InspectionError(_("该主体的检查人员已由抽取产生，无须人工指派。"))
        if assignment.result:
            raise InspectionError(_("该主体的检查结果已录入，不能再指派检查人员。"))
        if assignment.inspectors.count() >= task.inspectors_per_subject:
            raise InspectionError(_("该主体的检查人员已足额。"))
        if not selectors.assignable_inspectors(assignment, task).filter(pk=inspector.pk).exists():
            raise InspectionError(
                _(
                    "%(name)s 不能检查该主体（须在岗、属参与部门、具备执法领域、无回避且上次任务未检查该主体）。"
                )
                % {"name": inspector.name}
            )
        manual = ManualAssignment.objects.create(
            assignment=assignment, inspector=inspector, reason=reason, assigned_by=user
        )
        assignment.inspectors.add(inspector)
        audit_record(
            action=Action.ASSIGN, actor=user, department_id=task.lead_department_id,
            subject_uscc=assignment.subject_id, obj=assignment,
            after={"task": task.number, "inspector": inspector.badge_number, "reason": reason},
        )  # fmt: skip
    return manual


# --------------------------------------------------------------------------- policy


def policy_save(
    *, user, ratios: dict, inspectors_per_subject: int, result_workdays: int, note: str
) -> InspectionPolicy:
    """A new version of the policy (administrators), with a mandatory note; the previous versions stay.
    Audited as a rules change (before and after)."""
    note = (note or "").strip()
    if not note:
        raise InspectionError(_("修改政策须说明理由。"))
    if (inspectors_per_subject or 0) < MIN_INSPECTORS:
        raise InspectionError(_("每户至少须由 2 名检查人员检查。"))
    if set(ratios) != set(Colour.values) or any(not 0 <= float(v) <= 1 for v in ratios.values()):
        raise InspectionError(_("须为绿、黄、橙、红四种颜色各设定 0 至 100% 的抽查比例。"))
    if not 1 <= result_workdays <= 200:
        raise InspectionError(_("结果录入期限须为 1 至 200 个工作日。"))
    with transaction.atomic():
        InspectionPolicy.objects.select_for_update().order_by("-version").first()
        before = selectors.current_policy()
        policy = InspectionPolicy.objects.create(
            version=before.version + 1, ratios={c: float(ratios[c]) for c in Colour.values},
            inspectors_per_subject=inspectors_per_subject, result_workdays=result_workdays, note=note, author=user,
        )  # fmt: skip

        def snapshot(p: InspectionPolicy) -> dict:
            return {"version": p.version, "ratios": p.ratios, "inspectors_per_subject": p.inspectors_per_subject,
                    "result_workdays": p.result_workdays}  # fmt: skip

        audit_record(action=Action.POLICY_CHANGE, actor=user, obj=policy, before=snapshot(before),
                     after={**snapshot(policy), "note": note})  # fmt: skip
    return policy
