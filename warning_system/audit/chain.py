"""The hash chain: one definition of an entry's content, used to write and to verify.

Each link is an HMAC-SHA256 under AUDIT_CHAIN_KEY (the settings refuse to load without one while
DEBUG is off): someone who can write to the database but does not hold the key (kept in the
application's environment, not in the database) cannot forge a link, not even at the end of the
chain. A trail begun without a key keeps its plain SHA-256 links up to AUDIT_CHAIN_UNKEYED_UNTIL;
every entry written since is keyed, and the first of them seals that prefix (it covers its hash).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "actor_id", "actor_name", "department_id", "action", "subject_uscc",
    "object_type", "object_id", "before", "after", "client_address", "request_id",
)  # fmt: skip


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def normalise_json(value):
    """What a JSON column gives back: hash the stored form, not the Python objects given."""
    return None if value is None else json.loads(canonical(value))


def entry_hash(prev_hash: str, fields: dict) -> str:
    """The link written for a new entry: HMAC-SHA256 under the key (plain SHA-256 only without one)."""
    message = (prev_hash + _canonical_content(fields)).encode()
    key = _key()
    if key:
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    return hashlib.sha256(message).hexdigest()


def _canonical_content(fields: dict) -> str:
    content = {name: fields[name] for name in HASHED_FIELDS}
    at = content["at"]
    if isinstance(at, datetime):
        content["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return canonical(content)


def _key() -> bytes:
    from django.conf import settings

    return (getattr(settings, "AUDIT_CHAIN_KEY", "") or "").encode()


def expected_hash(prev_hash: str, fields: dict) -> str:
    """The hash an entry must carry: keyed, except in the unkeyed prefix of a trail begun without a key."""
    from django.conf import settings

    if fields["seq"] <= getattr(settings, "AUDIT_CHAIN_UNKEYED_UNTIL", 0):
        return hashlib.sha256((prev_hash + _canonical_content(fields)).encode()).hexdigest()
    return entry_hash(prev_hash, fields)
