"""Licences: what a subject's business scope calls for, granted, renewed, expired or revoked.

Why: the post-licence catalogue (证照分离) ties scope items to licences and departments; a
city whose restaurants hold food licences and whose licences expire and are renewed on
their real terms lets the collectors, the public pages and 双告知 be shown on real shapes.
A restrictive penalty revokes the licence it names, so that licence is written revoked.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table
from collectors.citygen.documents import licence_number
from collectors.citygen.spellings import FOREVER

_LICENCES = table("licences")
CATALOG_YEARS = _LICENCES["validity_years"]  # validity in years of a licence; 0: no end (default 5)
EXTRA_LICENCES = _LICENCES["outside_catalogue"]  # department -> (licence, years, label)
LICENCE_CATEGORY = _LICENCES["categories"]
LICENCE_CONTENT = _LICENCES["contents"]


def licences(block, s) -> None:
    """Licences the business scope calls for (post-licence catalogue), mostly granted; and others."""
    r = block.r
    for idx in block.scope_matches(s.scope):
        e = block.catalog[idx]
        if s.showcase or r() < 0.85:
            years = CATALOG_YEARS.get(e.licence, 5)
            licence(block, s, e.department, e.licence, years, LICENCE_CATEGORY.get(e.licence, "ordinary"))
    for dept, p in s.industry.extra_licences:
        if s.showcase or r() < p:
            name, years, _label = EXTRA_LICENCES[dept]
            licence(block, s, dept, name, years, LICENCE_CATEGORY.get(name, "approval"))


def licence(block, s, dept: str, name: str, years: int, category: str) -> None:
    """The current licence and up to two expired ones before it (renewed every `years`)."""
    first = s.established + 3 + int(block.r() * 60)
    if first > block.today - 1:
        return
    revoked = s.revoked_licence_dept == dept and s.revoked_licence is None and s.trigger_day is not None
    if revoked:
        first = min(first, s.trigger_day - 1)
        if first < s.established:
            revoked = False
            first = s.established
    periods = _periods(block, s, first, years, revoked)
    for n, (start, end, status) in enumerate(periods):
        last = n == len(periods) - 1
        _licence_record(block, s, dept, name, category, start, end, status, last and revoked)


def _periods(block, s, first: int, years: int, revoked: bool) -> list[tuple[int, int | None, str]]:
    """(valid from, valid to, status) of each licence term, the current one last."""
    r = block.r
    periods: list[tuple[int, int | None, str]] = []
    if not years:
        end = FOREVER if r() < 0.5 else None
        return [(first, end, "valid" if s.status != "cancelled" else "cancelled")]
    period = years * 365
    end = s.trigger_day if revoked else block.today
    k = max(0, (end - 1 - first) // period)
    start = first + k * period
    for back in range(min(k, 2), 0, -1):  # the expired licences before the current one
        if r() < 0.7:
            status = "invalid" if r() < 0.6 else "cancelled"
            periods.append((start - back * period, start - (back - 1) * period - 1, status))
    periods.append((start, start + period - 1, "cancelled" if s.status == "cancelled" else "valid"))
    return periods


def _licence_record(
    block, s, dept: str, name: str, category: str, start: int, end: int | None, status: str, revoked: bool
) -> None:
    r = block.r
    st = block.streams[dept]["license"]
    year = date.fromordinal(start).year
    number = licence_number(name, s.uscc, dept, year, block.next_number(name))
    if revoked:
        status = "revoked"
        s.revoked_licence = (name, number)
    rec = block.base(st, year, block.stamp_after(start))
    block.identify(s, rec, False)
    rec["subject_name"] = s.name
    rec["subject_category"] = s.category
    rec["legal_representative"] = s.representative
    rec["legal_rep_id_type"] = "居民身份证"
    rec["legal_rep_id_number"] = s.representative_id
    rec["decision_document_name"] = "准予行政许可决定书"
    rec["document_number"] = number if r() < 0.4 else block.doc_number(dept, year, "许")
    rec["license_category"] = category
    rec["certificate_name"] = name
    rec["license_number"] = number
    rec["content"] = LICENCE_CONTENT.get(name, name)
    rec["decided_on"] = start
    rec["valid_from"] = start
    if end is not None:
        rec["valid_to"] = end
    rec["authority"] = block.authority(dept, s.district)
    rec["authority_uscc"] = block.dept[dept].uscc
    rec["status"] = status
    rec["data_source"] = block.dept[dept].name
    rec["data_source_uscc"] = block.dept[dept].uscc
    block.emit(dept, "license", rec)
