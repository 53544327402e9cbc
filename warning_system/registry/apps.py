from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "warning_system.registry"
    label = "registry"
    verbose_name = _("主体库")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the jobs services ask for by name)
