from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObjectionsConfig(AppConfig):
    name = "warning_system.objections"
    label = "objections"
    verbose_name = _("异议申诉")

    def ready(self) -> None:
        from warning_system.objections import receivers, tasks  # noqa: F401
