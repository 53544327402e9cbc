"""The records that make each subject its target colour, one function per trigger of the plan.

Why: these records are what the colour rules must find, so they are written exactly as
planned and never made bad (`benign=False`): the colour of every subject is then known
before the collectors read a file, and the tests can check the engine against it.
"""

from __future__ import annotations

from collections.abc import Callable

from collectors.citygen.complaints import complaint
from collectors.citygen.courts import dishonest_debtor, judgment
from collectors.citygen.debts import arrear, draw_arrears_type, property_right
from collectors.citygen.inspections import inspection
from collectors.citygen.listings import abnormal_listing, serious_violation
from collectors.citygen.penalties import (
    REVOKED_REGISTRATION_VIOLATION,
    SERIOUS_FROM_ABNORMAL,
    SERIOUS_REASONS,
    penalty,
    penalty_dept,
)


def _serious_violation(block, s) -> None:
    if s.listed_abnormal_on:
        abnormal_listing(block, s, s.listed_abnormal_on, "no_annual_report", None, benign=False)
        reason = SERIOUS_FROM_ABNORMAL
    else:
        reason = block.pick(SERIOUS_REASONS)
    serious_violation(block, s, s.trigger_day, reason, None, benign=False)


def _dishonest_debtor(block, s) -> None:
    day = block.day(s, 15, 1400, floor=90) or block.day(s, 1, 1400, floor=1)
    judged = max(s.established + 1, day - 60 - int(block.r() * 300))
    judgment(block, s, judged, "defendant", None, benign=True)
    dishonest_debtor(block, s, day, None, benign=False)
    if s.type == "enterprise" and block.r() < 0.3:
        property_right(block, s, "equity_freeze", min(day + 10, block.today - 1))


def _court_refusal(block, s) -> None:
    day = block.day(s, 60, 1000, floor=30) or block.day(s, 15, 1000, floor=1)
    judgment(block, s, day, "defendant" if block.r() < 0.7 else "respondent", True, benign=False)


def _restrictive_penalty(block, s) -> None:
    penalty(block, s, "restrict", s.trigger_day, s.trigger_dept, benign=False)


def _revoked_registration(block, s) -> None:
    s.revoked_licence = None
    violation = REVOKED_REGISTRATION_VIOLATION
    penalty(block, s, "revoke_business", s.trigger_day, "SCJG", benign=False, violation=violation)


def _abnormal_listing(block, s) -> None:
    abnormal_listing(block, s, s.trigger_day, s.abnormal_reason, None, benign=False)


def _heavy_penalty(block, s) -> None:
    day = block.day(s, 15, 1000, floor=20)
    penalty(block, s, "heavy", day, penalty_dept(block, s), benign=False)


def _bad_inspection(block, s) -> None:
    day = block.day(s, 15, 330, floor=20)
    if s.is_market:
        dept, result = "SCJG", block.pick(("false_disclosure", "unreachable", "unreachable", "refused"))
    else:
        dept, result = "XF", "refused"
    inspection(block, s, dept, day, result, benign=False)


def _long_arrears(block, s) -> None:
    since = block.day(s, 220, 1000, floor=10)
    atype, dept = ("tax", "SWJ") if block.r() < 0.6 else ("wages", "RSJ")
    arrear(block, s, dept, atype, since, None, benign=False)


def _penalty(block, s) -> None:
    day = block.day(s, 15, 330, floor=10)
    penalty(block, s, "light", day, penalty_dept(block, s), benign=False)


def _arrears(block, s) -> None:
    atype, dept = draw_arrears_type(block)
    recent = atype in ("tax", "wages")  # tax and wage arrears count once 20 days overdue
    since = block.day(s, 20, 150, floor=10) if recent else block.day(s, 15, 900, floor=10)
    arrear(block, s, dept, atype, since, None, benign=False)


def _inspection(block, s) -> None:
    day = block.day(s, 15, 330, floor=10)
    if s.is_market:
        result = "corrected" if block.r() < 0.6 else "undisclosed"
        inspection(block, s, "SCJG", day, result, benign=False)
    else:
        inspection(block, s, "XF", day, "corrected", benign=False)


def _complaints(block, s) -> None:
    """Three failed mediations within a year."""
    for _ in range(3):
        day = block.day(s, 20, 300, floor=5)
        complaint(block, s, day, True, benign=False)


TRIGGERS: dict[str, Callable] = {
    "serious_violation": _serious_violation,
    "dishonest_debtor": _dishonest_debtor,
    "court_refusal": _court_refusal,
    "restrictive_penalty": _restrictive_penalty,
    "revoked_registration": _revoked_registration,
    "abnormal_listing": _abnormal_listing,
    "heavy_penalty": _heavy_penalty,
    "bad_inspection": _bad_inspection,
    "long_arrears": _long_arrears,
    "penalty": _penalty,
    "arrears": _arrears,
    "inspection": _inspection,
    "complaints": _complaints,
}
