from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "warning_system.incentives"
    label = "incentives"
    verbose_name = _("守信激励")
