"""The city's places: districts with their roads and towns, and street addresses in them.

Why: addresses are read by people in the demo and a district decides who registers and
punishes a subject (the market regulator's district branches), so they are Nanchang's real
districts, roads and towns (`data/places.json`), weighted by how many businesses each has.
"""

from __future__ import annotations

from collectors.citygen.data import table
from collectors.citygen.people import TRADE_CHARS, Random, pick

_PLACES = table("places")
CITY = _PLACES["city"]
PROVINCE = _PLACES["province"]


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
