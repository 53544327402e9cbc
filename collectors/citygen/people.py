"""The city's people: names, ID numbers, phones, and the trade names they give their businesses.

Why: a legal representative or a complainant is checked by the collectors (ID numbers must
validate, phones must look like phones) and read by people in the demo, so they follow the
real rules: GB 11643 check characters, and only the area codes that existed in a birth year.
Each function draws from the block's random stream `r`, in a fixed order, so the same seed
gives the same people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from stdnum.cn import ric as stdnum_ric

from collectors.citygen.data import table

_PEOPLE = table("people")
# Area codes of ID numbers (places of birth), as stdnum.cn.ric knows them; repeats weigh.
BIRTH_PLACES = tuple(table("places")["birth_places"])
# Strings whose characters are drawn (a repeated character is a more common surname).
SURNAMES = _PEOPLE["surnames"]
GIVEN_MALE = _PEOPLE["given_male"]
GIVEN_FEMALE = _PEOPLE["given_female"]
TRADE_CHARS = _PEOPLE["trade_name_characters"]
MOBILE_PREFIXES = tuple(_PEOPLE["mobile_prefixes"])
ID_TYPES = tuple(_PEOPLE["id_types"])

Random = Callable[[], float]


def pick(r: Random, seq):
    """One item of `seq`, drawn with exactly one call of `r` (as `Block.pick` draws)."""
    return seq[int(r() * len(seq))]


_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def ric_check(body: str) -> str:
    """GB 11643 check character of a 17-digit ID number body."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _RIC_WEIGHTS, strict=True)) % 11]


@cache
def birth_places(year: int) -> tuple[str, ...]:
    """Area codes that existed in a birth year (stdnum.cn.ric checks this; 红谷滩区 dates from 2019)."""
    ok = []
    for place in BIRTH_PLACES:
        body = f"{place}{year:04d}0101001"
        if stdnum_ric.is_valid(body + ric_check(body)):
            ok.append(place)
    return tuple(ok) or ("360100",)


def person(r: Random) -> str:
    surname = "欧阳" if r() < 0.01 else SURNAMES[int(r() * len(SURNAMES))]
    pool = GIVEN_MALE if r() < 0.55 else GIVEN_FEMALE
    given = pool[int(r() * len(pool))]
    if r() < 0.7:
        given += pool[int(r() * len(pool))]
    return surname + given


def id_number(r: Random) -> str:
    """A valid ID number of someone born between 1955 and 2000, in a place that existed then."""
    born = date(1955, 1, 1).toordinal() + int(r() * 16800)
    d = date.fromordinal(born)
    places = birth_places(d.year)
    body = f"{places[int(r() * len(places))]}{d.year:04d}{d.month:02d}{d.day:02d}{int(r() * 1000):03d}"
    return body + ric_check(body)


def mobile(r: Random) -> str:
    return f"{MOBILE_PREFIXES[int(r() * len(MOBILE_PREFIXES))]}{int(r() * 100_000_000):08d}"


def phone(r: Random) -> str:
    return mobile(r) if r() < 0.75 else f"0791-8{int(r() * 10_000_000):07d}"


def trade_name(r: Random) -> str:
    n = len(TRADE_CHARS)
    name = TRADE_CHARS[int(r() * n)] + TRADE_CHARS[int(r() * n)]
    if r() < 0.25:
        name += TRADE_CHARS[int(r() * n)]
    return name
