"""The hash chain: one definition of an entry's content, used to write and to verify."""

import hashlib
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
    content = {name: fields[name] for name in HASHED_FIELDS}
    at = content["at"]
    if isinstance(at, datetime):
        content["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    return hashlib.sha256((prev_hash + canonical(content)).encode()).hexdigest()
