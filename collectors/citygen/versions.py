"""Later versions of records: updates, stale resends and withdrawals (few, counted, never made bad).

Why: departments send a record again when it changes, resend old versions by mistake and
withdraw decisions; the collectors must keep the newest version by updated_at, ignore a
stale one and honour a withdrawal. Later versions go into the corrections files, written
on the morning of the city's day, after the main files.
"""

from __future__ import annotations

from collectors.citygen.debts import arrear_record
from collectors.citygen.penalties import penalty, penalty_dept

WITHDRAWAL_KEYS = ("record_id", "uscc", "organization_code", "registration_number", "subject_name")


def versions(block, s) -> None:
    x = block.r()
    today = block.today
    if x < 0.004 and s.established < today - 90:
        _settled_later(block, s)
    elif x < 0.006 and s.established < today - 90:
        _stale_resend(block, s)
    elif x < 0.008 and s.established < today - 60:
        _withdrawn_penalty(block, s)


def _settled_later(block, s) -> None:
    """Sent outstanding, then settled: the newer version wins."""
    since = block.day(s, 40, 600, floor=10)
    rec = arrear_record(block, s, "SDQ", "utilities", since, None)
    newer = dict(rec)
    settled = max(since, block.today - 1 - int(block.r() * 10))
    newer["settled_on"] = settled
    newer["as_of"] = settled
    newer["updated_at"] = block.morning_stamp()
    block.emit("SDQ", "arrears", rec, benign=False)
    block.emit_correction("SDQ", "arrears", newer)
    block.versions["updated"] += 1


def _stale_resend(block, s) -> None:
    """Settled; an older outstanding version is resent later (stale: it must not win)."""
    r = block.r
    since = block.day(s, 60, 900, floor=10)
    settled = min(since + 30 + int(r() * 200), block.today - 1)
    rec = arrear_record(block, s, "SDQ", "utilities", since, settled)
    older = dict(rec)
    del older["settled_on"]
    older["as_of"] = max(since, settled - 5 - int(r() * 20))
    older["updated_at"] = older["as_of"] * 86400 + 30000
    block.emit("SDQ", "arrears", rec, benign=False)
    block.emit_correction("SDQ", "arrears", older)
    block.versions["stale_resent"] += 1


def _withdrawn_penalty(block, s) -> None:
    """A penalty withdrawn later (decision revoked): the whole record again, or just its keys."""
    day = block.day(s, 15, 300, floor=10)
    dept = penalty_dept(block, s)
    rec = penalty(block, s, "light", day, dept, benign=False)
    whole = block.r() < 0.5
    withdrawal = dict(rec) if whole else {k: rec[k] for k in WITHDRAWAL_KEYS if k in rec}
    withdrawal["record_id"] = rec["record_id"]
    withdrawal["op"] = block.pick(("delete", "delete", "删除", "撤回"))
    withdrawal["updated_at"] = block.morning_stamp()
    block.emit_correction(dept, "penalty", withdrawal)
    block.versions["deleted"] += 1
