"""Calendar rules the records follow (ordinal days throughout: fast to draw and compare).

Why: terms end on anniversaries (a 29 February start ends on the 28th), and annual reports
have a legal filing window; records that ignored them would look wrong to the people who
read the demo and trip the collectors' date checks.
"""

from __future__ import annotations

from datetime import date
from functools import cache


def add_years(o: int, years: int) -> int:
    """The same day `years` later (28 February for a 29 February)."""
    d = date.fromordinal(o)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).toordinal()


@cache
def filing_window(year: int) -> tuple[int, int]:
    """Annual reports for the year before are filed from 1 January to 30 June (ordinals)."""
    return date(year, 1, 1).toordinal(), date(year, 6, 30).toordinal()
