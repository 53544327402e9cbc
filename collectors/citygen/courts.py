"""The courts' records: judgments, refusals to perform them, and dishonest judgment debtors.

Why: a listed dishonest debtor (失信被执行人) or a refusal to perform a judgment makes a
subject red; judgments where it sued or was sued, and listings since removed, are benign.
Case numbers follow the courts' own numbering, per court, kind and year.
"""

from __future__ import annotations

from datetime import date

from collectors.citygen.data import table, tuples
from collectors.citygen.spellings import amount_text

_COURTS = table("courts")
COURTS = tuples(_COURTS["courts"])  # (court, case number prefix); the intermediate court first
CAUSES = tuple(_COURTS["causes"])
OBLIGATIONS = tuple(_COURTS["obligations"])
DISHONEST_BEHAVIOURS = tuple(_COURTS["dishonest_behaviours"])
CASE_RATES = {"enterprise": 0.6, "individual_business": 0.15, "farmer_cooperative": 0.2}  # cases a year


def court_cases(block, s) -> None:
    """Benign judgments: the subject as plaintiff, defendant (most perform) or third party."""
    mean = CASE_RATES.get(s.type, 0.1)
    for _ in range(block.poisson(mean)):
        day = block.day(s, 1, 2500, floor=60)
        if day is None:
            return
        x = block.r()
        role = "plaintiff" if x < 0.45 else ("defendant" if x < 0.93 else "third_party")
        refuses = False if role == "defendant" and block.r() < 0.6 else None
        judgment(block, s, day, role, refuses=refuses, benign=True)


def _result_summary(block, s, role: str, amount: float) -> str:
    if role == "plaintiff":
        return f"被告于判决生效之日起十日内支付原告{amount_text(amount)}万元"
    if role in ("defendant", "respondent"):
        if block.r() < 0.7:
            return f"{s.name}于判决生效之日起十日内支付原告{amount_text(amount)}万元"
        return "驳回原告的诉讼请求"
    return "驳回原告的诉讼请求"


def judgment(block, s, day: int, role: str, refuses: bool | None, benign: bool) -> dict:
    r = block.r
    st = block.streams["ZY"]["court_judgment"]
    year = date.fromordinal(day).year
    court, prefix = COURTS[0] if r() < 0.2 else block.pick(COURTS[1:])
    rec = block.base(st, year, block.stamp_after(day, 10))
    block.identify(s, rec, False)
    rec["subject_name"] = s.name
    kind = "行初" if s.type == "government_agency" else ("执" if role == "respondent" else "民初")
    rec["case_number"] = block.case_number(prefix, year, kind)
    rec["court"] = court
    rec["cause"] = "行政管理纠纷" if kind == "行初" else block.pick(CAUSES)
    rec["party_role"] = role
    rec["judged_on"] = day
    amount = round(1 + 300 * r() ** 3, 2)
    rec["amount"] = amount
    rec["result_summary"] = _result_summary(block, s, role, amount)
    if refuses is not None:
        rec["refuses_to_perform"] = refuses
    block.emit("ZY", "court_judgment", rec, benign)
    return rec


def dishonest_debtor(block, s, day: int, removed: int | None, benign: bool) -> None:
    """A listing as a dishonest judgment debtor, on a judgment some months before."""
    r = block.r
    st = block.streams["ZY"]["dishonest_debtor"]
    year = date.fromordinal(day).year
    court, prefix = block.pick(COURTS)
    basis_day = max(s.established + 1, day - 60 - int(r() * 400))
    basis_year = date.fromordinal(basis_day).year
    rec = block.base(st, year, block.stamp_after(removed or day, 3))
    block.identify(s, rec, False)
    rec["subject_name"] = s.name
    rec["legal_representative"] = s.representative
    rec["case_number"] = block.case_number(prefix, year, "执")
    rec["court"] = court
    rec["basis_document"] = block.case_number(prefix, basis_year, "民初")
    rec["obligation"] = f"支付{block.pick(OBLIGATIONS)}人民币{1 + int(r() * 300)}万元及利息"
    rec["performance"] = "none" if r() < 0.7 else "partial"
    rec["dishonest_behavior"] = block.pick(DISHONEST_BEHAVIOURS)
    rec["published_on"] = day
    if removed is not None:
        rec["removed_on"] = removed
    block.emit("ZY", "dishonest_debtor", rec, benign)
