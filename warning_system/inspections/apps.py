from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "warning_system.inspections"
    label = "inspections"
    verbose_name = _("双随机抽查")
