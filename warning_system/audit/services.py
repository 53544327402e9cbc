"""Writing the audit trail. Call inside the action's transaction: the entry commits with it or not at all."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from warning_system.audit import chain, context
from warning_system.audit.models import AuditAnchor, AuditEntry
from warning_system.audit.signals import audit_recorded

# One chain for the whole city: writers queue on this advisory lock from reading the head until
# their transaction ends, so the committed entries are always a gapless prefix of the chain.
CHAIN_LOCK = 0x5E6A0D17


def _as_stored(value):
    """The JSON value as PostgreSQL's jsonb gives it back, which is what the verifier hashes.

    jsonb keeps numbers as decimals: a float Python writes with an exponent and no fraction
    (1e+20) comes back as an integer (100000000000000000000), and its hash would no longer match.
    """
    if isinstance(value, float) and value.is_integer() and "e" in repr(value):
        return int(value)
    if isinstance(value, dict):
        return {k: _as_stored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_stored(v) for v in value]
    return value


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
        "actor_id": user.pk if user else None,
        "actor_name": (user.get_username() if user else (getattr(actor, "username", "") or "system"))[:150],
        "department_id": department_id or "",
        "action": action,
        "subject_uscc": subject_uscc or "",
        "object_type": object_type,
        "object_id": str(object_id),
        "before": _as_stored(chain.normalise_json(before)),
        "after": _as_stored(chain.normalise_json(after)),
        "client_address": request.client_address,
        "request_id": request.request_id,
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            # The time is taken under the lock, from the database's clock: `at` then never goes
            # backwards along the chain, whichever application server writes (a day's anchor is
            # the head of the entries before midnight, a prefix of the chain).
            cursor.execute("SELECT pg_advisory_xact_lock(%s), clock_timestamp()", [CHAIN_LOCK])
            now = cursor.fetchone()[1]
        head = AuditEntry.objects.order_by("-seq").values("seq", "hash", "at").first()
        fields["at"] = max(now, head["at"]) if head else now
        fields["seq"] = head["seq"] + 1 if head else 1
        fields["prev_hash"] = head["hash"] if head else chain.GENESIS
        fields["hash"] = chain.entry_hash(fields["prev_hash"], fields)
        entry = AuditEntry.objects.create(**fields)
        if entry.subject_uscc:
            transaction.on_commit(lambda: audit_recorded.send(sender=AuditEntry, entry=entry), robust=True)
    return entry


# --------------------------------------------------------------------------- daily anchors


def day_end(day: date) -> datetime:
    """The first instant after `day` in the city's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def anchor_line(anchor: AuditAnchor) -> dict:
    """One line of the anchor file: the same facts as the table row."""
    return {"day": anchor.day.isoformat(), "seq": anchor.seq, "hash": anchor.hash}


def anchor_file() -> Path | None:
    path = getattr(settings, "AUDIT_ANCHOR_FILE", None)
    return Path(path) if path else None


def audit_anchor(*, day: date) -> AuditAnchor:
    """Record the chain's head at the end of `day`: once in the table, once in the anchor file.

    Idempotent: a day keeps the anchor it was first given, and its line is written to the file
    once (a run that committed the row but failed to write the file writes it on the next run).
    The file is append-only and meant to be shipped elsewhere: whoever can rewrite the database
    cannot reach it, so a truncated trail no longer reaches the heads it recorded.
    """
    with transaction.atomic():
        before_end = AuditEntry.objects.filter(at__lt=day_end(day)).order_by("-seq")
        head = before_end.values("seq", "hash").first() or {"seq": 0, "hash": chain.GENESIS}
        anchor, _ = AuditAnchor.objects.get_or_create(day=day, defaults=head)
    path = anchor_file()
    if path is not None:
        _append_once(path, anchor_line(anchor))
    return anchor


def _append_once(path: Path, line: dict) -> None:
    if path.exists():
        with path.open(encoding="utf-8") as existing:
            for text in existing:
                try:
                    if json.loads(text).get("day") == line["day"]:
                        return
                except (ValueError, AttributeError):
                    continue  # an unreadable line is the verifier's business, not a reason to stop anchoring
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")
        out.flush()
        os.fsync(out.fileno())
