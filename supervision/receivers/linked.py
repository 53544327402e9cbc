"""Receivers of the linked area: every stored batch may feed other departments' inboxes (licences
and penalties) and raise key supervision alerts (any kind)."""

from django.dispatch import receiver

from supervision.selectors import linked as selectors
from supervision.services import linked as services
from warning_system.registry.signals import records_stored


@receiver(records_stored, dispatch_uid="supervision.linked.route")
def route_to_subscribers(sender, kind: str, department_id: str, run_id: int, usccs, **kwargs) -> None:
    if kind in services.ROUTED_KINDS and selectors.subscriptions_exist(kind):
        services.linked_routing_schedule(kind=kind, department_id=department_id, run_id=run_id, usccs=usccs)


@receiver(records_stored, dispatch_uid="supervision.linked.key_alerts")
def alert_key_supervisions(sender, kind: str, run_id: int, usccs, **kwargs) -> None:
    watched = selectors.under_key_supervision(usccs)
    if watched:
        services.key_alerts_schedule(kind=kind, run_id=run_id, usccs=watched)
