"""Debts and rights over property: arrears owed to the state, utilities and banks; pledges and freezes.

Why: arrears outstanding long enough are a colour trigger (yellow, or orange when old), so
benign arrears are settled and the plan's are not; equity pledges, chattel mortgages and
court freezes fill the property-right feed as the registry and courts report them.
"""

from __future__ import annotations

import bisect
from datetime import date

from collectors.citygen.courts import COURTS
from collectors.citygen.data import table, tuples
from collectors.citygen.people import person
from collectors.citygen.places import CITY

_DEBTS = table("debts")
ARREARS_MIX = tuples(_DEBTS["arrears_mix"])  # (type, department, weight)
ARREARS_CDF = [
    sum(w for *_, w in ARREARS_MIX[: i + 1]) / sum(w for *_, w in ARREARS_MIX)
    for i in range(len(ARREARS_MIX))
]
ARREARS_CDF[-1] = 1.0
ARREARS_AMOUNT = _DEBTS["arrears_amount_range"]  # 万元, drawn log-uniformly
BANKS = tuple(_DEBTS["banks"])
UTILITIES = tuple(_DEBTS["utilities"])


def draw_arrears_type(block) -> tuple[str, str]:
    """(arrears type, reporting department), drawn by the mix."""
    atype, dept, _ = ARREARS_MIX[bisect.bisect_left(ARREARS_CDF, block.r())]
    return atype, dept


def arrears(block, s) -> None:
    """Benign arrears: each settled within a year of falling due."""
    r = block.r
    if s.type == "government_agency":
        mean = 0.1
    elif s.type == "individual_business":
        mean = 0.65
    else:
        mean = 1.1
    for _ in range(block.poisson(mean)):
        atype, dept = draw_arrears_type(block)
        if atype == "loan" and s.type in ("government_agency", "public_institution"):
            atype, dept = "utilities", "SDQ"
        since = block.day(s, 30, 2500, floor=30)
        if since is None:
            return
        settled = min(since + 10 + int(r() * 300), block.today - 1)
        arrear(block, s, dept, atype, since, settled, benign=True)


def arrear(block, s, dept: str, atype: str, since: int, settled: int | None, benign: bool) -> None:
    block.emit(dept, "arrears", arrear_record(block, s, dept, atype, since, settled), benign)


def arrear_record(block, s, dept: str, atype: str, since: int, settled: int | None) -> dict:
    """An arrear as reported: settled, or outstanding as of the last month end."""
    r = block.r
    today = block.today
    st = block.streams[dept]["arrears"]
    lo, hi = ARREARS_AMOUNT[atype]
    amount = round(lo * (hi / lo) ** r(), 2)
    if settled is not None:
        as_of = settled
    else:
        month_end = date.fromordinal(today - 1).replace(day=1).toordinal() - 1
        as_of = month_end if month_end >= since else today - 1
    rec = block.base(st, date.fromordinal(since).year, block.stamp_after(as_of, 3))
    rec["uscc"] = s.uscc if r() > 0.01 else s.uscc.lower()
    rec["subject_name"] = s.name
    rec["arrears_type"] = atype
    rec["amount"] = amount
    rec["since"] = since
    rec["as_of"] = as_of
    rec["creditor"] = _creditor(block, dept, atype, s)
    if settled is not None:
        rec["settled_on"] = settled
    return rec


def _creditor(block, dept: str, atype: str, s) -> str:
    if atype == "tax":
        dname = block.districts.names[s.district]
        return f"国家税务总局{CITY}市{dname}税务局" if dname.endswith("区") else f"国家税务总局{dname}税务局"
    if atype == "loan":
        return block.pick(BANKS)
    if atype == "utilities":
        return block.pick(UTILITIES)
    if atype == "wages":
        return f"{3 + int(block.r() * 60)}名职工"
    if atype == "social_security":
        return f"{CITY}市社会保险事业管理局"
    if atype == "medical_insurance":
        return f"{CITY}市医疗保障局"
    return block.dept[dept].name


def property_rights(block, s) -> None:
    """Enterprises (and a few cooperatives) pledge equity and mortgage chattels."""
    r = block.r
    if s.type != "enterprise" and not (s.type == "farmer_cooperative" and r() < 0.2):
        return
    for _ in range(block.poisson(0.45)):
        x = r()
        rtype = "equity_pledge" if x < 0.5 else ("chattel_mortgage" if x < 0.9 else "equity_freeze")
        property_right(block, s, rtype)


def _registration_and_counterparty(block, s, rtype: str, year: int) -> tuple[str, str]:
    r = block.r
    if rtype == "equity_freeze":
        court, prefix = block.pick(COURTS)
        return block.case_number(prefix, year, "执"), court
    if rtype == "equity_pledge":
        number = f"{s.uscc[2:8]}{year}{block.next_number('equity_pledge'):07d}"
        return number, block.pick(BANKS) if r() < 0.6 else person(r)
    return f"{s.uscc[2:8]}{year}{block.next_number('mortgage'):06d}", block.pick(BANKS)


def property_right(block, s, rtype: str, day: int | None = None) -> None:
    """A pledge or mortgage (registry) or an equity freeze (court), current or since released."""
    r = block.r
    dept = "ZY" if rtype == "equity_freeze" else "SCJG"
    day = day or block.day(s, 1, 2500, floor=30)
    if day is None:
        return
    st = block.streams[dept]["property_right"]
    year = date.fromordinal(day).year
    released = None
    x = r()
    status = "valid"
    if x < 0.35 and day < block.today - 30:
        status = "released"
        released = min(day + 30 + int(r() * 700), block.today - 1)
    elif x < 0.42:
        status = "invalid"
    rec = block.base(st, year, block.stamp_after(released or day, 5))
    rec["uscc"] = s.uscc
    rec["subject_name"] = s.name
    rec["right_type"] = rtype
    rec["registration_no"], rec["counterparty"] = _registration_and_counterparty(block, s, rtype, year)
    rec["amount"] = round(10 * (100 ** r()), 2)
    rec["registered_on"] = day
    rec["status"] = status
    if released:
        rec["released_on"] = released
    block.emit(dept, "property_right", rec)
