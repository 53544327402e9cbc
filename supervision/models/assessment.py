"""部门考核 (docs/rules.md §8): each department's reporting scored per month — timeliness, accuracy and
completeness — from what the collectors recorded in the registry.

The numbers of the formulas live in `AssessmentPolicy`, one immutable row per version (docs/rules.md:
every number is versioned, editable configuration); a score names the version it was
computed with. A score keeps the counts behind its parts, and `AssessmentFinding` keeps the records
that cost points, so the drill-down shows exactly what the stored figure rests on.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.registry.models import Department

__all__ = ["AssessmentFinding", "AssessmentPolicy", "DepartmentMonthScore", "FindingProblem"]

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class AssessmentPolicy(models.Model):
    """One version of the assessment's numbers. Never edited: a change is a new version."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    deadline_workdays = models.PositiveSmallIntegerField(
        _("报送时限（工作日）"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("决定作出后第几个工作日内报送为及时（双公示：7 个工作日）"),
    )
    weight_timeliness = models.PositiveSmallIntegerField(_("及时性权重（%）"), default=40, validators=PERCENT)
    weight_accuracy = models.PositiveSmallIntegerField(_("准确性权重（%）"), default=30, validators=PERCENT)
    weight_completeness = models.PositiveSmallIntegerField(
        _("完整性权重（%）"), default=30, validators=PERCENT
    )
    fields_share = models.PositiveSmallIntegerField(
        _("完整性中字段填报占比（%）"),
        default=50,
        validators=PERCENT,
        help_text=_("其余为按期报送数据类型的占比"),
    )
    correction_deduction = models.DecimalField(
        _("每条更正扣减（条）"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("一条已报送记录后来内容被更正，准确性按扣减这么多条记录计"),
    )
    withdrawal_deduction = models.DecimalField(
        _("每条撤回扣减（条）"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("一条记录被部门撤回（op=delete），准确性按扣减这么多条记录计"),
    )
    runs_per_kind = models.PositiveSmallIntegerField(
        _("每类数据每月最少报送批次"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("报送合同未规定频次：默认每个应报数据类型每月至少成功报送一次"),
    )
    note = models.TextField(_("修改说明"), blank=True)
    created_at = models.DateTimeField(_("生效时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_timeliness=100 - F("weight_accuracy") - F("weight_completeness")),
                name="assessment_weights_sum_100",
            ),
        ]
        verbose_name = _("部门考核参数")
        verbose_name_plural = _("部门考核参数")

    def __str__(self) -> str:
        return f"v{self.version}"

    def clean(self) -> None:
        total = (self.weight_timeliness or 0) + (self.weight_accuracy or 0) + (self.weight_completeness or 0)
        if total != 100:
            raise ValidationError(_("三项权重之和应为 100%%，现为 %(total)s%%。") % {"total": total})

    @property
    def weights(self) -> dict[str, int]:
        return {
            "timeliness": self.weight_timeliness,
            "accuracy": self.weight_accuracy,
            "completeness": self.weight_completeness,
        }


class DepartmentMonthScore(models.Model):
    """A department's assessment for one month (`month` is its first day), with the counts behind it.

    A part is NULL when nothing in the month could be scored for it (no records with a decision
    date, no records at all); the total then weighs the remaining parts.
    """

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("部门")
    )
    month = models.DateField(_("月份"))
    policy = models.ForeignKey(
        AssessmentPolicy, on_delete=models.PROTECT, related_name="scores", verbose_name=_("考核参数版本")
    )
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    # timeliness
    timed = models.PositiveIntegerField(_("计入及时性的记录"), default=0)
    late = models.PositiveIntegerField(_("逾期报送"), default=0)
    backfill = models.PositiveIntegerField(_("初始补录（不计及时性）"), default=0)
    # accuracy
    received = models.PositiveIntegerField(_("接收记录"), default=0)
    quarantined = models.PositiveIntegerField(_("隔离记录"), default=0)
    corrections = models.PositiveIntegerField(_("更正"), default=0)
    withdrawals = models.PositiveIntegerField(_("撤回"), default=0)
    # completeness
    fields_expected = models.PositiveIntegerField(_("应填重要字段"), default=0)
    fields_filled = models.PositiveIntegerField(_("已填重要字段"), default=0)
    incomplete = models.PositiveIntegerField(_("字段不全的记录"), default=0)
    feeds_expected = models.PositiveSmallIntegerField(_("应报数据类型"), default=0)
    feeds_received = models.PositiveSmallIntegerField(_("按期报送的数据类型"), default=0)
    # scores, 0–100
    timeliness = models.DecimalField(_("及时性"), max_digits=5, decimal_places=2, null=True)
    accuracy = models.DecimalField(_("准确性"), max_digits=5, decimal_places=2, null=True)
    fields_score = models.DecimalField(_("字段完整"), max_digits=5, decimal_places=2, null=True)
    feeds_score = models.DecimalField(_("按期报送"), max_digits=5, decimal_places=2, null=True)
    completeness = models.DecimalField(_("完整性"), max_digits=5, decimal_places=2, null=True)
    total = models.DecimalField(_("总分"), max_digits=5, decimal_places=2, null=True)
    rank = models.PositiveSmallIntegerField(_("排名"), null=True)

    class Meta:
        ordering = ["-month", "rank", "department_id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "month"], name="assessment_department_month"),
        ]
        indexes = [models.Index(fields=["month", "rank"], name="assessment_month_rank")]
        verbose_name = _("部门月度考核")
        verbose_name_plural = _("部门月度考核")

    def __str__(self) -> str:
        return f"{self.department_id} {self.month:%Y-%m} {self.total}"

    @property
    def on_time(self) -> int:
        return self.timed - self.late


class FindingProblem(models.TextChoices):
    """Why a record cost points; each carries the part it counts against (`part`)."""

    LATE = "late", _("逾期报送")
    QUARANTINED = "quarantined", _("被隔离")
    CORRECTED = "corrected", _("报送后更正")
    WITHDRAWN = "withdrawn", _("撤回")
    INCOMPLETE = "incomplete", _("重要字段缺失")
    MISSING_FEED = "missing_feed", _("未按期报送")

    @property
    def part(self) -> str:
        return _PROBLEM_PARTS[self.value]


_PROBLEM_PARTS = {
    "late": "timeliness",
    "quarantined": "accuracy",
    "corrected": "accuracy",
    "withdrawn": "accuracy",
    "incomplete": "completeness",
    "missing_feed": "completeness",
}


class AssessmentFinding(models.Model):
    """One record (or one missing feed) that cost its department points in a month.

    Names its record by kind and row id (one table per kind in the registry, so no foreign key);
    a quarantined record by its quarantine row.
    """

    score = models.ForeignKey(
        DepartmentMonthScore, on_delete=models.CASCADE, related_name="findings", verbose_name=_("月度考核")
    )
    problem = models.CharField(_("扣分原因"), max_length=16, choices=FindingProblem.choices)
    kind = models.CharField(_("数据类型"), max_length=32)
    row_id = models.BigIntegerField(_("记录行号"), null=True)
    record_id = models.CharField(_("记录编号"), max_length=200, blank=True)
    subject_name = models.TextField(_("主体名称"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True)
    deadline = models.DateField(_("报送期限"), null=True)
    arrived_at = models.DateTimeField(_("接收时间"), null=True)
    details = ArrayField(models.TextField(), verbose_name=_("明细"), default=list)

    class Meta:
        ordering = ["score", "problem", "kind", "id"]
        indexes = [models.Index(fields=["score", "problem", "kind"], name="assessment_finding_score")]
        verbose_name = _("扣分记录")
        verbose_name_plural = _("扣分记录")

    def __str__(self) -> str:
        return f"{self.problem} {self.kind} {self.record_id}"
