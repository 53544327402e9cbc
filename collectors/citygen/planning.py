"""How each subject gets exactly its target colour: a trigger chosen before any record is written.

Why: the colour rules (docs/rules.md §2) must find each subject's target colour in the files,
no more and no less. So before a subject's records are drawn, its plan says which record
will make its colour (a dishonest-debtor listing for red, a heavy penalty for orange, an
overdue arrear for yellow…), on which day, and what that implies for the rest: a revoked
subject's status, the annual reports an abnormal listing says are missing, the licence a
restrictive penalty revokes. The record families then write benign records around the plan.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.penalties import penalty_dept

ABNORMAL_LISTING_DELAY = 3  # listings are published in early July, a few days apart per subject


def plan(block, s) -> None:
    """Choose what makes the subject its target colour (a trigger), and its status, before any record."""
    _green_status(block, s)
    if s.quiet:
        s.trigger_day = block.day(s, 30, 1000) or block.today - 1
    if s.colour != "green":
        s.trigger = _draw_trigger(block, s)
        key = f"{s.colour}:{s.trigger}"
        block.triggers[key] = block.triggers.get(key, 0) + 1
    _trigger_day(block, s)
    _kept_abnormal_listing(block, s)


def _green_status(block, s) -> None:
    """Some green market subjects are cancelled or moved away (quiet), some are marked operating."""
    if s.colour != "green":
        return
    x = block.r()
    if s.showcase or not s.is_market:
        return
    if x < 0.012:  # cancelled or moved away: only its registration, reports and licences remain
        s.status, s.quiet = "cancelled", True
    elif x < 0.015:
        s.status, s.quiet = "moved_out", True
    elif x < 0.2:
        s.status = "operating"


def _trigger_options(block, s) -> list[tuple[str, int]]:
    """The triggers a subject of this colour, type and age can have, with their weights."""
    old_enough = s.established <= block.today - 240
    if s.colour == "red":
        options = [("dishonest_debtor", 30), ("court_refusal", 12)]
        if s.is_market or s.type == "social_organization":
            options.append(("restrictive_penalty", 18))
        if s.is_market:
            options += [("serious_violation", 25)]
            if old_enough:
                options.append(("revoked_registration", 15))
    elif s.colour == "orange":
        options = [("heavy_penalty", 30)]
        if s.type != "government_agency":
            options.append(("bad_inspection", 12))
        if old_enough:
            options.append(("long_arrears", 20))
        if s.is_market:
            options.append(("abnormal_listing", 45))
    else:
        options = [("penalty", 45), ("arrears", 30), ("inspection", 15), ("complaints", 10)]
    return options


def _draw_trigger(block, s) -> str:
    options = _trigger_options(block, s)
    x = block.r() * sum(w for _, w in options)
    for name, w in options:
        x -= w
        if x < 0:
            return name
    return options[-1][0]


def _trigger_day(block, s) -> None:
    """The day of the triggering record, and what the trigger implies before it is written."""
    r = block.r
    t = s.trigger
    if t == "revoked_registration":
        s.trigger_day = block.day(s, 30, 1500, floor=200)
        s.status = "revoked"
        s.reports_stop_year = date.fromordinal(s.trigger_day).year - 1
    elif t == "restrictive_penalty":
        s.trigger_day = block.day(s, 15, 1000, floor=30)
        s.trigger_dept = penalty_dept(block, s, restrictive=True)
        s.revoked_licence_dept = s.trigger_dept
    elif t == "abnormal_listing":
        s.trigger_day = None
        years = missing_report_years(block, s, 30, 1000)
        if years:
            y, listed = years[int(r() * len(years))]
            s.trigger_day, s.reports_stop_year, s.abnormal_reason = listed, y, "no_annual_report"
        else:
            s.trigger_day, s.abnormal_reason = block.day(s, 30, 1000, floor=30), "unreachable"
    elif t == "serious_violation":
        # Three years on the abnormal list make a serious violation (or another serious reason does).
        s.listed_abnormal_on = None
        years = missing_report_years(block, s, 15 + 1096 + 60, 1400 + 1096)
        if years and r() < 0.7:
            y, listed = years[int(r() * len(years))]
            s.listed_abnormal_on = listed
            s.reports_stop_year = y
            s.trigger_day = min(listed + 1096 + int(r() * 60), block.today - 15)
        else:
            s.trigger_day = block.day(s, 15, 1400, floor=60)


def _kept_abnormal_listing(block, s) -> None:
    """A few benign market subjects were listed for a missing report, filed it late and were removed."""
    r = block.r
    if (
        s.is_market
        and not s.quiet
        and s.trigger not in ("abnormal_listing", "serious_violation", "revoked_registration")
        and r() < 0.04
    ):
        years = missing_report_years(block, s, 60, 1400)
        if years:
            y, listed = years[int(r() * len(years))]
            removed = min(listed + 20 + int(r() * 380), block.today - 1)
            s.kept_abnormal_listing = (y, listed, removed, max(listed, removed - 1 - int(r() * 10)))


def missing_report_years(block, s, lo: int, hi: int) -> list[tuple[int, int]]:
    """Report years whose abnormal listing (early July of the next year) falls in the window."""
    out = []
    est_year = date.fromordinal(s.established).year
    for y in range(est_year, block.as_of.year):
        listed = date(y + 1, 7, 1).toordinal() + ABNORMAL_LISTING_DELAY + (s.index * 7 + y) % 40
        if block.today - hi <= listed <= block.today - lo and listed > s.established + 60:
            out.append((y, listed))
    return out
