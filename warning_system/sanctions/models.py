"""联合惩戒: the versioned measures catalogue, and every check made against it with the outcome reported.

The core stores who asked generically (a department and user of the workspace, or an institution and
its API key by id and label): the portal that serves institutions builds on the core, not the reverse.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from warning_system.classification.models import Colour
from warning_system.registry.models import Department, Subject

from . import measures


class Use(models.TextChoices):
    """The labels of the uses the system shipped with, for checks stored under a catalogue that gave
    no label. Which uses exist is the catalogue in force's business (measures.uses_of), not this."""

    PROCUREMENT = measures.PROCUREMENT, _("政府采购")
    BIDDING = measures.BIDDING, _("招标投标")
    SUBSIDY = measures.SUBSIDY, _("财政补贴和奖励")
    HONOUR = measures.HONOUR, _("荣誉评选（如守合同重信用）")
    FINANCING = measures.FINANCING, _("融资授信")
    LISTING = measures.LISTING, _("上市融资")
    LICENSING = measures.LICENSING, _("行政许可/行政审批")


class Outcome(models.TextChoices):
    ALLOWED = measures.ALLOWED, _("允许")
    RESTRICTED = measures.RESTRICTED, _("限制")


class Channel(models.TextChoices):
    PAGE = "page", _("工作台查询")
    BATCH = "batch", _("批量核查")
    API = "api", _("机构接口")


class RequesterKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    INSTITUTION = "institution", _("机构")


class ReportedAction(models.TextChoices):
    """What the asker did with the answer (its feedback); all but NONE applied a restriction."""

    BID_REJECTED = "bid_rejected", _("投标被拒/取消中标资格")
    SUBSIDY_DENIED = "subsidy_denied", _("不予补贴")
    HONOUR_WITHDRAWN = "honour_withdrawn", _("取消荣誉评选资格")
    CREDIT_DENIED = "credit_denied", _("不予授信")
    LISTING_DEFERRED = "listing_deferred", _("暂缓上市")
    LICENCE_REFUSED = "licence_refused", _("不予许可/从严审查")
    RESTRICTION_APPLIED = "restriction_applied", _("已采取限制措施")
    NONE = "none", _("未采取措施")


# The restriction each use can report (plus NONE, always).
ACTIONS_BY_USE = {
    Use.PROCUREMENT: (ReportedAction.BID_REJECTED,),
    Use.BIDDING: (ReportedAction.BID_REJECTED,),
    Use.SUBSIDY: (ReportedAction.SUBSIDY_DENIED,),
    Use.HONOUR: (ReportedAction.HONOUR_WITHDRAWN,),
    Use.FINANCING: (ReportedAction.CREDIT_DENIED,),
    Use.LISTING: (ReportedAction.LISTING_DEFERRED,),
    Use.LICENSING: (ReportedAction.LICENCE_REFUSED,),
}


def actions_for(use: str) -> tuple[str, ...]:
    """The restrictions a use can report: a use added by a later catalogue has the generic one."""
    return ACTIONS_BY_USE.get(use, (ReportedAction.RESTRICTION_APPLIED,))


class MeasuresCatalogue(models.Model):
    """One version of the measures (use -> colours, lists, measure, legal basis). Versions are never
    edited: a change is a new version with its author, time and the day it takes effect."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    measures = models.JSONField(_("措施"), default=measures.default_measures)
    effective_from = models.DateField(_("生效日期"), default=timezone.localdate)
    note = models.TextField(_("修改说明"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("修改人")
    )
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("联合惩戒措施清单版本")
        verbose_name_plural = _("联合惩戒措施清单版本")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class JointCheck(models.Model):
    """One answer to “may this subject be admitted to this use?”, as given, and what the asker did."""

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="joint_checks", db_constraint=False,
        verbose_name=_("主体"),
    )  # fmt: skip
    subject_name = models.CharField(_("主体名称"), max_length=300)
    # Any use of the catalogue then in force (measures.USE_KEY); its label comes from that catalogue.
    use = models.CharField(pgettext_lazy("joint punishment use", "事项"), max_length=32)
    checked_on = models.DateField(_("核查日期"))
    checked_at = models.DateTimeField(_("核查时间"), default=timezone.now)
    outcome = models.CharField(_("核查结果"), max_length=16, choices=Outcome.choices)
    colour = models.CharField(_("颜色"), max_length=8, choices=Colour.choices)
    reasons = models.JSONField(_("原因"), default=list)
    measure = models.TextField(_("惩戒措施"), blank=True)
    legal_basis = models.TextField(_("法律依据"))
    catalogue = models.ForeignKey(
        MeasuresCatalogue, on_delete=models.PROTECT, related_name="checks", verbose_name=_("措施清单版本")
    )
    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    batch = models.UUIDField(_("批次"), null=True, blank=True, db_index=True)
    requester_kind = models.CharField(_("查询方类型"), max_length=16, choices=RequesterKind.choices)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("查询部门"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("查询人"),
    )  # fmt: skip
    institution_id = models.BigIntegerField(_("机构编号"), null=True, blank=True, db_index=True)
    api_key_id = models.BigIntegerField(_("API 密钥编号"), null=True, blank=True)
    requester_label = models.CharField(_("查询方"), max_length=200)
    # The asker's feedback (反馈).
    reported_action = models.CharField(
        _("采取的措施"), max_length=24, choices=ReportedAction.choices, blank=True, db_index=True
    )
    reported_note = models.TextField(_("反馈说明"), blank=True)
    reported_on = models.DateField(_("措施日期"), null=True, blank=True)
    reported_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("反馈人"),
    )  # fmt: skip

    class Meta:
        ordering = ["-checked_at", "-id"]
        indexes = [
            models.Index(fields=["department", "-checked_at"], name="joint_check_department"),
            models.Index(fields=["use", "reported_on"], name="joint_check_use_reported"),
        ]
        verbose_name = _("联合惩戒核查")
        verbose_name_plural = _("联合惩戒核查")

    def __str__(self) -> str:
        return f"{self.subject_id} {self.use} {self.outcome}"

    @property
    def use_label(self) -> str:
        """The use as the catalogue the check was made under named it (read `catalogue` with the check)."""
        return measures.label_of(self.catalogue.measures, self.use, str(dict(Use.choices).get(self.use, "")))

    @property
    def reported(self) -> bool:
        return bool(self.reported_action)

    @property
    def applied_restriction(self) -> bool:
        return bool(self.reported_action) and self.reported_action != ReportedAction.NONE
