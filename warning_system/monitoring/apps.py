from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "warning_system.monitoring"
    label = "monitoring"
    verbose_name = "监控"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_login_failed

        from . import counters

        user_login_failed.connect(counters.count_login_failure, dispatch_uid="monitoring-login-failed")
