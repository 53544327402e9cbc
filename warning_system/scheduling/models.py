"""When each scheduled job last ran, for the in-process scheduler (a deployment without a broker)
and for the city's IT office, which reads it in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledJob(models.Model):
    name = models.CharField(_("名称"), max_length=100, primary_key=True)
    task = models.CharField(_("任务"), max_length=200)
    last_run_at = models.DateTimeField(_("最近运行"))
    last_finished_at = models.DateTimeField(_("最近结束"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    runs = models.PositiveIntegerField(_("运行次数"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")

    def __str__(self) -> str:
        return self.name
