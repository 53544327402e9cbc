"""A department's delivery of a disputed record closes the objection (corrected or withdrawn)."""

from warning_system.objections.services import objections_close_by_delivery
from warning_system.registry.signals import records_stored


def close_by_delivery(sender, kind: str, department_id: str, run_id=None, usccs=None, **kwargs) -> None:
    objections_close_by_delivery(kind=kind, department_id=department_id, run_id=run_id, usccs=usccs)


records_stored.connect(close_by_delivery, dispatch_uid="objections.close_by_delivery")
