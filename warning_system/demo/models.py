"""The marker of demo data: one row per row that `manage.py seed_demo` made up or changed in a way no
real use would (inspectors who do not exist, a colour history before the demo city existed, arrival
times moved back). The marked rows themselves stay as the services wrote them; a marker beside
them, rather than an `is_demo` column on every table, keeps the product's tables free of a field
that only the demo sets, and one admin page lists everything synthetic."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoRecord(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("数据表"))
    # Text: the marked tables' keys are integers, dates (daily counts) and codes.
    object_id = models.CharField(_("行"), max_length=64)
    what = models.CharField(_("演示内容"), max_length=200)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        ordering = ["content_type_id", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="demo_record_unique")
        ]
        verbose_name = _("演示数据")
        verbose_name_plural = _("演示数据")

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"
