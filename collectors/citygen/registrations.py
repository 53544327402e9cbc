"""Registrations: the registry's record of each subject, the first record the city has of it.

Why: every other record names a subject the registration introduced; its status (revoked,
cancelled, moved out) is itself part of the colour rules, and a few registrations are sent
again — renamed, or fixed after the collectors quarantined them — to exercise versions.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.days import add_years
from collectors.citygen.people import ID_TYPES, trade_name
from collectors.citygen.spellings import FOREVER


def _approved_on(block, s) -> int:
    """The day of the registration's last approval: the revocation or departure, else any since."""
    if s.status == "revoked" or s.quiet:
        approved = s.trigger_day
    elif block.r() < 0.5:
        approved = s.established
    else:
        approved = block.day(s, 1, block.today - s.established, floor=0) or s.established
    return min(approved, block.today - 1)


def registration(block, s) -> None:
    r = block.r
    st = block.streams[s.registry]["registration"]
    approved = _approved_on(block, s)
    updated = block.stamp_after(approved, 3)
    rec = block.base(st, date.fromordinal(approved).year, updated)
    rec["uscc"] = s.uscc
    rec["name"] = s.name
    rec["subject_type"] = s.type
    rec["enterprise_type"] = s.enterprise_type
    rec["legal_representative"] = s.representative
    rec["legal_rep_id_type"] = block.pick(ID_TYPES)
    rec["legal_rep_id_number"] = s.representative_id
    if s.capital is not None:
        rec["registered_capital"] = float(s.capital)
    rec["established_on"] = s.established
    if s.is_market:
        rec["operating_from"] = s.established
        rec["operating_to"] = FOREVER if r() < 0.7 else add_years(s.established, 20 if r() < 0.5 else 30)
    rec["registration_authority"] = (
        block.authority("SCJG", s.district) if s.is_market else block.dept[s.registry].name
    )
    rec["approved_on"] = approved
    rec["status"] = s.status
    rec["address"] = s.address
    rec["district_code"] = s.district
    rec["industry_code"] = s.industry.code
    rec["business_scope"] = s.scope
    if s.registration_number:
        rec["registration_number"] = s.registration_number
    rec["organization_code"] = s.org_code if r() < 0.8 else s.org_code[:8] + "-" + s.org_code[8]
    rec["phone"] = s.phone
    if not s.showcase and s.trigger is None and r() < 0.002:
        _renamed(block, s, st, rec)
        return
    block.emit(s.registry, "registration", rec, benign=s.status != "revoked")


def _renamed(block, s, st, rec: dict) -> None:
    """The old name went out earlier; the new one is sent as a correction (a newer version)."""
    old = dict(rec)
    old["name"] = s.name.replace(s.name[len(s.name) // 3 : len(s.name) // 3 + 2], trade_name(block.r), 1)
    st.emit(old)
    rec["updated_at"] = block.morning_stamp()
    block.emit_correction(s.registry, "registration", rec)
    block.versions["updated"] += 1
