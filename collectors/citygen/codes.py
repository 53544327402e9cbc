"""A subject's codes: unified social credit code, organisation code, old registration number.

Why: the collectors identify subjects by these codes and check them (GB 32100 and GB 11714
check characters, the registration number's ISO 7064 digit), and the registry's history
shows in them: subjects from before the 2015 reform keep a numeric organisation code and a
15-digit registration number, later ones have an "MA3…" body. Each subject index gets its
own code body through affine permutations drawn from the seed, so codes are unique without
remembering any, up to MAX_SUBJECTS.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from stdnum.cn import uscc as stdnum_uscc

from collectors.normalize import organization_code_check

MAX_SUBJECTS = 10_000_000  # the code permutations below stay unique up to here
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_REFORM = date(2015, 10, 1).toordinal()  # 三证合一: new subjects get a USCC body of their own
_INSTITUTION_REFORM = date(2016, 1, 1).toordinal()
_HONGGUTAN = date(2019, 7, 1).toordinal()  # 红谷滩区 (360113) was set up then


@dataclass(frozen=True)
class Permutation:
    """i -> (multiplier * i + offset) % modulus: a bijection on range(modulus)."""

    multiplier: int
    offset: int
    modulus: int

    def __call__(self, i: int) -> int:
        return (self.multiplier * i + self.offset) % self.modulus


@dataclass(frozen=True)
class CodePermutations:
    numeric: Permutation  # 8-digit organisation code bodies
    base31: Permutation  # the 5 characters after "MA3", "MJ8" or "MB1"
    registration: Permutation  # the 7-digit serial of a registration number

    @classmethod
    def draw(cls, rng: random.Random) -> CodePermutations:
        return cls(
            Permutation(7777777, rng.randrange(90_000_000), 90_000_000),
            Permutation(7777781, rng.randrange(31**5), 31**5),
            Permutation(7777777, rng.randrange(10_000_000), 10_000_000),
        )


def base31(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, d = divmod(n, 31)
        chars.append(USCC_ALPHABET[d])
    return "".join(reversed(chars))


def regno_check(body: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a 15-digit registration number (GS 15-2006)."""
    p = 10
    for ch in body:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


def _authority_type_and_body(
    r: Callable[[], float], subject_type: str, established: int, numeric: str, tail31: str
) -> tuple[str, str, str]:
    """The USCC's registering authority and type characters, and the organisation code body."""
    pre2015 = established < _REFORM
    pre2016 = established < _INSTITUTION_REFORM
    if subject_type == "enterprise":
        return "9", "1", numeric if pre2015 else "MA3" + tail31
    if subject_type == "individual_business":
        return "9", "2", "MA3" + tail31
    if subject_type == "farmer_cooperative":
        return "9", "3", numeric if pre2015 else "MA3" + tail31
    if subject_type == "social_organization":  # 1 social group, 2 private non-enterprise, 3 foundation
        kind = "1112223"[int(r() * 7)]
        return "5", kind, numeric if pre2015 else "MJ8" + tail31
    if subject_type == "public_institution":
        return "1", "2", numeric if pre2016 else "MB1" + tail31
    return "1", "1", numeric if pre2016 else "MB1" + tail31


def assign_codes(r: Callable[[], float], permutations: CodePermutations, s) -> None:
    """Give subject `s` its organisation code, USCC and (registered before 2015) registration number."""
    i = s.index
    numeric = f"{10_000_000 + permutations.numeric(i):08d}"
    tail31 = base31(permutations.base31(i), 5)
    auth, tchar, body = _authority_type_and_body(r, s.type, s.established, numeric, tail31)
    s.org_code = body + organization_code_check(body)
    # The USCC keeps the area where it was issued: 红谷滩区 (2019) subjects older than it, subjects
    # registered at city level and many social organisations and institutions carry 360100.
    city_level = 0.5 if s.type in ("public_institution", "government_agency", "social_organization") else 0.08
    older = s.district == "360113" and s.established < _HONGGUTAN
    area = "360100" if older or r() < city_level else s.district
    head = auth + tchar + area + s.org_code
    s.uscc = head + stdnum_uscc.calc_check_digit(head)
    s.registration_number = None
    if s.is_market and s.established < _REFORM:
        reg_area = area if area not in ("360112", "360113") else "360100"
        serial = permutations.registration(i)
        body15 = f"{reg_area}{'6' if s.type == 'individual_business' else '0'}{serial:07d}"
        s.registration_number = body15 + regno_check(body15)
