from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "warning_system.sanctions"
    label = "sanctions"
    verbose_name = _("联合惩戒")
