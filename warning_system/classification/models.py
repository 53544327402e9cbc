"""The colour of every subject, why, since when and until when; the rules that decide it; its history."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.registry.models import Department, Subject

from .rules import DEFAULT_REPAIR, DEFAULT_RULES, GREEN, ORANGE, RED, YELLOW


def _default_rules() -> list[dict]:
    return [dict(rule) for rule in DEFAULT_RULES]


def _default_repair() -> dict:
    return dict(DEFAULT_REPAIR)


class Colour(models.TextChoices):
    GREEN = GREEN, _("绿色（正常）")
    YELLOW = YELLOW, _("黄色")
    ORANGE = ORANGE, _("橙色")
    RED = RED, _("红色")


class Ruleset(models.Model):
    """One version of the colour rules. Versions are never edited in place: a change is a new
    version, with its author, time and the day it takes effect."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    rules = models.JSONField(_("规则"), default=_default_rules)
    repair = models.JSONField(_("信用修复条件"), default=_default_repair)
    effective_from = models.DateField(_("生效日期"), default=timezone.localdate)
    note = models.TextField(_("修改说明"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("修改人")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("分类规则版本")
        verbose_name_plural = _("分类规则版本")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class SubjectColour(models.Model):
    """A subject's colour as stored (evaluated on `evaluated_on`), with the explanation pages read."""

    subject = models.OneToOneField(
        Subject, on_delete=models.CASCADE, primary_key=True, related_name="colour", db_constraint=False
    )
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices, db_index=True)
    since = models.DateField(_("自"), null=True, blank=True)
    evaluated_on = models.DateField(_("评价日期"))
    ruleset = models.ForeignKey(
        Ruleset, on_delete=models.PROTECT, related_name="+", verbose_name=_("规则版本")
    )
    explanation = models.JSONField(_("原因"), default=dict)
    next_change_on = models.DateField(_("下次变化日期"), null=True, blank=True, db_index=True)
    next_colour = models.CharField(_("届时颜色"), max_length=8, choices=Colour.choices, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("主体颜色")
        verbose_name_plural = _("主体颜色")

    def __str__(self) -> str:
        return f"{self.subject_id} {self.colour}"


class ColourChange(models.Model):
    """Every change of a subject's colour: from, to, when, why, under which ruleset."""

    subject = models.ForeignKey(
        Subject, on_delete=models.CASCADE, related_name="colour_changes", db_constraint=False
    )
    from_colour = models.CharField(_("原颜色"), max_length=8, choices=Colour.choices, blank=True)
    to_colour = models.CharField(_("新颜色"), max_length=8, choices=Colour.choices)
    effective_on = models.DateField(_("生效日期"))
    changed_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    ruleset = models.ForeignKey(
        Ruleset, on_delete=models.PROTECT, related_name="+", verbose_name=_("规则版本")
    )
    explanation = models.JSONField(_("原因"), default=dict)

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["subject", "-changed_at"], name="colour_change_subject")]
        verbose_name = _("颜色变化")
        verbose_name_plural = _("颜色变化记录")

    def __str__(self) -> str:
        return f"{self.subject_id}: {self.from_colour or '—'} → {self.to_colour}"


class ColourVerification(models.Model):
    """One run of the watchdog (`classify --verify`): every subject's colour recomputed and compared
    with the one published. Its newest row is on the workspace dashboard and in the admin."""

    started_at = models.DateTimeField(_("开始时间"), default=timezone.now, db_index=True)
    seconds = models.FloatField(_("耗时（秒）"), default=0)
    as_of = models.DateField(_("评价日期"))
    evaluated = models.PositiveIntegerField(_("核验主体数"), default=0)
    differing = models.PositiveIntegerField(_("不一致主体数"), default=0)
    # "stored→computed" ("none" where no colour was stored) -> number of subjects.
    transitions = models.JSONField(_("不一致情况"), default=dict, blank=True)
    # The first differing subjects: uscc, stored, computed, whether only the reasons differ.
    subjects = models.JSONField(_("不一致主体（部分）"), default=list, blank=True)
    fixed = models.PositiveIntegerField(_("已修正"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("颜色核验")
        verbose_name_plural = _("颜色核验")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.differing}/{self.evaluated}"


class DailyColourCount(models.Model):
    """The city's colour counts at the end of each day, for trend charts."""

    day = models.DateField(_("日期"), primary_key=True)
    green = models.PositiveIntegerField(default=0)
    yellow = models.PositiveIntegerField(default=0)
    orange = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("每日颜色统计")
        verbose_name_plural = _("每日颜色统计")

    def __str__(self) -> str:
        return str(self.day)


class RepairStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")


class Applicant(models.TextChoices):
    SUBJECT = "subject", _("主体本身")
    DEPARTMENT = "department", _("部门")


class RepairApplication(models.Model):
    """信用修复: an application to stop one record from counting, reviewed by the department that decided it."""

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="repair_applications", db_constraint=False
    )
    kind = models.CharField(_("数据类型"), max_length=32)
    record_pk = models.BigIntegerField(_("记录行号"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("审核部门")
    )
    record_id = models.CharField(_("记录编号"), max_length=64)
    applicant = models.CharField(_("申请人类型"), max_length=16, choices=Applicant.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    reason = models.TextField(_("申请理由"))
    status = models.CharField(
        _("状态"), max_length=16, choices=RepairStatus.choices, default=RepairStatus.PENDING, db_index=True
    )
    submitted_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decision_reason = models.TextField(_("审核意见"), blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["kind", "record_pk", "status"], name="repair_record")]
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")

    def __str__(self) -> str:
        return f"{self.subject_id} {self.kind} {self.record_id} ({self.status})"


class RepairStep(models.Model):
    """Each step of an application (submitted, approved, rejected), with who and when."""

    application = models.ForeignKey(RepairApplication, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("操作"), max_length=16)
    actor = models.CharField(_("操作人"), max_length=200)
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("修复流程记录")
        verbose_name_plural = _("修复流程记录")

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"
