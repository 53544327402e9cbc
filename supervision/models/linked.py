"""联动监管 and 重点监管: what each department subscribes to, what reached its inbox, the subjects
it keeps under key supervision and the alerts their new records raised.

Inbox items and alerts name their record by kind and row id (one table per kind in the registry),
so they carry no foreign key to it; the pages read the records in one query per kind.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.classification.models import Colour
from warning_system.registry.models import Department, Subject, enum_choices

__all__ = ["InboxItem", "KeySupervision", "KeySupervisionAlert", "LinkedKind", "Subscription"]


class LinkedKind(models.TextChoices):
    LICENSE = "license", _("行政许可")
    PENALTY = "penalty", _("行政处罚")


class Subscription(models.Model):
    """One routing rule of a department. Every filter left empty matches everything; the licence
    filters (category, certificate keywords) apply to licences only."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("订阅部门")
    )
    name = models.CharField(_("规则名称"), max_length=100)
    kinds = ArrayField(
        models.CharField(max_length=16, choices=LinkedKind.choices), verbose_name=_("数据类型")
    )
    licence_categories = ArrayField(
        models.CharField(max_length=32, choices=enum_choices("license_category")),
        verbose_name=_("许可类别"),
        default=list,
        blank=True,
    )
    certificate_keywords = ArrayField(
        models.CharField(max_length=50), verbose_name=_("许可证书名称关键词"), default=list, blank=True
    )
    industry_prefixes = ArrayField(
        models.CharField(max_length=8), verbose_name=_("行业代码前缀"), default=list, blank=True
    )
    district_codes = ArrayField(
        models.CharField(max_length=6), verbose_name=_("行政区划"), default=list, blank=True
    )
    colours = ArrayField(
        models.CharField(max_length=8, choices=Colour.choices), verbose_name=_("主体颜色"), default=list,
        blank=True,
    )  # fmt: skip
    active = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("修改人"),
    )
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        ordering = ["department_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="subscription_department_name")
        ]
        verbose_name = _("联动订阅规则")
        verbose_name_plural = _("联动订阅规则")

    def __str__(self) -> str:
        return f"{self.department_id} {self.name}"


class InboxItem(models.Model):
    """A licence or penalty of another department that one of this department's rules matched."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("接收部门")
    )
    kind = models.CharField(_("数据类型"), max_length=16, choices=LinkedKind.choices)
    record_pk = models.BigIntegerField(_("记录行号"))
    record_id = models.CharField(_("记录编号"), max_length=64)
    source_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("决定部门")
    )
    # A record may name a subject whose registration has not arrived yet.
    subject = models.ForeignKey(
        Subject,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("市场主体"),
    )
    subscription = models.ForeignKey(
        Subscription,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("匹配规则"),
    )
    received_at = models.DateTimeField(_("推送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅知时间"), null=True, blank=True)
    read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("阅知人"),
    )  # fmt: skip
    acknowledged_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("确认人"),
    )  # fmt: skip
    note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "kind", "record_pk"], name="inbox_department_record"
            )
        ]
        indexes = [
            models.Index(fields=["department", "-received_at"], name="inbox_department_received"),
            models.Index(fields=["department"], condition=Q(read_at__isnull=True), name="inbox_unread"),
        ]
        verbose_name = _("联动监管推送")
        verbose_name_plural = _("联动监管推送")

    def __str__(self) -> str:
        return f"{self.department_id} ← {self.source_department_id} {self.kind} {self.record_id}"


class KeySupervision(models.Model):
    """A subject a department watches closely until `ends_on` (or until ended early)."""

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("监管部门")
    )
    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, db_constraint=False, related_name="+", verbose_name=_("市场主体")
    )
    reason = models.TextField(_("列入理由"))
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("列入人")
    )
    created_at = models.DateTimeField(_("列入时间"), default=timezone.now)
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("解除人"),
    )  # fmt: skip
    end_reason = models.TextField(_("解除理由"), blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["subject"], condition=Q(ended_at__isnull=True), name="key_supervision_open")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="key_supervision_dates"
            )
        ]
        verbose_name = _("重点监管")
        verbose_name_plural = _("重点监管")

    def __str__(self) -> str:
        return f"{self.department_id} {self.subject_id} → {self.ends_on}"

    def is_active(self, day: date | None = None) -> bool:
        return self.state(day) == "active"

    def state(self, day: date | None = None) -> str:
        """ended (早于到期解除), expired (已到期), scheduled (尚未开始) or active."""
        day = day or timezone.localdate()
        if self.ended_at is not None:
            return "ended"
        if self.ends_on < day:
            return "expired"
        return "scheduled" if self.starts_on > day else "active"


class KeySupervisionAlert(models.Model):
    """A new record of a subject under key supervision."""

    key_supervision = models.ForeignKey(
        KeySupervision, on_delete=models.PROTECT, related_name="alerts", verbose_name=_("重点监管")
    )
    kind = models.CharField(_("数据类型"), max_length=32)
    record_pk = models.BigIntegerField(_("记录行号"))
    record_id = models.CharField(_("记录编号"), max_length=64)
    source_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("来源部门")
    )
    raised_at = models.DateTimeField(_("提醒时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("处理人"),
    )  # fmt: skip
    note = models.TextField(_("处理说明"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key_supervision", "kind", "record_pk"], name="key_alert_record")
        ]
        indexes = [
            models.Index(fields=["key_supervision"], condition=Q(acknowledged_at__isnull=True),
                         name="key_alert_open"),
        ]  # fmt: skip
        verbose_name = _("重点监管提醒")
        verbose_name_plural = _("重点监管提醒")

    def __str__(self) -> str:
        return f"{self.key_supervision_id} {self.kind} {self.record_id}"
