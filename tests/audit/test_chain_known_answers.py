"""Known answers of the chain's hash: one fixed entry, its exact digests.

Every stored link was computed this way, and `verify_audit` recomputes them the same way: a change
to which fields are hashed, how they are serialised or how the key is applied would make every
existing chain fail verification, so it must never happen unnoticed. The canonical text below is
the format, written out; the digests are those of that text (plain SHA-256, and HMAC-SHA256 under
AUDIT_CHAIN_KEY). No database: the function alone.
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta, timezone

import pytest

from warning_system.audit import chain

CHINA = timezone(timedelta(hours=8))

ENTRY = {
    "seq": 1,
    "at": datetime(2026, 11, 2, 9, 30, 0, 123456, tzinfo=CHINA),
    "actor_id": 7,
    "actor_name": "scjg_leader",
    "department_id": "SCJG",
    "action": "claim",
    "subject_uscc": "91360102MA3AY4CL6J",
    "object_type": "dualnotification",
    "object_id": "42",
    "before": {"status": "pushed"},
    "after": {"status": "claimed", "note": "已认领"},
    "client_address": "10.0.0.8",
    "request_id": "3f2c9a",
    # Not hashed: the hashes themselves and anything else a row may carry.
    "prev_hash": "ignored",
    "hash": "ignored",
}

# Keys sorted, no spaces, UTF-8 as is, the time in UTC with microseconds.
CANONICAL = (
    '{"action":"claim","actor_id":7,"actor_name":"scjg_leader","after":{"note":"已认领","status":"claimed"},'
    '"at":"2026-11-02T01:30:00.123456+00:00","before":{"status":"pushed"},"client_address":"10.0.0.8",'
    '"department_id":"SCJG","object_id":"42","object_type":"dualnotification","request_id":"3f2c9a","seq":1,'
    '"subject_uscc":"91360102MA3AY4CL6J"}'
)
SHA256_DIGEST = "0207034d9ea5dd5f4494a8d6b8fc499368a6c2f0ab3ade885e953e993a499d71"
KEY = "city-chain-key"
HMAC_DIGEST = "1e23e3f74e387892be65a9ed5ef17181776174b4fcc12a31a5ea7ac804daba17"


def test_the_known_digests_are_those_of_the_canonical_text():
    message = (chain.GENESIS + CANONICAL).encode("utf-8")
    assert hashlib.sha256(message).hexdigest() == SHA256_DIGEST
    assert hmac.new(KEY.encode(), message, hashlib.sha256).hexdigest() == HMAC_DIGEST


def test_the_hash_of_the_fixed_entry_without_a_key(settings):
    settings.AUDIT_CHAIN_KEY = ""
    assert chain.entry_hash(chain.GENESIS, ENTRY) == SHA256_DIGEST


def test_the_hash_of_the_fixed_entry_under_the_chain_key(settings):
    settings.AUDIT_CHAIN_KEY = KEY
    assert chain.entry_hash(chain.GENESIS, ENTRY) == HMAC_DIGEST


def test_the_hash_is_the_same_whatever_the_time_zone_the_time_is_given_in(settings):
    settings.AUDIT_CHAIN_KEY = ""
    in_utc = {**ENTRY, "at": ENTRY["at"].astimezone(UTC)}
    assert chain.entry_hash(chain.GENESIS, in_utc) == SHA256_DIGEST


@pytest.mark.parametrize("field", chain.HASHED_FIELDS)
def test_every_hashed_field_changes_the_digest(settings, field):
    settings.AUDIT_CHAIN_KEY = ""
    changed = {**ENTRY, field: ENTRY[field] + timedelta(seconds=1) if field == "at" else "other"}
    assert chain.entry_hash(chain.GENESIS, changed) != SHA256_DIGEST


def test_the_previous_hash_is_part_of_the_message(settings):
    settings.AUDIT_CHAIN_KEY = ""
    assert (
        chain.entry_hash(SHA256_DIGEST, ENTRY)
        == hashlib.sha256((SHA256_DIGEST + CANONICAL).encode()).hexdigest()
    )
