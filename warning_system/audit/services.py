"""Writing the audit trail. Call inside the action's transaction: the entry commits with it or not at all."""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, time, timedelta
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
# One anchoring at a time (beat, and `manage.py anchor_audit` by hand).
ANCHOR_LOCK = 0x5E6A0D18


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


# --------------------------------------------------------------------------- anchors


def anchor_line(anchor: AuditAnchor) -> dict:
    """One line of the anchor file: the same facts as the table row."""
    return {"at": anchor.at.astimezone(UTC).isoformat(timespec="microseconds"), "seq": anchor.seq,
            "hash": anchor.hash}  # fmt: skip


def anchor_file() -> Path | None:
    path = getattr(settings, "AUDIT_ANCHOR_FILE", None)
    return Path(path) if path else None


class TrailBroken(Exception):
    """The last anchored entry is gone or changed: the trail was cut or rewritten since."""


def audit_anchor() -> AuditAnchor:
    """Record the chain's head as it is now: in the table, and appended to the anchor file.

    Beat runs this every ten minutes, so a tail cut off later than that no longer reaches an anchor.
    A head already anchored is not anchored again (an idle trail adds no rows). The file is
    append-only and meant to be shipped elsewhere: whoever can rewrite the database cannot reach it.
    A line the file lacks (the row committed, then writing the file failed) is written on the next run.
    Raises TrailBroken, anchoring nothing, when the last anchored entry is no longer in the chain:
    every ten minutes, this is the first alarm of a cut tail.
    """
    with transaction.atomic():
        _lock(ANCHOR_LOCK)
        # Committed entries are always a gapless prefix of the chain (writers hold CHAIN_LOCK until
        # they commit), so the newest one visible now is a head every later entry extends.
        head = AuditEntry.objects.order_by("-seq").values("seq", "hash").first() or {
            "seq": 0, "hash": chain.GENESIS,
        }  # fmt: skip
        last = AuditAnchor.objects.order_by("-at", "-id").first()
        if (
            last is not None
            and last.seq > 0
            and not AuditEntry.objects.filter(seq=last.seq, hash=last.hash).exists()
        ):
            # Anchoring the head now would record a cut or rewritten chain as if it were the trail.
            raise TrailBroken(
                f"the audit trail no longer holds entry {last.seq} with the hash anchored at {last.at:%Y-%m-%d %H:%M} "
                f"({last.hash[:12]}…): not anchored; run `manage.py verify_audit`"
            )
        if last is not None and (last.seq, last.hash) == (head["seq"], head["hash"]):
            anchor = last
        else:
            anchor = AuditAnchor.objects.create(at=timezone.now(), **head)
    path = anchor_file()
    if path is not None:
        # After the commit: the file never names an anchor the table may lack. Under the lock: two
        # anchoring processes never write the same line twice.
        with transaction.atomic():
            _lock(ANCHOR_LOCK)
            _append_missing(path)
    return anchor


def _lock(key: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _append_missing(path: Path) -> None:
    """Append the table's anchors newer than the file's last line (normally just the new one)."""
    newest = _last_time_in(path)
    missing = AuditAnchor.objects.order_by("at", "id")
    if newest is not None:
        missing = missing.filter(at__gt=newest)
    lines = [json.dumps(anchor_line(anchor), sort_keys=True) + "\n" for anchor in missing]
    if not lines:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write("".join(lines))
        out.flush()
        os.fsync(out.fileno())


def _last_time_in(path: Path, tail_bytes: int = 4096) -> datetime | None:
    """The time of the file's last readable line, read from its end: the file grows for years."""
    if not path.exists():
        return None
    with path.open("rb") as existing:
        existing.seek(0, os.SEEK_END)
        size = existing.tell()
        existing.seek(max(0, size - tail_bytes))
        tail = existing.read().decode("utf-8", errors="replace")
    for text in reversed(tail.splitlines()):
        try:
            line = json.loads(text)
            return line_time(line)
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # an unreadable line is the verifier's business, not a reason to stop anchoring
    return None


def line_time(line: dict) -> datetime:
    """The moment a line of the anchor file names: `at`, or for a daily line of old the end of its `day`."""
    if "at" in line:
        return datetime.fromisoformat(line["at"])
    return day_end(date.fromisoformat(line["day"]))


def day_end(day: date) -> datetime:
    """The first instant after `day` in the city's time zone (Asia/Shanghai)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
