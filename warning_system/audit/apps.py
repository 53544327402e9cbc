from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "warning_system.audit"
    label = "audit"
    verbose_name = _("监管留痕")

    def ready(self) -> None:
        from warning_system.audit import receivers  # noqa: F401
