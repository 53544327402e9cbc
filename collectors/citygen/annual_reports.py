"""Annual reports: one a year per market subject, filed in the legal window, or missing.

Why: a report missing past 30 June lists a subject as abnormal (orange), and three years on
that list make a serious violation (red); so the reports a colour's plan says are missing
are not written, and every other year's report is, as the enterprise credit information
system would show it.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table
from collectors.citygen.days import filing_window

FIRST_REPORT_YEAR = 2013  # the first year reported on the enterprise credit information system
EMAIL_DOMAINS = tuple(table("names")["email_domains"])


def _report_years(block, s) -> range:
    """The years reported on: since establishment (at most twelve), to the last the subject lived."""
    est_year = date.fromordinal(s.established).year
    last_year = block.as_of.year
    if s.quiet:
        last_year = min(last_year, date.fromordinal(s.trigger_day).year)
    return range(max(est_year, FIRST_REPORT_YEAR, block.as_of.year - 12), last_year)


def _submitted_on(block, s, y: int) -> int | None:
    """When the report for year `y` was filed; None: not (yet) filed as of the city's day."""
    r = block.r
    today = block.today
    opens, due = filing_window(y + 1)
    if opens > today - 1:
        return None
    if s.kept_abnormal_listing and s.kept_abnormal_listing[0] == y:
        return s.kept_abnormal_listing[3]  # filed late, after the listing
    if due > today - 1 and r() > (today - opens) / (due - opens + 1):
        return None  # this year's window is open and the subject has not filed yet
    submitted = opens + 60 + int((r() ** 0.5) * 120)
    return min(submitted, due, today - 1)


def annual_reports(block, s) -> None:
    """One report a year, filed by 30 June of the next year; none from the year a listing says is missing."""
    if not s.is_market:
        return
    r = block.r
    st = block.streams["SCJG"]["annual_report"]
    individual = s.type == "individual_business"
    employees = 1 + int(r() * (6 if individual else 60))
    assets = float(s.capital or 5) * (0.5 + r() * 2)
    for y in _report_years(block, s):
        if s.reports_stop_year is not None and y >= s.reports_stop_year:
            break
        submitted = _submitted_on(block, s, y)
        if submitted is None:
            continue
        rec = {
            "record_id": st.next_id(y + 1),
            "op": st.style.op,
            "updated_at": block.stamp_after(submitted, 2),
            "uscc": s.uscc,
            "subject_name": s.name,
            "year": y,
            "submitted_on": submitted,
            "employees": max(1, employees + int((r() - 0.5) * 4)),
            "phone": s.phone,
        }
        if not individual and r() < 0.1:
            rec["website"] = f"www.{s.uscc[10:16].lower()}.com.cn"
        if not individual and r() < 0.3:
            rec["email"] = f"{s.uscc[8:14].lower()}@{block.pick(EMAIL_DOMAINS)}"
        assets *= 0.9 + r() * 0.3
        rec["total_assets"] = round(assets, 2)
        rec["revenue"] = round(assets * (0.3 + r() * 1.5), 2)
        rec["assets_public"] = (not individual) and r() < 0.35
        block.emit("SCJG", "annual_report", rec)
