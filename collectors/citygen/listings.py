"""The market regulator's lists: abnormal operations (经营异常名录) and serious violations (严重违法失信名单).

Why: a subject on the abnormal list is orange and one on the serious-violation list red,
until removed; benign listings, long since removed, show the removal fields and keep the
lists from being only the triggers. A serious violation often follows three years on the
abnormal list, so the plan may write both.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.courts import dishonest_debtor
from collectors.citygen.penalties import SERIOUS_REASONS


def abnormal_listing(block, s, listed: int, reason: str, removed: int | None, benign: bool) -> None:
    st = block.streams["SCJG"]["abnormal_listing"]
    year = date.fromordinal(listed).year
    rec = block.base(st, year, block.stamp_after(removed or listed, 3))
    rec["uscc"] = s.uscc
    rec["subject_name"] = s.name
    rec["listed_on"] = listed
    rec["listing_reason"] = reason
    authority = block.authority("SCJG", s.district)
    rec["listing_authority"] = authority
    rec["listing_document_number"] = block.doc_number("SCJG", year, "异列")
    if removed is not None:
        rec["removed_on"] = removed
        rec["removal_reason"] = (
            "补报未报年份的年度报告并公示"
            if reason == "no_annual_report"
            else "依法办理住所变更登记，恢复正常记载状态"
        )
        if block.r() < 0.8:
            rec["removal_authority"] = authority
    block.emit("SCJG", "abnormal_listing", rec, benign)


def serious_violation(block, s, listed: int, reason: str, removed: int | None, benign: bool) -> None:
    st = block.streams["SCJG"]["serious_violation"]
    year = date.fromordinal(listed).year
    rec = block.base(st, year, block.stamp_after(removed or listed, 3))
    rec["uscc"] = s.uscc
    rec["subject_name"] = s.name
    rec["listed_on"] = listed
    rec["listing_reason"] = reason
    rec["authority"] = block.authority("SCJG", s.district)
    rec["document_number"] = block.doc_number("SCJG", year, "严列")
    if removed is not None:
        rec["removed_on"] = removed
        rec["removal_reason"] = "信用修复申请经审核同意"
    block.emit("SCJG", "serious_violation", rec, benign)


def benign_listings(block, s) -> None:
    """Listings since removed: a kept abnormal listing, rare unreachable ones, debtors, violators."""
    r = block.r
    today = block.today
    if s.kept_abnormal_listing:
        _, listed, removed, _ = s.kept_abnormal_listing
        abnormal_listing(block, s, listed, "no_annual_report", removed, benign=True)
    if s.is_market and r() < 0.004 and s.trigger != "abnormal_listing":
        listed = block.day(s, 200, 1500, floor=90)
        if listed:
            removed = min(listed + 30 + int(r() * 150), today - 1)
            abnormal_listing(block, s, listed, "unreachable", removed, benign=True)
    if r() < 0.006:
        day = block.day(s, 120, 2500, floor=200)
        if day:
            dishonest_debtor(block, s, day, min(day + 60 + int(r() * 500), today - 1), benign=True)
    if s.is_market and r() < 0.0015:
        day = block.day(s, 400, 2500, floor=200)
        if day:
            reason = block.pick(SERIOUS_REASONS)
            serious_violation(block, s, day, reason, min(day + 365 + int(r() * 400), today - 1), True)
