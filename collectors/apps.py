from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectorsConfig(AppConfig):
    name = "collectors"
    verbose_name = _("数据中心")

    def ready(self) -> None:
        from . import tasks  # noqa: F401  (registers the jobs services ask for by name)
