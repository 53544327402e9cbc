"""双告知 (docs/rules.md §5): a registration whose business scope calls for a licence is pushed to the
competent department, claimed or returned (then pooled), and watched until the licence arrives or a
written notice demands the department's feedback. Every step is a row of `DualStep` (the timeline)
and an entry of the audit trail.

The current catalogue stays in the registry (`PostLicenceCatalogEntry`); `CatalogRevision` keeps
every version of it. A notification keeps a snapshot of the entry it came from, so editing the
catalogue never rewrites what a department was told.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.registry.models import Department, License, PostLicenceCatalogEntry, Registration, Subject

__all__ = [
    "OPEN_STATUSES",
    "CatalogRevision",
    "DualFeedback",
    "DualNotification",
    "DualScopeMatch",
    "DualStatus",
    "DualStep",
    "DualStepKind",
    "DualTrigger",
    "WorkdayOverride",
    "WrittenNoticeSequence",
]


class DualStatus(models.TextChoices):
    """The pipeline. Each status carries its badge colour (`colour`)."""

    PUSHED = "pushed", _("待认领")
    POOLED = "pooled", _("共享池")
    CLAIMED = "claimed", _("已认领待办证")
    LICENSED = "licensed", _("已办证")
    OVERDUE = "overdue", _("逾期待反馈")
    FEEDBACK = "feedback", _("已反馈待办结")
    CLOSED = "closed", _("已办结")

    @property
    def colour(self) -> str:
        return _STATUS_COLOURS[self.value]


_STATUS_COLOURS = {
    "pushed": "blue",
    "pooled": "yellow",
    "claimed": "blue",
    "licensed": "green",
    "overdue": "red",
    "feedback": "orange",
    "closed": "grey",
}

# Waiting for a licence: the periodic job pools and marks these overdue.
OPEN_STATUSES = (DualStatus.PUSHED, DualStatus.POOLED, DualStatus.CLAIMED)


class DualTrigger(models.TextChoices):
    ESTABLISHED = "established", _("新设立登记")
    SCOPE_CHANGE = "scope_change", _("经营范围变更")


class DualFeedback(models.TextChoices):
    LICENSED = "licensed", _("已办证")
    NOT_OPERATING = "not_operating", _("未开展经营")
    CASE_OPENED = "case_opened", _("立案查处")
    OTHER = "other", _("其他")


class DualStepKind(models.TextChoices):
    PUSH = "push", _("推送")
    NOTICE = "notice", _("生成告知书")
    CLAIM = "claim", _("认领")
    RETURN = "return", _("退回")
    POOL = "pool", _("转入共享池")
    LICENSED = "licensed", _("比对到许可证")
    OVERDUE = "overdue", _("逾期预警")
    WRITTEN_NOTICE = "written_notice", _("生成书面通告")
    FEEDBACK = "feedback", _("反馈")
    CLOSE = "close", _("办结")


class DualNotification(models.Model):
    """One licence one subject needs: (registration event × catalogue entry)."""

    subject = models.ForeignKey(
        Subject,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # subjects are never deleted; a withdrawn one keeps its history here
        db_column="subject_uscc",
        db_index=False,  # indexed in Meta
        related_name="+",
        verbose_name=_("市场主体"),
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
        verbose_name=_("登记记录"),
    )
    trigger = models.CharField(_("触发事项"), max_length=16, choices=DualTrigger.choices)
    registered_on = models.DateField(_("登记日期"), help_text=_("成立日期，或经营范围变更的核准日期"))
    matched_keywords = ArrayField(models.CharField(max_length=50), verbose_name=_("命中的经营范围关键词"))
    # The catalogue entry as it was when pushed (the entry may be edited or removed later).
    catalogue_entry = models.ForeignKey(
        PostLicenceCatalogEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("目录事项"),
    )
    catalogue_version = models.PositiveIntegerField(_("目录版本"), null=True, blank=True)
    licence = models.CharField(_("许可事项"), max_length=100)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("审批部门")
    )
    legal_basis = models.TextField(_("设定依据"), blank=True)

    status = models.CharField(
        _("状态"), max_length=16, choices=DualStatus.choices, default=DualStatus.PUSHED, db_index=True
    )
    pushed_at = models.DateTimeField(_("推送时间"), default=timezone.now)
    claim_due = models.DateField(_("认领期限"), help_text=_("推送后第 5 个工作日，逾期未认领转入共享池"))
    licence_due = models.DateField(_("办证期限"), help_text=_("登记日期后 30 日"))
    claimed_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("认领部门"),
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    returned_by = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("退回部门"),
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    pooled_at = models.DateTimeField(_("转入共享池时间"), null=True, blank=True)

    licence_record = models.ForeignKey(
        License,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("许可记录"),
    )
    licensed_on = models.DateField(_("许可决定日期"), null=True, blank=True)
    licence_found_at = models.DateTimeField(_("比对到许可时间"), null=True, blank=True)

    overdue_at = models.DateTimeField(_("逾期预警时间"), null=True, blank=True)
    notice_number = models.CharField(_("书面通告文号"), max_length=40, null=True, blank=True, unique=True)
    notice_issued_at = models.DateTimeField(_("书面通告时间"), null=True, blank=True)
    feedback_due = models.DateField(_("反馈期限"), null=True, blank=True)

    feedback = models.CharField(_("反馈结果"), max_length=16, choices=DualFeedback.choices, blank=True)
    feedback_note = models.TextField(_("反馈说明"), blank=True)
    feedback_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("反馈部门"),
    )
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("反馈人"),
    )
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办结人"),
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        ordering = ["-pushed_at", "-id"]
        constraints = [
            # One notification per licence per registration event: a resent batch creates nothing.
            models.UniqueConstraint(
                fields=["subject", "licence", "department", "registered_on"], name="dual_notification_once"
            ),
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="dual_department_status"),
            models.Index(fields=["claimed_by", "status"], name="dual_claimed_status"),
            models.Index(fields=["subject"], name="dual_subject"),
            models.Index(fields=["pushed_at"], name="dual_pushed_at"),
            models.Index(fields=["claim_due"], condition=Q(status="pushed"), name="dual_claim_due_open"),
            models.Index(
                fields=["licence_due"],
                condition=Q(status__in=["pushed", "pooled", "claimed"]),
                name="dual_licence_due_open",
            ),
        ]
        verbose_name = _("双告知事项")
        verbose_name_plural = _("双告知事项")

    def __str__(self) -> str:
        return f"{self.subject_id} · {self.licence}"

    @property
    def status_colour(self) -> str:
        return _STATUS_COLOURS.get(self.status, "grey")

    @property
    def handler_id(self) -> str:
        """The department that answers for it: the claimer, else the competent department."""
        return self.claimed_by_id or self.department_id

    @property
    def licensed_in_time(self) -> bool:
        return self.licensed_on is not None and self.licensed_on <= self.licence_due


class DualStep(models.Model):
    """One line of a notification's timeline (the audit trail holds the same step, hash-chained)."""

    notification = models.ForeignKey(
        DualNotification,
        on_delete=models.PROTECT,
        db_index=False,  # the timeline index below starts with it
        related_name="steps",
        verbose_name=_("双告知事项"),
    )
    step = models.CharField(_("环节"), max_length=16, choices=DualStepKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门"),
    )
    actor_name = models.CharField(_("操作人"), max_length=150, help_text=_("系统自动环节为 system"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["notification_id", "at", "id"]
        indexes = [models.Index(fields=["notification", "at"], name="dual_step_timeline")]
        verbose_name = _("双告知环节")
        verbose_name_plural = _("双告知环节")

    def __str__(self) -> str:
        return f"{self.notification_id} {self.step} {self.at:%Y-%m-%d %H:%M}"


class DualScopeMatch(models.Model):
    """The catalogue entries the subject's registration matched when last processed: a scope change
    notifies only the entries it adds."""

    subject_uscc = models.CharField(_("统一社会信用代码"), max_length=18, primary_key=True)
    entry_ids = ArrayField(models.BigIntegerField(), verbose_name=_("命中的目录事项"), default=list)
    registration_id = models.BigIntegerField(_("登记记录"))
    registration_hash = models.CharField(_("登记记录内容摘要"), max_length=33)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("经营范围匹配快照")
        verbose_name_plural = _("经营范围匹配快照")

    def __str__(self) -> str:
        return self.subject_uscc


class CatalogRevision(models.Model):
    """One version of the post-licence catalogue: every entry as it stood after an edit."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    entries = models.JSONField(_("目录内容"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    created_at = models.DateTimeField(_("修改时间"), default=timezone.now)
    note = models.TextField(_("修改说明"), blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("后置审批目录版本")
        verbose_name_plural = _("后置审批目录版本")

    def __str__(self) -> str:
        return f"v{self.version}"


class WorkdayOverride(models.Model):
    """A day the State Council's schedule makes a holiday or a (make-up) working day, for years the
    holiday library does not know yet (or to correct it)."""

    day = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True, help_text=_("例如：春节、国庆节调休上班"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")

    def __str__(self) -> str:
        kind = _("工作日") if self.is_workday else _("休息日")
        return f"{self.day} {kind}"


class WrittenNoticeSequence(models.Model):
    """The last written-notice number given out in a year (双告知〔year〕NNNN号)."""

    year = models.PositiveIntegerField(_("年度"), primary_key=True)
    last = models.PositiveIntegerField(_("末号"), default=0)

    class Meta:
        verbose_name = _("书面通告编号")
        verbose_name_plural = _("书面通告编号")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
