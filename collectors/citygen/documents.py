"""Numbers departments give their documents: decisions, licences.

Why: a decision or licence number is what people quote and search for on the public pages,
and each department has its own numbering (洪市监处罚〔2026〕101号, JY13601020012345…); the
city writes them that way. The sequence numbers themselves are kept per block (`Block`).
"""

from __future__ import annotations

from collectors.citygen.data import table

_DEPARTMENTS = table("departments")
DEPT_SHORT = _DEPARTMENTS["document_abbreviations"]  # a department's abbreviation in document numbers
# District branches of the market regulator sign their own decisions.
SCJG_BRANCH_SHORT = _DEPARTMENTS["market_branch_abbreviations"]
LICENCE_NUMBER = table("licences")["number_patterns"]  # each department's own licence numbering


def decision_number(short: str, dept: str, year: int, kind: str, n: int) -> str:
    """洪市监处罚〔2026〕101号; police and fire brigades number their decisions their own way."""
    if dept == "GAJ":
        return f"{short}（治）行罚决字〔{year}〕{n:05d}号"
    if dept == "XF":
        return f"{short}行罚决字〔{year}〕{n:04d}号"
    return f"{short}{kind}〔{year}〕{n}号"


def licence_number(name: str, uscc: str, dept: str, year: int, seq: int) -> str:
    """A licence number in the format its issuing department uses."""
    pattern = LICENCE_NUMBER.get(name)
    if pattern is None:
        return f"{DEPT_SHORT.get(dept, '洪')}许〔{year}〕{seq}号"
    return pattern.format(area=uscc[2:8], year=year, seq=seq, uscc=uscc)
