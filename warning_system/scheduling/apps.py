from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "warning_system.scheduling"
    label = "scheduling"
    verbose_name = _("定时任务")
