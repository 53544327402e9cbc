"""Working days (the core's warning_system.workdays) with the city's overrides kept here
(`WorkdayOverride`, registered as the core's source of overrides when the app starts)."""

from __future__ import annotations

from datetime import date

from warning_system.workdays import (  # noqa: F401
    FIXED_DATE_HOLIDAYS,
    SLACK,
    _warned_years,
    add_workdays,
    is_workday,
    register_overrides,
    workdays_between,
)


def overrides_between(first: date, last: date) -> dict[date, bool]:
    from supervision.models import WorkdayOverride

    return dict(WorkdayOverride.objects.filter(day__range=(first, last)).values_list("day", "is_workday"))
