"""Working days follow the Chinese holiday calendar, make-up working days included (docs/rules.md §5)."""

import logging
from datetime import date

import pytest

from supervision import workdays
from supervision.models import WorkdayOverride


@pytest.fixture(autouse=True)
def _forget_warnings():
    workdays._warned_years.clear()
    yield
    workdays._warned_years.clear()


@pytest.mark.django_db
def test_national_day_2026_is_not_a_working_day():
    assert not workdays.is_workday(date(2026, 10, 5))  # Monday in the 国庆 holiday


@pytest.mark.django_db
def test_the_make_up_saturday_after_national_day_2026_is_a_working_day():
    assert workdays.is_workday(date(2026, 10, 10))


@pytest.mark.django_db
def test_five_working_days_after_30_september_2026_skip_the_holiday_and_count_the_make_up_saturday():
    # 10-08 Thu, 10-09 Fri, 10-10 Sat (调休上班), 10-12 Mon, 10-13 Tue.
    assert workdays.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)


@pytest.mark.django_db
def test_a_day_pushed_on_a_holiday_counts_from_the_next_working_day():
    assert workdays.add_workdays(date(2026, 10, 3), 1) == date(2026, 10, 8)


@pytest.mark.django_db
def test_working_days_between_count_the_end_but_not_the_start():
    assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


@pytest.mark.django_db
def test_a_year_the_library_does_not_know_falls_back_to_monday_to_friday_with_one_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="supervision.workdays"):
        assert workdays.is_workday(date(2027, 1, 4))  # Monday
        assert not workdays.is_workday(date(2027, 1, 9))  # Saturday
    warnings = [r for r in caplog.records if "2027" in r.getMessage()]
    assert len(warnings) == 1


@pytest.mark.django_db
@pytest.mark.django_db
def test_the_fallback_knows_the_holidays_fixed_by_calendar_date():
    assert not workdays.is_workday(date(2027, 1, 1))  # 元旦, a Friday
    assert not workdays.is_workday(date(2027, 10, 1))


@pytest.mark.django_db
def test_an_override_entered_by_the_city_decides_a_day_of_an_unknown_year():
    WorkdayOverride.objects.create(day=date(2027, 2, 8), is_workday=False, note="春节")  # a Monday
    WorkdayOverride.objects.create(day=date(2027, 2, 20), is_workday=True, note="春节调休上班")  # a Saturday
    assert not workdays.is_workday(date(2027, 2, 8))
    assert workdays.is_workday(date(2027, 2, 20))
    # Fri 02-05 → Tue 02-09, Wed 02-10, …: the override Monday does not count.
    assert workdays.add_workdays(date(2027, 2, 5), 1) == date(2027, 2, 9)


@pytest.mark.django_db
def test_adding_workdays_across_a_long_overridden_break_reads_past_the_first_window():
    for day in range(1, 32):
        WorkdayOverride.objects.create(day=date(2027, 3, day), is_workday=False, note="test")
    assert workdays.add_workdays(date(2027, 2, 26), 1) == date(2027, 4, 1)
