"""Honours (守合同重信用, A-level taxpayer…) for some green subjects.

Why: honours are shown on the public pages and weigh in 双告知, and a subject of any other
colour holding one would contradict its colour; so only green market subjects get them,
from the departments that award them to their industry.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table
from collectors.citygen.spellings import FOREVER

HONORS = table("departments")["honours"]  # department -> (honour, validity in years, 0: none)
HONOURED_TYPES = {"enterprise": 0.12, "farmer_cooperative": 0.08, "individual_business": 0.02}
INDIVIDUAL_HONOUR = "南昌市放心消费示范单位"


def _awarding_dept(block, s) -> str:
    """Construction and real estate: the housing bureau; industry and IT: the industry bureau; else any."""
    r = block.r
    code = s.industry.code
    if s.showcase:
        if code[0] in "EK":
            return "ZJJ"
        return "GXJ" if code[0] in "CI" else ("SCJG", "SWJ", "FGW")[s.index % 3]
    if code[0] in "EK":
        return "ZJJ" if r() < 0.6 else "SWJ"
    if code[0] in "CI" and r() < 0.4:
        return "GXJ"
    x = r()
    return "SCJG" if x < 0.45 else ("SWJ" if x < 0.85 else "FGW")


def _award_day(block, s, dept: str) -> int | None:
    """A day at least a year after establishment; A-level taxpayers are announced in April."""
    day = block.day(s, 10, 1500, floor=365)
    if day is None:
        return None
    if dept == "SWJ":  # A-level taxpayers are announced in April for the year before
        y = date.fromordinal(day).year
        day = min(date(y, 4, 15 + int(block.r() * 10)).toordinal(), block.today - 1)
        if day <= s.established + 365:
            return None
    return day


def honour(block, s) -> None:
    r = block.r
    if s.colour != "green" or s.type not in HONOURED_TYPES:
        return
    if r() >= HONOURED_TYPES[s.type] and not s.showcase:
        return
    dept = _awarding_dept(block, s)
    if s.type == "individual_business":
        dept = "SCJG"
    name, years = block.pick(HONORS[dept])
    if s.type == "individual_business":
        name = INDIVIDUAL_HONOUR
    day = _award_day(block, s, dept)
    if day is None:
        return
    st = block.streams[dept]["honor"]
    rec = block.base(st, date.fromordinal(day).year, block.stamp_after(day, 5))
    rec["uscc"] = s.uscc
    rec["subject_name"] = s.name
    rec["honor_name"] = name
    rec["awarded_on"] = day
    rec["authority"] = block.dept[dept].name
    if years:
        rec["valid_to"] = date(date.fromordinal(day).year + years, 12, 31).toordinal()
    elif r() < 0.5:
        rec["valid_to"] = FOREVER
    if r() < 0.03 and day < block.today - 60:
        rec["revoked_on"] = min(day + 30 + int(r() * 300), block.today - 1)
    block.emit(dept, "honor", rec)
