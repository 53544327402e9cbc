"""Consumer complaints to the market regulator (12315, 12345…), mediated or not.

Why: three failed mediations within a year are a yellow trigger, so a benign subject has
at most one; shops and social organisations draw more complaints than offices, and what
people complain about follows the industry.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table
from collectors.citygen.people import mobile, person

COMPLAINT_TEXT = table("complaints")  # category -> summaries


def complaints(block, s) -> None:
    r = block.r
    if s.type in ("government_agency", "public_institution"):
        return
    mean = 1.4 if (s.industry.shop_endings or s.type == "social_organization") else 0.5
    for _ in range(block.poisson(mean)):
        day = block.day(s, 1, 1800, floor=10)
        if day is None:
            return
        failure = False
        if s.failed_mediations_left > 0 and r() < 0.08 and day < block.today - 5:
            failure = True
            s.failed_mediations_left -= 1
        complaint(block, s, day, failure, benign=True)


def _channel(x: float) -> str:
    if x < 0.6:
        return "12315"
    if x < 0.85:
        return "12345"
    return "online" if x < 0.95 else ("letter" if x < 0.98 else "visit")


def _outcome(block, rec: dict, day: int, closed: int, failure: bool) -> None:
    """Handling status, mediation result and closing day (a failure is always closed)."""
    r = block.r
    if failure:
        rec["handling_status"] = "closed"
        rec["mediation_result"] = "failure"
        rec["closed_on"] = max(closed, day)
        return
    y = r()
    if y < 0.08 and block.today - day < 30:
        rec["handling_status"] = "accepted"
    elif y < 0.15:
        rec["handling_status"] = "rejected"
        rec["closed_on"] = max(closed, day)
    else:
        rec["handling_status"] = "closed"
        rec["mediation_result"] = "success" if r() < 0.75 else "none"
        rec["closed_on"] = max(closed, day)


def complaint(block, s, day: int, failure: bool, benign: bool) -> dict:
    r = block.r
    st = block.streams["SCJG"]["complaint"]
    closed = min(day + 3 + int(r() * 25), block.today - 1)
    rec = block.base(st, date.fromordinal(day).year, block.stamp_after(closed, 2))
    block.identify(s, rec, False)
    rec["subject_name"] = s.name
    rec["received_on"] = day
    rec["channel"] = _channel(r())
    category = block.pick(s.industry.complaint_categories)
    rec["category"] = category
    rec["summary"] = block.pick(COMPLAINT_TEXT[category])
    _outcome(block, rec, day, closed, failure)
    rec["complainant_name"] = person(r)
    rec["complainant_phone"] = mobile(r)
    block.emit("SCJG", "complaint", rec, benign)
    return rec
