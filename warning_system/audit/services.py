"""Writing the audit trail. Call inside the action's transaction: the entry commits with it or not at all."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils import timezone

from warning_system.audit import chain, context
from warning_system.audit.models import AuditEntry
from warning_system.audit.signals import audit_recorded

# One chain for the whole city: writers queue on this advisory lock for the few microseconds
# between reading the head and appending to it.
CHAIN_LOCK = 0x5E6A0D17


def audit_record(
    *,
    action: str,
    actor=None,
    department_id: str | None = None,
    subject_uscc: str | None = None,
    obj=None,
    object_type: str = "",
    object_id: str | int = "",
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEntry:
    """Append one entry. `actor` is a user (None for the system); `department_id` defaults to theirs."""
    if department_id is None and actor is not None:
        profile = getattr(actor, "staff", None) if actor.is_authenticated else None
        department_id = profile.department_id if profile else ""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    request = context.current()
    user = actor if actor is not None and actor.is_authenticated else None
    fields = {
        "at": timezone.now(),
        "actor_id": user.pk if user else None,
        "actor_name": (user.get_username() if user else (getattr(actor, "username", "") or "system"))[:150],
        "department_id": department_id or "",
        "action": action,
        "subject_uscc": subject_uscc or "",
        "object_type": object_type,
        "object_id": str(object_id),
        "before": chain.normalise_json(before),
        "after": chain.normalise_json(after),
        "client_address": request.client_address,
        "request_id": request.request_id,
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        head = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
        fields["seq"] = head["seq"] + 1 if head else 1
        fields["prev_hash"] = head["hash"] if head else chain.GENESIS
        fields["hash"] = chain.entry_hash(fields["prev_hash"], fields)
        entry = AuditEntry.objects.create(**fields)
        if entry.subject_uscc:
            transaction.on_commit(
                lambda: audit_recorded.send(sender=AuditEntry, entry=entry), robust=True
            )
    return entry
