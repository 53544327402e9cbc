"""Receivers of the dual area: stored registrations open 双告知, stored licences may settle them."""

from django.dispatch import receiver

from supervision.services import dual as services
from warning_system.registry.signals import records_stored


@receiver(records_stored, dispatch_uid="supervision.dual.records_stored")
def dual_on_records_stored(sender, *, kind: str, run_id: int, usccs, **kwargs) -> None:
    if kind == "registration":
        services.dual_opening_schedule(run_id=run_id, usccs=usccs)
    elif kind == "license":
        services.licence_matching_schedule(usccs=usccs)
