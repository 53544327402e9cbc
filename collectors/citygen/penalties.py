"""Administrative penalties: warnings and fines, heavy penalties (orange), restrictive ones (red).

Why: the colour rules grade penalties by what they impose — a fine within a year makes a
subject yellow, confiscation or a suspended licence orange, a revoked licence or a closure
red — so each penalty is drawn with the measures, amounts, document numbers and terms a
department of that kind would impose, and benign penalties are old or light enough to
leave the colour alone. Violations, legal bases and fine scales live in `data/penalties.json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from collectors.citygen.data import table, tuples
from collectors.citygen.days import add_years
from collectors.citygen.spellings import FOREVER, enum_label, rmb_upper

_PENALTIES = table("penalties")
VIOLATIONS = _PENALTIES["violations"]  # department -> (violation type, facts, legal basis)
GENERAL_PENALTY_DEPTS = tuples(
    _PENALTIES["general_departments"]
)  # (department, weight), not tied to industry
# Heavy (orange) and restrictive (red) categories a department may impose.
RESTRICTIVE_BY_DEPT = _PENALTIES["restrictive_by_department"]
HEAVY_BY_DEPT = _PENALTIES["heavy_by_department"]
REVOKED_REGISTRATION_VIOLATION = tuple(_PENALTIES["revoked_registration_violation"])
SERIOUS_REASONS = tuple(_PENALTIES["serious_violation_reasons"])
SERIOUS_FROM_ABNORMAL = _PENALTIES["serious_violation_from_abnormal"]


@dataclass
class Measures:
    """What a penalty imposes; fines and confiscations in 万元."""

    categories: list[str] = field(default_factory=list)
    fine: float = 0.0
    confiscated: float = 0.0
    simple: bool = False  # decided in the simple procedure (a 简罚 number, published for a year)
    licence: str | None = None  # the licence suspended or revoked


def penalty_dept(block, s, restrictive: bool = False) -> str:
    """The punishing department: mostly one that punishes the industry, else a general one."""
    r = block.r
    if s.type == "social_organization" and r() < 0.7:
        return "MZJ"
    own = [d for d in s.industry.punished_by if "penalty" in block.dept[d].kinds]
    if restrictive:
        own = [d for d in own if d in RESTRICTIVE_BY_DEPT]
        if not own:
            return "MZJ" if s.type == "social_organization" else "SCJG"
        return own[int(r() * len(own))]
    if own and r() < 0.6:
        return own[int(r() * len(own))]
    dept = GENERAL_PENALTY_DEPTS[block.pick_cdf(block.penalty_dept_cdf)][0]
    if dept == "SCJG" and not s.is_market:
        dept = "SWJ"
    return dept


def benign_penalties(block, s) -> None:
    """Warnings any time, light penalties over a year ago, heavy ones over three years ago."""
    r = block.r
    if s.showcase:  # every department that punishes this industry shows up in a small city
        for dept in s.industry.punished_by:
            day = block.day(s, 1, 2500, floor=20)
            if day is not None:
                penalty(block, s, "warning", day, dept, benign=True)
    mean = 1.05 if s.is_market else 0.4
    for _ in range(block.poisson(mean)):
        x = r()
        if x < 0.4:
            day = block.day(s, 1, 2500, floor=20)
            mode = "warning"
        elif x < 0.87:
            day = block.day(s, 400, 2500, floor=20)
            mode = "light"
        else:
            day = block.day(s, 1200, 3000, floor=20)
            mode = "heavy"
        if day is not None:
            penalty(block, s, mode, day, penalty_dept(block, s), benign=True)


def _light(block, s) -> Measures:
    r = block.r
    pick = block.pick
    m = Measures()
    x = r()
    if x < 0.35:
        m.simple = True
        fines = "simple_fines_legal_person" if s.category == "legal_person" else "simple_fines_individual"
        m.fine = pick(_PENALTIES[fines])
        m.categories = ["fine"] if r() < 0.6 else ["warning", "fine"]
    elif x < 0.92:
        m.fine = pick(_PENALTIES["ordinary_fines"])
        m.categories = ["fine"] if r() < 0.8 else ["warning", "fine"]
    else:
        m.categories = ["circulated_criticism"] if r() < 0.5 else ["circulated_criticism", "fine"]
        if "fine" in m.categories:
            m.fine = block.pick(_PENALTIES["criticism_fines"])
    return m


def _heavy(block, dept: str) -> Measures:
    r = block.r
    m = Measures()
    options = HEAVY_BY_DEPT.get(dept, ())
    if options and r() < 0.5:
        extra = options[int(r() * len(options))]
        m.categories = [extra]
        if extra.startswith("confiscate"):
            m.confiscated = round(0.05 + r() * 20, 4)
        if r() < 0.7:
            m.categories.append("fine")
            m.fine = block.pick(_PENALTIES["heavy_side_fines"])
        if extra in ("suspend_license", "lower_qualification"):
            m.licence = block.pick(("许可证", "资质证书"))
    else:
        m.categories = ["fine"]
        m.fine = block.pick(_PENALTIES["heavy_fines"])
    return m


def _restrictive(block, s, dept: str) -> Measures:
    r = block.r
    options = RESTRICTIVE_BY_DEPT.get(dept, ("revoke_license",))
    extra = options[int(r() * len(options))]
    m = Measures(categories=[extra])
    if r() < 0.6:
        m.categories.append("fine")
        m.fine = block.pick(_PENALTIES["restrictive_fines"])
    if extra == "revoke_license":
        if s.revoked_licence:
            m.licence = s.revoked_licence[0]
        else:
            m.licence = "营业执照" if dept == "SCJG" else "许可证"
    return m


def _measures(block, s, mode: str, dept: str) -> Measures:
    if mode == "warning":
        return Measures(categories=["warning"], simple=block.r() < 0.8)
    if mode == "light":
        return _light(block, s)
    if mode == "heavy":
        return _heavy(block, dept)
    if mode == "revoke_business":
        return Measures(categories=["revoke_license"], licence="营业执照")
    return _restrictive(block, s, dept)


def _content(block, m: Measures) -> str:
    """The decision's wording of what it imposes (罚款人民币伍仟元，吊销许可证)."""
    content = []
    for c in m.categories:
        if c == "fine":
            content.append(f"罚款人民币{rmb_upper(round(m.fine * 10000))}")
        elif c in ("confiscate_illegal_gains", "confiscate_illegal_property"):
            content.append(
                f"{enum_label('penalty_category', c)}人民币{rmb_upper(round(m.confiscated * 10000))}"
            )
        elif c == "revoke_license":
            content.append(f"吊销{m.licence}")
        elif c == "order_suspension":
            content.append(f"责令停产停业{block.pick(('一', '三', '六'))}个月")
        elif c == "restrict_practice":
            content.append(f"{block.pick(('五', '十'))}年内不得从事相关经营活动")
        else:
            content.append(enum_label("penalty_category", c))
    return "，".join(content)


def _terms(block, rec: dict, m: Measures, day: int) -> None:
    """How long the decision is published, and how long a restriction lasts."""
    cats = m.categories
    if cats != ["warning"]:
        rec["publish_until"] = add_years(day, 1 if m.simple else 3)
    if "restrict_practice" in cats:
        rec["penalty_valid_to"] = add_years(day, 5)
    elif "order_suspension" in cats or "suspend_license" in cats:
        rec["penalty_valid_to"] = day + 90
    elif "revoke_license" in cats and block.r() < 0.5:
        rec["penalty_valid_to"] = FOREVER


def penalty(
    block, s, mode: str, day: int, dept: str, benign: bool, violation: tuple[str, str, str] | None = None
) -> dict:
    """One penalty decision of `mode` (warning, light, heavy, restrict, revoke_business)."""
    r = block.r
    st = block.streams[dept]["penalty"]
    year = date.fromordinal(day).year
    rec = block.base(st, year, block.stamp_after(day, 7))
    block.identify(s, rec, False)
    rec["subject_name"] = s.name
    rec["subject_category"] = s.category
    rec["legal_representative"] = s.representative
    rec["legal_rep_id_type"] = "身份证"
    rec["legal_rep_id_number"] = s.representative_id
    vtype, facts, basis = violation or block.pick(VIOLATIONS[dept])
    rec["violation_type"] = vtype
    rec["violation_facts"] = (
        facts if r() < 0.9 else f"经查，当事人{facts}。\n以上事实有现场检查笔录、询问笔录等证据证实。"
    )
    rec["legal_basis"] = basis
    m = _measures(block, s, mode, dept)
    rec["penalty_categories"] = m.categories
    rec["penalty_content"] = _content(block, m)
    if m.fine:
        rec["fine_amount"] = m.fine
    if m.confiscated:
        rec["confiscation_amount"] = m.confiscated
    if m.licence:
        revoked = s.revoked_licence
        number = revoked[1] if revoked and m.licence == revoked[0] else ""
        rec["suspended_or_revoked_license"] = f"{m.licence}（{number}）" if number else m.licence
    rec["document_number"] = block.doc_number(dept, year, "简罚" if m.simple else "处罚", s.district)
    rec["decided_on"] = day
    _terms(block, rec, m, day)
    rec["authority"] = block.authority(dept, s.district)
    rec["authority_uscc"] = block.dept[dept].uscc
    rec["procedure"] = "simple" if m.simple else "ordinary"
    rec["data_source"] = block.dept[dept].name
    rec["data_source_uscc"] = block.dept[dept].uscc
    block.emit(dept, "penalty", rec, benign)
    return rec
