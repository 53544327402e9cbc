from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassificationConfig(AppConfig):
    name = "warning_system.classification"
    label = "classification"
    verbose_name = _("分类预警")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the jobs services ask for by name)
