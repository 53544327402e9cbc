"""守信激励: the versioned incentives catalogue, beside the joint-punishment measures catalogue."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import catalogue


class IncentivesCatalogue(models.Model):
    """One version of the incentives (who qualifies, what they get, on which basis). Versions are never
    edited: a change is a new version with its author, time and the day it takes effect."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    incentives = models.JSONField(_("激励措施"), default=catalogue.default_incentives)
    effective_from = models.DateField(_("生效日期"), default=timezone.localdate)
    note = models.TextField(_("修改说明"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("修改人")
    )
    created_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("守信激励清单版本")
        verbose_name_plural = _("守信激励清单版本")

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"
