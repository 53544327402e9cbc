"""What only the collectors need: the departments' push tokens and pull sources."""

import hashlib
import secrets

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.registry.models import Department


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class DepartmentToken(models.Model):
    """A bearer token a department's system pushes with. Only its hash is kept."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="push_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=12)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("部门推送令牌")
        verbose_name_plural = _("部门推送令牌")

    def __str__(self) -> str:
        return f"{self.department_id} {self.prefix}…"

    @staticmethod
    def new_token() -> str:
        return "dt_" + secrets.token_urlsafe(32)


class PullSource(models.Model):
    """A department system the collectors pull from (docs/feeds.md §1, pull)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        FAILING = "failing", _("认证失败")
        DISABLED = "disabled", _("停用")

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="pull_sources")
    name = models.CharField(_("名称"), max_length=100)
    base_url = models.URLField(_("接口地址"))
    token = models.CharField(_("访问令牌"), max_length=500)
    kinds = ArrayField(models.CharField(max_length=32), verbose_name=_("数据类型"))
    page_size = models.PositiveIntegerField(_("每页条数"), default=1000)
    interval_minutes = models.PositiveIntegerField(_("拉取间隔（分钟）"), default=60)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    last_error = models.TextField(_("最近错误"), blank=True)
    last_pulled_at = models.DateTimeField(_("最近拉取"), null=True, blank=True)

    class Meta:
        verbose_name = _("拉取数据源")
        verbose_name_plural = _("拉取数据源")

    def __str__(self) -> str:
        return self.name

    def is_due(self, now=None) -> bool:
        if self.status != self.Status.ACTIVE:
            return False
        now = now or timezone.now()
        return (
            self.last_pulled_at is None
            or (now - self.last_pulled_at).total_seconds() >= self.interval_minutes * 60
        )


class PullCursor(models.Model):
    """Where a source's kind was read up to; saved in the same transaction as the page it came with."""

    source = models.ForeignKey(PullSource, on_delete=models.CASCADE, related_name="cursors")
    kind = models.CharField(max_length=32)
    cursor = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "kind"], name="pull_cursor_source_kind")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.kind}"
