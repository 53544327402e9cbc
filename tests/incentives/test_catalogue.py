"""Who qualifies for which incentive, on plain dicts, and what a catalogue must hold to be published."""

from datetime import date

from warning_system.incentives import catalogue
from warning_system.incentives.catalogue import Standing

DAY = date(2026, 6, 1)
GREEN_YEARS = {"label": "x", "green_years": 3, "honours": [], "legal_basis": "y"}
HONOURS = {"label": "x", "green_years": 0, "honours": ["守合同重信用"], "legal_basis": "y"}


def test_a_subject_never_anything_but_green_qualifies_for_green_years():
    assert catalogue.qualifies(GREEN_YEARS, Standing("green", None, ()), DAY)


def test_a_change_from_yellow_inside_the_years_disqualifies():
    assert not catalogue.qualifies(GREEN_YEARS, Standing("green", date(2024, 1, 1), ()), DAY)


def test_a_change_from_yellow_before_the_years_does_not_disqualify():
    assert catalogue.qualifies(GREEN_YEARS, Standing("green", date(2023, 5, 31), ()), DAY)


def test_a_subject_not_green_qualifies_for_nothing_even_with_an_honour():
    assert not catalogue.qualifies(HONOURS, Standing("yellow", None, ("守合同重信用企业",)), DAY)


def test_an_honour_in_force_whose_name_contains_a_listed_name_qualifies():
    assert catalogue.qualifies(HONOURS, Standing("green", None, ("2025年度江西省守合同重信用企业",)), DAY)


def test_a_green_subject_without_the_honour_does_not_qualify():
    assert not catalogue.qualifies(HONOURS, Standing("green", None, ("纳税信用B级",)), DAY)


def test_the_defaults_are_valid():
    assert catalogue.validate(catalogue.default_incentives()) == []


def test_the_defaults_give_a_long_green_subject_the_inspection_and_approval_incentives():
    found = catalogue.incentives_of(catalogue.default_incentives(), Standing("green", None, ()), DAY)
    assert [i.key for i in found] == [catalogue.FAST_TRACK, catalogue.LOWER_INSPECTION_RATIO]


def test_a_catalogue_that_is_not_an_object_is_refused():
    assert catalogue.validate([1]) != []


def test_green_years_that_are_not_a_small_whole_number_are_refused():
    entries = catalogue.default_incentives()
    entries[catalogue.FAST_TRACK]["green_years"] = "three"
    assert any("连续绿色年数" in p for p in catalogue.validate(entries))


def test_an_entry_without_a_basis_is_refused():
    entries = catalogue.default_incentives()
    entries[catalogue.SUBSIDY_PRIORITY]["legal_basis"] = " "
    assert any("须填写依据" in p for p in catalogue.validate(entries))


def test_an_unknown_setting_is_refused():
    entries = catalogue.default_incentives()
    entries[catalogue.SUBSIDY_PRIORITY]["colours"] = ["green"]
    assert any("未知的设置" in p for p in catalogue.validate(entries))
