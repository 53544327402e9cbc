"""People and places of the city: names, ID numbers, phones, trade names, addresses.

Why: a legal representative, a complainant or an address is checked by the collectors
(ID numbers must validate, phones must look like phones) and read by people in the demo, so
they follow the real rules (GB 11643 check digits, the area codes that existed in a birth
year) and Nanchang's real roads and towns. Each function draws from the block's random
stream `r`, in a fixed order, so the same seed gives the same people.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache

from stdnum.cn import ric as stdnum_ric

from collectors.citygen.data import table

_PEOPLE = table("people")
_PLACES = table("places")
CITY = _PLACES["city"]
PROVINCE = _PLACES["province"]
# Area codes of ID numbers (places of birth), as stdnum.cn.ric knows them; repeats weigh.
BIRTH_PLACES = tuple(_PLACES["birth_places"])
# Strings whose characters are drawn (a repeated character is a more common surname).
SURNAMES = _PEOPLE["surnames"]
GIVEN_MALE = _PEOPLE["given_male"]
GIVEN_FEMALE = _PEOPLE["given_female"]
TRADE_CHARS = _PEOPLE["trade_name_characters"]
MOBILE_PREFIXES = tuple(_PEOPLE["mobile_prefixes"])
ID_TYPES = tuple(_PEOPLE["id_types"])

Random = Callable[[], float]


def pick(r: Random, seq):
    """One item of `seq`, drawn with one call of `r` (the generator's only way of choosing)."""
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


class Districts:
    """The districts' names, weights, roads and towns (a district the tables lack gets plain ones)."""

    def __init__(self, districts: list[tuple[str, str]]):
        detail = _PLACES["districts"]
        default = _PLACES["unknown_district"]
        self.codes = [c for c, _ in districts]
        self.names = dict(districts)
        self.weights = [detail.get(c, default)["weight"] for c in self.codes]
        self.roads = {c: detail.get(c, default)["roads"] for c in self.codes}
        self.towns = {c: detail.get(c, default)["towns"] for c in self.codes}
        self.is_county = {c: detail.get(c, default)["setting"] == "county" for c in self.codes}


def address(r: Random, districts: Districts, district: str) -> str:
    """A street address in town, or a village group or road address in a county's towns."""
    dname = districts.names[district]
    if districts.is_county[district] and r() < 0.4:
        town = pick(r, districts.towns[district])
        if r() < 0.5:
            return f"{PROVINCE}省{CITY}市{dname}{town}{pick(r, TRADE_CHARS)}家村{int(r() * 12) + 1}组"
        return f"{PROVINCE}省{CITY}市{dname}{town}{pick(r, districts.roads[district])}{int(r() * 300) + 1}号"
    road = pick(r, districts.roads[district])
    tail = f"{int(r() * 999) + 1}号"
    x = r()
    if x < 0.35:
        tail += f"{int(r() * 20) + 1}栋{int(r() * 25) + 1}{int(r() * 4) + 1:02d}室"
    elif x < 0.5:
        tail += f"{int(r() * 3) + 1}楼"
    return f"{PROVINCE}省{CITY}市{dname}{road}{tail}"
