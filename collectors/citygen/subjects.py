"""A subject of the city while its records are generated: who it is and what it is meant to be.

Why: everything a subject's records say — codes, name, district, age, representative — is
drawn once here, in a fixed order from the block's random stream, and then only read by the
record families, so that every record about a subject agrees with its registration.
"""

from __future__ import annotations

from collectors.citygen.codes import assign_codes
from collectors.citygen.colours import colour_for
from collectors.citygen.names import name_and_scope
from collectors.citygen.people import id_number, person, phone
from collectors.citygen.places import address

MARKET_TYPES = ("enterprise", "individual_business", "farmer_cooperative")


class Subject:
    """One subject: codes, names, and the plan for its colour (slots: a block makes thousands)."""

    __slots__ = (
        "index",
        "colour",
        "type",
        "uscc",
        "org_code",
        "registration_number",
        "name",
        "district",
        "district_name",
        "established",
        "industry",
        "scope",
        "representative",
        "representative_id",
        "phone",
        "is_market",
        "category",
        "status",
        "trigger",
        "address",
        "registry",
        "showcase",
        "failed_mediations_left",
        "reports_stop_year",
        "revoked_licence_dept",
        "revoked_licence",
        "kept_abnormal_listing",
        "capital",
        "enterprise_type",
        "trigger_day",
        "trigger_dept",
        "quiet",
        "listed_abnormal_on",
        "abnormal_reason",
    )

    def __init__(self, index: int, colour: str, showcase: bool):
        self.index = index
        self.colour = colour
        self.showcase = showcase  # among the first subjects, which show every industry and type
        self.failed_mediations_left = 1  # a benign subject has at most one failed mediation
        self.reports_stop_year = None  # annual reports stop from this year (a listing says they are missing)
        self.revoked_licence_dept = None  # the department whose licence the trigger revokes
        self.revoked_licence = None  # (licence name, number) once that licence is written
        self.kept_abnormal_listing = (
            None  # (report year, listed, removed, report filed late) of a benign listing
        )
        self.trigger = None  # what makes the target colour
        self.trigger_day = None
        self.trigger_dept = None
        self.listed_abnormal_on = None  # the day of the abnormal listing a serious violation follows
        self.abnormal_reason = None  # why an abnormal-listing trigger lists the subject
        self.quiet = False  # cancelled or moved away: no activity records
        self.enterprise_type = None


def _age_in_days(r, subject_type: str, colour: str, showcase: bool) -> int:
    """How long ago the subject was established: a city of mostly young businesses."""
    x = r()
    if subject_type in ("public_institution", "government_agency"):
        ago = 2500 + int(r() * 20000) if x < 0.9 else 300 + int(r() * 2200)
    elif x < 0.38:
        ago = 1 + int(r() * 1095)
    elif x < 0.70:
        ago = 1095 + int(r() * 1825)
    elif x < 0.92:
        ago = 2920 + int(r() * 2555)
    else:
        ago = 5475 + int(r() * 5475)
    if colour != "green" and ago < 120:  # old enough for the records its colour needs
        ago = 120 + int(r() * 700)
    if showcase:
        ago = 1500 + ago % 3000
    return ago


def new_subject(block, i: int) -> Subject:
    """Draw subject `i` of the city: type, district, age, codes, people, name and scope."""
    r = block.r
    showcase = i < len(block.showcase)
    s = Subject(i, colour_for(i, block.offset), showcase)
    industry_idx = None
    if showcase:
        s.type, industry_idx = block.showcase[i]
    else:
        s.type = block.type_names[block.pick_cdf(block.type_cdf)]
    s.is_market = s.type in MARKET_TYPES
    s.district = block.districts.codes[block.pick_cdf(block.district_cdf)]
    s.district_name = block.districts.names[s.district]
    s.established = block.today - _age_in_days(r, s.type, s.colour, showcase)
    assign_codes(r, block.code_permutations, s)
    s.representative = person(r)
    s.representative_id = id_number(r)
    s.phone = phone(r)
    s.address = address(r, block.districts, s.district)
    s.category = "individual_business" if s.type == "individual_business" else "legal_person"
    s.status = "existing"
    s.industry = None
    s.capital = None
    name_and_scope(block, s, industry_idx)
    if s.is_market:
        s.registry = "SCJG"
    else:
        s.registry = "MZJ" if s.type == "social_organization" else "BB"
    return s
