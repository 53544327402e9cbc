"""What the public portal keeps of its own: institutions (banks, procurement offices) with their API
keys, watchlists and webhook deliveries, and the credit reports it issued (to verify them later).

The registry and the colours are the core's; nothing here copies them except a report's snapshot,
which is what the report said when it was issued.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InstitutionKind(models.TextChoices):
    BANK = "bank", _("银行")
    PROCUREMENT = "procurement", _("采购单位")
    OTHER = "other", _("其他机构")


class Institution(models.Model):
    """A bank or procurement office that checks subjects through the API and watches some of them."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    kind = models.CharField(
        _("类型"), max_length=16, choices=InstitutionKind.choices, default=InstitutionKind.BANK
    )
    webhook_url = models.URLField(_("回调地址"), blank=True)
    webhook_secret = models.CharField(
        _("回调签名密钥"), max_length=64, blank=True, help_text=_("HMAC-SHA256 签名所用的密钥")
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("机构")
        verbose_name_plural = _("机构")

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """An institution's key. Only its SHA-256 is stored; `prefix` lets a key be named without it."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="api_keys")
    prefix = models.CharField(_("前缀"), max_length=12, unique=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API 密钥")
        verbose_name_plural = _("API 密钥")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.institution})"


class Watchlist(models.Model):
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="watchlists")
    name = models.CharField(_("名称"), max_length=100)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["institution_id", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="watchlist_name_unique")]
        verbose_name = _("监测名单")
        verbose_name_plural = _("监测名单")

    def __str__(self) -> str:
        return self.name


class WatchedSubject(models.Model):
    """A USCC on a watchlist; it may name a subject not registered yet (it is then watched for it)."""

    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="entries")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    added_at = models.DateTimeField(_("加入时间"), default=timezone.now)

    class Meta:
        ordering = ["watchlist_id", "uscc"]
        constraints = [models.UniqueConstraint(fields=["watchlist", "uscc"], name="watched_subject_unique")]
        verbose_name = _("监测主体")
        verbose_name_plural = _("监测主体")

    def __str__(self) -> str:
        return self.uscc


class EventKind(models.TextChoices):
    COLOUR_CHANGE = "colour_change", _("颜色变化")
    NEW_RECORD = "new_record", _("新增记录")


class MonitorEvent(models.Model):
    """One change of a watched subject, in an institution's feed (and sent to its webhook)."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="events")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    kind = models.CharField(_("类型"), max_length=16, choices=EventKind.choices)
    # The source row: a ColourChange id, or "<kind>:<row id>" of a record; one event per source.
    source = models.CharField(_("来源"), max_length=64)
    payload = models.JSONField(_("内容"))
    occurred_at = models.DateTimeField(_("发生时间"))
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "kind", "source"], name="monitor_event_once")
        ]
        indexes = [models.Index(fields=["institution", "-id"], name="monitor_event_feed")]
        verbose_name = _("监测事件")
        verbose_name_plural = _("监测事件")

    def __str__(self) -> str:
        return f"{self.uscc} {self.kind}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    DELIVERED = "delivered", _("已送达")
    FAILED = "failed", _("已放弃")


class WebhookDelivery(models.Model):
    """An event on its way to the institution's webhook: retried with backoff until delivered."""

    event = models.OneToOneField(MonitorEvent, on_delete=models.CASCADE, related_name="delivery")
    url = models.URLField(_("回调地址"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("回调投递")
        verbose_name_plural = _("回调投递")

    def __str__(self) -> str:
        return f"{self.event_id} → {self.url} ({self.status})"


class DeliveryAttempt(models.Model):
    """The delivery log: every request made, with what came back."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    attempted_at = models.DateTimeField(_("时间"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("响应码"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时(毫秒)"), default=0)

    class Meta:
        ordering = ["delivery_id", "attempted_at"]
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")

    def __str__(self) -> str:
        return (
            f"{self.delivery_id} {self.attempted_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error[:40]}"
        )


class CreditReport(models.Model):
    """A credit report as issued: its number, time and what it said, so anyone holding a copy can
    check that it is authentic and whether it is still current."""

    number = models.CharField(_("报告编号"), max_length=32, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    subject_name = models.TextField(_("主体名称"))
    colour = models.CharField(_("颜色"), max_length=8)
    snapshot = models.JSONField(_("报告内容"))
    digest = models.CharField(_("内容摘要"), max_length=64)
    issued_at = models.DateTimeField(_("出具时间"), default=timezone.now)
    institution = models.ForeignKey(
        Institution, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("信用报告")
        verbose_name_plural = _("信用报告")

    def __str__(self) -> str:
        return self.number
