from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "disclosure"
    verbose_name = _("信息公示")

    def ready(self) -> None:
        from warning_system.audit.signals import audit_recorded
        from warning_system.classification.signals import colours_stored
        from warning_system.incentives.signals import incentives_published
        from warning_system.objections.signals import objections_changed
        from warning_system.sanctions.signals import catalogue_published

        from .receivers import drop_all_pages, drop_cached_pages, drop_page_on_audit, queue_watch_events

        colours_stored.connect(drop_cached_pages, dispatch_uid="disclosure.drop_cached_pages")
        colours_stored.connect(queue_watch_events, dispatch_uid="disclosure.queue_watch_events")
        audit_recorded.connect(drop_page_on_audit, dispatch_uid="disclosure.drop_page_on_audit")
        catalogue_published.connect(drop_all_pages, dispatch_uid="disclosure.drop_all_pages")
        incentives_published.connect(drop_all_pages, dispatch_uid="disclosure.drop_pages_on_incentives")
        objections_changed.connect(drop_cached_pages, dispatch_uid="disclosure.drop_pages_on_objection")
