"""双随机、一公开 (docs/rules.md §6): the inspectors directory, inspection tasks, their frozen files and draws.

A task moves draft → frozen → seeded → drawn → published → results → closed (`TaskStatus.NEXT`).
Its frozen directories and published files are kept as bytes in PostgreSQL (`DrawFile`): they are
written in the same transaction as the step that produces them, backed up with the database, and
never changed afterwards (their SHA-256 is published). A 1,000,000-subject directory is ~25 MB,
well within a bytea. Lists never read the bytes (they live in their own table).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from warning_system.accounts.models import StaffProfile
from warning_system.classification.models import Colour
from warning_system.registry.models import Department, Subject, enum_choices

__all__ = [
    "Assignment",
    "Attachment",
    "DrawFile",
    "FrozenConflict",
    "InspectionPolicy",
    "InspectionTask",
    "Inspector",
    "ManualAssignment",
    "Qualification",
    "ResultCorrection",
    "TaskJob",
    "TaskStatus",
]


class Qualification(models.TextChoices):
    """The fields an inspector may inspect (执法资格领域)."""

    LICENCES = "licences", _("登记注册与许可")
    ANNUAL_REPORTS = "annual_reports", _("年报公示")
    FOOD = "food", _("食品安全")
    DRUGS = "drugs", _("药品医疗器械")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    PRODUCTS = "products", _("产品质量")
    MEASUREMENT = "measurement", _("计量标准")
    PRICING = "pricing", _("价格")
    ADVERTISING = "advertising", _("广告")
    COMPETITION = "competition", _("反不正当竞争")


class Inspector(models.Model):
    """One person of the inspectors directory (执法检查人员名录).

    `badge_number` (执法证号) is the inspector's public id in the published files. `conflicts` holds the
    USCCs the inspector declared a conflict of interest with (回避): never published in clear, only as
    verify_draw's conflict tokens.
    """

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属部门")
    )
    staff = models.OneToOneField(
        StaffProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="inspector",
        verbose_name=_("工作台账号"),
    )  # fmt: skip
    name = models.CharField(_("姓名"), max_length=50)
    badge_number = models.CharField(_("执法证号"), max_length=32, unique=True)
    qualifications = ArrayField(
        models.CharField(max_length=32, choices=Qualification.choices),
        verbose_name=_("执法领域"),
        default=list,
    )
    active = models.BooleanField(_("在岗"), default=True)
    conflicts = ArrayField(
        models.CharField(max_length=18), verbose_name=_("回避主体"), default=list, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("修改人"),
    )  # fmt: skip
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        ordering = ["department_id", "badge_number"]
        verbose_name = _("执法检查人员")
        verbose_name_plural = _("执法检查人员名录")

    def __str__(self) -> str:
        return gettext("%(name)s（%(badge)s）") % {"name": self.name, "badge": self.badge_number}


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("草拟")
    FROZEN = "frozen", _("名录已冻结")
    SEEDED = "seeded", _("种子已确定")
    DRAWN = "drawn", _("已抽取")
    PUBLISHED = "published", _("已公示，录入结果中")
    RESULTS = "results", _("结果已全部录入")
    CLOSED = "closed", _("已办结")
    CANCELLED = "cancelled", _("已撤销")


class TaskJob(models.TextChoices):
    FREEZE = "freeze", _("正在冻结名录")
    DRAW = "draw", _("正在随机抽取")


# The one order of a task's life; every step moves one place along it. A task is cancelled (with a
# reason, services.task_cancel) only before its draw: draft, frozen or seeded.
STATUS_ORDER = tuple(status for status in TaskStatus.values if status != TaskStatus.CANCELLED)
CANCELLABLE = (TaskStatus.DRAFT, TaskStatus.FROZEN, TaskStatus.SEEDED)
# The kinds of an announced seed source (services.seed_sources_check).
SEED_WITNESS, SEED_EXTERNAL = "witness", "external"
SEED_KINDS = {
    SEED_WITNESS: _("公开抽签会现场见证人输入的数值"),
    SEED_EXTERNAL: _("冻结时尚不存在的外部数值（如彩票开奖号码）"),
}
# From FROZEN on, the task and its directory hashes are public (published before the seed exists); a
# task cancelled after freezing stays public, with its reason.
PUBLIC_STATUSES = STATUS_ORDER[1:]
PUBLIC = Q(status__in=PUBLIC_STATUSES) | Q(status=TaskStatus.CANCELLED, frozen_at__isnull=False)
RESULT_STATUSES = (TaskStatus.PUBLISHED, TaskStatus.RESULTS, TaskStatus.CLOSED)


class InspectionTask(models.Model):
    number = models.CharField(_("任务编号"), max_length=32, unique=True)
    name = models.CharField(_("任务名称"), max_length=200)
    lead_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("发起部门")
    )
    # Codes of the departments taking part (the lead included): joint tasks draw from all of them.
    departments = ArrayField(models.CharField(max_length=16), verbose_name=_("参与部门"))
    scope = models.JSONField(_("抽查范围"), default=dict, blank=True)
    items = ArrayField(models.CharField(max_length=200), verbose_name=_("检查事项"), default=list)
    qualifications = ArrayField(
        models.CharField(max_length=32, choices=Qualification.choices), verbose_name=_("检查人员应具备的执法领域"),
        default=list, blank=True,
    )  # fmt: skip
    ratios = models.JSONField(_("抽查比例"))
    inspectors_per_subject = models.PositiveSmallIntegerField(_("每户检查人员数"), default=2)
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    # Announced at freezing: what the seed will be made of (each source a label and a public description).
    seed_sources = models.JSONField(_("随机种子来源"), default=list, blank=True)
    seed_values = models.JSONField(_("随机种子来源取值"), default=list, blank=True)
    seed = models.CharField(_("随机种子"), max_length=128, blank=True)
    algorithm = models.CharField(_("抽取算法"), max_length=32, blank=True)
    parameters = models.JSONField(_("公示参数"), default=dict, blank=True)
    subjects_sha256 = models.CharField(_("主体名录 SHA-256"), max_length=64, blank=True)
    inspectors_sha256 = models.CharField(_("检查人员名录 SHA-256"), max_length=64, blank=True)
    previous_sha256 = models.CharField(_("上次抽查配对 SHA-256"), max_length=64, blank=True)
    subject_count = models.PositiveIntegerField(_("名录主体数"), default=0)
    inspector_count = models.PositiveIntegerField(_("名录检查人员数"), default=0)
    previous_task = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("最近一次抽查任务"),
    )
    # Numbers of each participating department's newest drawn task, whose pairs previous.csv holds.
    previous_tasks = ArrayField(
        models.CharField(max_length=32),
        verbose_name=_("上次抽查任务（各参与部门）"),
        default=list,
        blank=True,
    )
    strata = models.JSONField(_("分层抽取情况"), default=dict, blank=True)
    rejections = models.JSONField(_("回避与排除"), default=list, blank=True)
    result_deadline = models.DateField(_("结果录入期限"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("创建人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    frozen_at = models.DateTimeField(_("冻结时间"), null=True, blank=True)
    seeded_at = models.DateTimeField(_("确定种子时间"), null=True, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公示时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("撤销理由"), blank=True)
    # A freeze or draw running in the background (a Celery task: a 1,000,000-subject freeze does not
    # run inside a web request); blank when none. `job_error`: why the last one failed.
    job = models.CharField(_("后台处理"), max_length=16, choices=TaskJob.choices, blank=True)
    job_started_at = models.DateTimeField(_("后台处理开始时间"), null=True, blank=True)
    job_error = models.TextField(_("后台处理失败原因"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            GinIndex(fields=["departments"], name="inspection_task_departments"),
            models.Index(fields=["status", "-published_at"], name="inspection_task_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspectors_per_subject__gte=2), name="inspection_task_two_inspectors"
            )
        ]
        verbose_name = _("双随机抽查任务")
        verbose_name_plural = _("双随机抽查任务")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES or (
            self.status == TaskStatus.CANCELLED and self.frozen_at is not None
        )

    @property
    def result_published(self) -> bool:
        return self.status in RESULT_STATUSES


class DrawFile(models.Model):
    """One frozen or published file of a task (subjects.csv, inspectors.csv, previous.csv, task.json,
    result.csv): the bytes as published and their SHA-256."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("文件名"), max_length=32)
    content = models.BinaryField(_("内容"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("字节数"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        ordering = ["task_id", "name"]
        constraints = [models.UniqueConstraint(fields=["task", "name"], name="draw_file_task_name")]
        verbose_name = _("抽查公示文件")
        verbose_name_plural = _("抽查公示文件")

    def __str__(self) -> str:
        return f"{self.task_id} {self.name}"


class Assignment(models.Model):
    """A drawn subject of a task, its inspectors and, once entered, the inspection's result."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="assignments")
    subject = models.ForeignKey(
        Subject,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("市场主体"),
    )
    colour = models.CharField(_("抽取层"), max_length=8, choices=Colour.choices)
    position = models.PositiveIntegerField(_("名录位置"))
    inspectors = models.ManyToManyField(Inspector, related_name="assignments", verbose_name=_("检查人员"))
    inspector_ids = ArrayField(models.CharField(max_length=32), verbose_name=_("检查人员执法证号"))
    short = models.BooleanField(_("检查人员不足"), default=False)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    result = models.CharField(
        _("检查结果"), max_length=32, choices=enum_choices("inspection_result"), blank=True
    )
    note = models.TextField(_("检查情况说明"), blank=True)
    result_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("检查机关"),
    )
    result_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("录入人"),
    )  # fmt: skip
    result_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    # The drawn inspector the result is entered as; `result_proxy`: by a leader of their department on
    # their behalf (代为录入), not by the inspector's own account.
    result_inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("检查人员"),
    )  # fmt: skip
    result_proxy = models.BooleanField(_("代为录入"), default=False)
    record_id = models.CharField(_("登记记录编号"), max_length=64, blank=True)
    # Set by the latest correction of the result (ResultCorrection keeps each previous result).
    corrected_at = models.DateTimeField(_("更正时间"), null=True, blank=True)

    class Meta:
        ordering = ["task_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "subject"], name="assignment_task_subject"),
        ]
        indexes = [models.Index(fields=["task"], condition=Q(result=""), name="assignment_open")]
        verbose_name = _("抽中主体")
        verbose_name_plural = _("抽中主体")

    def __str__(self) -> str:
        return f"{self.task_id} {self.subject_id}"

    @property
    def has_result(self) -> bool:
        return bool(self.result)

    def drawn_inspectors(self) -> list[Inspector]:
        """The inspectors the draw gave (prefetched `inspectors` less those assigned by hand)."""
        manual = {m.inspector_id for m in self.manual.all()}
        return [i for i in self.inspectors.all() if i.pk not in manual]

    def manual_assignments(self) -> list[tuple[Inspector, ManualAssignment]]:
        """(inspector, its manual assignment) for each inspector assigned by hand, from prefetched rows."""
        inspectors = {i.pk: i for i in self.inspectors.all()}
        return [(inspectors[m.inspector_id], m) for m in self.manual.all() if m.inspector_id in inspectors]


class Attachment(models.Model):
    """A file attached to a result (photos, the inspection record): internal, never public."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("字节数"))
    content = models.BinaryField(_("内容"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["assignment_id", "id"]
        verbose_name = _("检查附件")
        verbose_name_plural = _("检查附件")

    def __str__(self) -> str:
        return self.name


class FrozenConflict(models.Model):
    """A declared conflict (回避) as frozen into a task's inspectors.csv, with its random salt.

    The file lists only verify_draw.conflict_token(badge, uscc, salt); the salt stays here, private,
    until the draw meets the conflict (a refusal): then it is published in conflicts.csv so that
    anyone can check the refusal. Salted per task, so tokens of two tasks cannot be matched."""

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="+")
    inspector_id = models.CharField(_("执法证号"), max_length=32)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    salt = models.CharField(_("盐值"), max_length=32)

    class Meta:
        ordering = ["task_id", "inspector_id", "uscc"]
        constraints = [
            models.UniqueConstraint(fields=["task", "inspector_id", "uscc"], name="frozen_conflict_unique")
        ]
        verbose_name = _("冻结的回避声明")
        verbose_name_plural = _("冻结的回避声明")

    def __str__(self) -> str:
        return f"{self.task_id} {self.inspector_id}"


class ResultCorrection(models.Model):
    """One correction of an entered result: the result it replaced, the new one and why (更正)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="corrections")
    previous_result = models.CharField(
        _("原检查结果"), max_length=32, choices=enum_choices("inspection_result")
    )
    previous_inspected_on = models.DateField(_("原检查日期"))
    previous_note = models.TextField(_("原检查情况说明"), blank=True)
    result = models.CharField(_("更正后检查结果"), max_length=32, choices=enum_choices("inspection_result"))
    inspected_on = models.DateField(_("更正后检查日期"))
    note = models.TextField(_("更正后检查情况说明"), blank=True)
    reason = models.TextField(_("更正理由"))
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查人员")
    )
    proxy = models.BooleanField(_("代为更正"), default=False)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("更正人")
    )
    corrected_at = models.DateTimeField(_("更正时间"), default=timezone.now)

    class Meta:
        ordering = ["assignment_id", "corrected_at", "id"]
        verbose_name = _("检查结果更正")
        verbose_name_plural = _("检查结果更正")

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.corrected_at:%Y-%m-%d}"


class ManualAssignment(models.Model):
    """An inspector assigned by hand to a subject the draw left short (not part of the verifiable
    draw: the public page marks it as manual, with its reason)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="manual")
    inspector = models.ForeignKey(
        Inspector, on_delete=models.PROTECT, related_name="+", verbose_name=_("检查人员")
    )
    reason = models.TextField(_("指派理由"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("指派人")
    )
    assigned_at = models.DateTimeField(_("指派时间"), default=timezone.now)

    class Meta:
        ordering = ["assignment_id", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "inspector"], name="manual_assignment_unique")
        ]
        verbose_name = _("人工指派")
        verbose_name_plural = _("人工指派")

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.inspector_id}"


# The defaults of docs/rules.md §6, the city's policy: version 1 of InspectionPolicy when none is stored yet.
DEFAULT_POLICY = {
    "ratios": {"green": 0.02, "yellow": 0.05, "orange": 0.2, "red": 1.0},
    "inspectors_per_subject": 2,
    "result_workdays": 20,
}


class InspectionPolicy(models.Model):
    """One version of the 双随机 policy (docs/rules.md: every number is versioned configuration):
    the default sampling ratios and inspectors per subject of a new draft, and the working days
    allowed for results. Never edited in place: a change is a new version with its author, time and
    note. A task keeps its own ratios (a per-task setting); the current version only supplies a new
    draft's defaults and a publication's deadline."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    ratios = models.JSONField(_("默认抽查比例"))
    inspectors_per_subject = models.PositiveSmallIntegerField(_("默认每户检查人员数"))
    result_workdays = models.PositiveSmallIntegerField(_("结果录入期限（工作日）"))
    note = models.TextField(_("修改说明"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("修改人"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inspectors_per_subject__gte=2), name="inspection_policy_two_inspectors"
            ),
            models.CheckConstraint(condition=Q(result_workdays__gte=1), name="inspection_policy_workdays"),
        ]
        verbose_name = _("双随机抽查政策版本")
        verbose_name_plural = _("双随机抽查政策版本")

    def __str__(self) -> str:
        return f"v{self.version}"
