from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监管工作台")

    def ready(self) -> None:
        from supervision import receivers, tasks  # noqa: F401  (tasks: registers the jobs services ask for)
