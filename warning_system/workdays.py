"""Working days on the Chinese public-holiday calendar, make-up working days (调休) included.

The `chinesecalendar` library carries the State Council's schedule for the years it knows. The
schedule of a new year is published in November or December; until the library is updated the city
enters it in `WorkdayOverride` (admin). An override wins over the library for its day, so the city
can also correct a day. For a year neither knows, Monday to Friday are working days except the
holidays fixed by calendar date, and a warning is logged once per year so somebody enters the
schedule (the lunar holidays and the make-up days are only known once it is published).

In the core because the workspace's deadlines (双告知, 双随机) and the enterprises' objections count
the same days. The overrides are kept by the workspace (supervision.WorkdayOverride, edited in its
admin); it registers where to read them when it starts (`register_overrides`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar

logger = logging.getLogger(__name__)

# A run of holidays and weekends never exceeds this many calendar days, so n working days from a
# date lie within n * 2 + SLACK days (the span read from the override table in one query).
SLACK = 21

# The statutory holidays on fixed calendar dates (《全国年节及纪念日放假办法》, 2024 revision):
# 元旦 1 January, 劳动节 1–2 May, 国庆节 1–3 October.
FIXED_DATE_HOLIDAYS = frozenset({(1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3)})

_warned_years: set[int] = set()


_override_sources: list[Callable[[date, date], dict[date, bool]]] = []


def register_overrides(source: Callable[[date, date], dict[date, bool]]) -> None:
    """`source(first, last)`: the city's overrides between the two days, day → is a working day."""
    if source not in _override_sources:
        _override_sources.append(source)


def _overrides(first: date, last: date) -> dict[date, bool]:
    found: dict[date, bool] = {}
    for source in _override_sources:
        found.update(source(first, last))
    return found


def _library_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year not in _warned_years:
            _warned_years.add(day.year)
            logger.warning(
                "chinesecalendar has no holiday schedule for %s and no workday override covers %s: "
                "counting Monday to Friday (less the fixed-date holidays) as working days. Enter the "
                "State Council's schedule for %s under 工作日调整 in the admin, or update chinesecalendar.",
                day.year,
                day.isoformat(),
                day.year,
            )
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_DATE_HOLIDAYS


def _is_workday(day: date, overrides: dict[date, bool]) -> bool:
    override = overrides.get(day)
    return override if override is not None else _library_workday(day)


def is_workday(day: date) -> bool:
    return _is_workday(day, _overrides(day, day))


def add_workdays(day: date, n: int) -> date:
    """The n-th working day after `day` (`day` itself never counts, working day or not)."""
    if n < 0:
        raise ValueError("n must not be negative")
    horizon = day + timedelta(days=n * 2 + SLACK)
    overrides = _overrides(day, horizon)
    current = day
    remaining = n
    while remaining:
        current += timedelta(days=1)
        if current > horizon:  # a longer break than any on record: read the next stretch
            overrides.update(_overrides(current, horizon := current + timedelta(days=SLACK)))
        if _is_workday(current, overrides):
            remaining -= 1
    return current


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    return sum(_is_workday(start + timedelta(days=i), overrides) for i in range(1, (end - start).days + 1))
