"""异议申诉: an enterprise disputes one record; the department that sent it answers within working-day
deadlines set by a versioned policy.

A dispute ends in one of three ways: the department corrects the record (its next delivery of that
record_id closes the objection), withdraws it (a delivery with op=delete), or upholds it with a
written reason. One not concluded in time is escalated to the department's leader.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.registry.models import Department

# docs/enterprises.md: version 0 of ObjectionPolicy while none is stored.
DEFAULT_POLICY = {"acknowledge_workdays": 2, "conclude_workdays": 15}


class ObjectionPolicy(models.Model):
    """One version of the deadlines (working days). Never edited in place: a change is a new version
    with its author, time and note; an objection keeps the version it was filed under."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    acknowledge_workdays = models.PositiveSmallIntegerField(_("受理期限（工作日）"))
    conclude_workdays = models.PositiveSmallIntegerField(_("办结期限（工作日）"))
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
                condition=Q(acknowledge_workdays__gte=1, conclude_workdays__gte=1),
                name="objection_policy_days",
            ),
        ]
        verbose_name = _("异议处理期限版本")
        verbose_name_plural = _("异议处理期限版本")

    def __str__(self) -> str:
        return f"v{self.version}"


class ObjectionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    ACKNOWLEDGED = "acknowledged", _("处理中")
    CORRECTED = "corrected", _("已更正")
    WITHDRAWN = "withdrawn", _("已撤销记录")
    UPHELD = "upheld", _("维持原记录")


OPEN_STATUSES = (ObjectionStatus.SUBMITTED, ObjectionStatus.ACKNOWLEDGED)


class Objection(models.Model):
    subject = models.ForeignKey(
        "registry.Subject", on_delete=models.PROTECT, related_name="+", db_constraint=False,
        verbose_name=_("市场主体"),
    )  # fmt: skip
    kind = models.CharField(_("数据类型"), max_length=32)
    record_pk = models.BigIntegerField(_("记录行号"))
    record_id = models.CharField(_("记录编号"), max_length=64)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="+", verbose_name=_("处理部门")
    )
    reason = models.TextField(_("异议理由"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提出人")
    )
    submitted_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    policy_version = models.PositiveIntegerField(_("期限版本"))
    acknowledge_due = models.DateField(_("受理期限"))
    conclude_due = models.DateField(_("办结期限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.SUBMITTED,
        db_index=True,
    )
    acknowledged_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    concluded_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("办结人"),
    )  # fmt: skip
    outcome_reason = models.TextField(_("处理意见"), blank=True)
    escalated_at = models.DateTimeField(_("逾期上报时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["kind", "department", "status"], name="objection_open_record")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "record_pk"], condition=Q(status__in=["submitted", "acknowledged"]),
                name="one_open_objection_per_record",
            ),
        ]  # fmt: skip
        verbose_name = _("异议申诉")
        verbose_name_plural = _("异议申诉")

    def __str__(self) -> str:
        return f"{self.subject_id} {self.kind} {self.record_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def overdue_on(self, day) -> bool:
        return self.is_open and day > self.conclude_due
