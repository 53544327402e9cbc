"""Records made bad on purpose, the way departments get records wrong (about 0.5 % of them).

Why: the collectors must quarantine a bad record with the right reason and keep the rest;
a demo city that is all clean would not show it. A benign record is spoiled in one realistic
way — a required value left out, a date or amount nobody can parse, a misspelt enum, a
USCC with a wrong check character, an end before its start, a registration clerk's wrong
subject type — drawn by weight among the ways the record allows, and the reason it must
fail with is told to the observer. Records that make a colour are never spoiled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from collectors.citygen.codes import USCC_ALPHABET
from collectors.citygen.data import table
from collectors.citygen.people import pick
from collectors.citygen.spellings import Raw
from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason

BAD_RECORD_SHARE = 0.005
BAD_REASONS = (  # (QuarantineReason code, weight); missing_required is the fallback that always applies
    (QuarantineReason.MISSING_REQUIRED.value, 25),
    (QuarantineReason.UNPARSABLE_DATE.value, 20),
    (QuarantineReason.INVALID_USCC.value, 15),
    (QuarantineReason.UNKNOWN_ENUM.value, 15),
    (QuarantineReason.UNPARSABLE_AMOUNT.value, 15),
    (QuarantineReason.END_BEFORE_START.value, 10),
    # Registrations only (about one record in twelve): a registry clerk picks the wrong subject type.
    (QuarantineReason.SUBJECT_TYPE_MISMATCH.value, 40),
)
_MISTAKES = table("mistakes")
# The type a clerk mistakes each type for: the USCC's characters 1–2 then contradict it.
MISTAKEN_TYPES = _MISTAKES["mistaken_subject_types"]
WRONG_ENUMS = _MISTAKES["wrong_enum_spellings"]  # spellings departments use that the contract does not know
BAD_DATES = tuple(_MISTAKES["bad_dates"])
BAD_AMOUNTS = tuple(_MISTAKES["bad_amounts"])
MISSING_VALUES = tuple(_MISTAKES["missing_values"])


def _ways(kind: contract.Kind, cols: frozenset, rec: dict) -> dict[str, list[str]]:
    """For each reason, the fields of this record that could be spoiled that way."""
    present = [f for f in kind.fields if f.key in cols and rec.get(f.key) is not None and f.key != "op"]
    return {
        QuarantineReason.MISSING_REQUIRED: [
            f.key
            for f in kind.fields
            if f.required and f.key not in ("record_id", "updated_at") and f.key in cols
        ],
        QuarantineReason.INVALID_USCC: [
            "uscc" for f in present if f.key == "uscc" and len(rec["uscc"]) == 18 and rec["uscc"].isascii()
        ],
        QuarantineReason.UNPARSABLE_DATE: [f.key for f in present if f.type == contract.DATE],
        QuarantineReason.UNKNOWN_ENUM: [
            f.key for f in present if f.type in (contract.ENUM, contract.MULTI_ENUM, contract.BOOL)
        ],
        QuarantineReason.UNPARSABLE_AMOUNT: [f.key for f in present if f.type == contract.AMOUNT],
        QuarantineReason.END_BEFORE_START: [
            b for a, b in kind.ordered_dates if b in cols and isinstance(rec.get(a), int)
        ],
        QuarantineReason.SUBJECT_TYPE_MISMATCH: [
            "subject_type"
            for f in present
            if f.key == "subject_type" and rec.get("uscc") and not isinstance(rec["uscc"], Raw)
        ],
    }


def _draw_reason(r: Callable[[], float], ways: dict[str, list[str]]) -> str:
    weighted = [(reason, w) for reason, w in BAD_REASONS if ways[reason]]
    x = r() * sum(w for _, w in weighted)
    reason = weighted[-1][0]
    for candidate, w in weighted:
        x -= w
        if x < 0:
            reason = candidate
            break
    return reason


def _spoil(r: Callable[[], float], kind: contract.Kind, rec: dict, reason: str, key: str) -> None:
    """Write field `key` of the record wrong, the way `reason` names."""
    if reason == QuarantineReason.INVALID_USCC:
        u = rec["uscc"]
        good = u[-1].upper()
        rec["uscc"] = Raw(u[:-1] + USCC_ALPHABET[(USCC_ALPHABET.index(good) + 1 + int(r() * 29)) % 31])
    elif reason == QuarantineReason.UNPARSABLE_DATE:
        d = date.fromordinal(rec[key])
        rec[key] = Raw(pick(r, BAD_DATES).format(y=d.year, m=d.month, d=d.day))
    elif reason == QuarantineReason.UNKNOWN_ENUM:
        enum = kind.by_key[key].enum
        rec[key] = Raw(pick(r, WRONG_ENUMS[enum] if enum else ("部分公示", "不详")))
    elif reason == QuarantineReason.UNPARSABLE_AMOUNT:
        value = rec[key]
        rec[key] = Raw(
            pick(r, BAD_AMOUNTS).format(a=max(1, int(value)) if isinstance(value, int | float) else 5)
        )
    elif reason == QuarantineReason.END_BEFORE_START:
        start = next(a for a, b in kind.ordered_dates if b == key and isinstance(rec.get(a), int))
        rec[key] = rec[start] - 1 - int(r() * 400)
    elif reason == QuarantineReason.SUBJECT_TYPE_MISMATCH:
        rec[key] = MISTAKEN_TYPES[rec[key]]
    else:
        rec[key] = Raw(pick(r, MISSING_VALUES))


def corrupt(r: Callable[[], float], kind_name: str, columns: frozenset, rec: dict) -> str:
    """Make a record bad in one realistic way; returns the QuarantineReason code it must fail with.

    The way is drawn by weight among those the record allows (an annual report has no enum
    to misspell, a complaint no amount), so each reason keeps about its share.
    """
    kind = contract.KINDS[kind_name]
    ways = _ways(kind, columns, rec)
    reason = _draw_reason(r, ways)
    keys = ways[reason]
    key = keys[int(r() * len(keys))]
    _spoil(r, kind, rec, reason, key)
    return reason
