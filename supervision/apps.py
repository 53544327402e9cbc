from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监管工作台")

    def ready(self) -> None:
        from supervision import receivers, tasks  # noqa: F401  (tasks: registers the jobs services ask for)
        from supervision.selectors.dual import enterprise_dual_notices
        from supervision.workdays import overrides_between
        from warning_system.notices import register_dual_notices
        from warning_system.workdays import register_overrides

        register_dual_notices(enterprise_dual_notices)
        register_overrides(overrides_between)
