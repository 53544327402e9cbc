"""Text as PostgreSQL can store it.

PostgreSQL refuses NUL in `text` and `jsonb`. Whatever is kept of what a department sent (a
quarantined record, a run's error, an unknown column's name) passes through here first, so that
one stray NUL never fails the statement that records the problem it causes.
"""

from __future__ import annotations


def storable_text(text: str) -> str:
    """NUL shown as the four characters \\x00: what was received stays readable."""
    return text.replace("\x00", "\\x00") if "\x00" in text else text


def storable(value):
    """A record as received with every NUL in its keys and texts made storable (see storable_text)."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable_text(str(k)): storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable(v) for v in value]
    return value
