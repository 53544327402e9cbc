"""incentives_for: read from the stored colour, the colour change history and the honours in force."""

import datetime

import pytest
from django.utils import timezone

from tests.supervision.feeds import push, version
from warning_system.classification.models import ColourChange, Ruleset
from warning_system.incentives import catalogue, selectors

pytestmark = pytest.mark.django_db


def honour(uscc: str, name: str, **overrides) -> dict:
    return {
        "record_id": f"RY-{uscc[-6:]}-{len(name)}", "updated_at": version(), "uscc": uscc,
        "subject_name": "南昌测试贸易有限公司", "honor_name": name, "awarded_on": "2025-03-01",
        "authority": "江西省市场监督管理局", **overrides,
    }  # fmt: skip


def change(uscc: str, years_ago: float, from_colour: str, to_colour: str) -> None:
    on = timezone.localdate() - datetime.timedelta(days=int(365 * years_ago))
    ColourChange.objects.create(
        subject_id=uscc, from_colour=from_colour, to_colour=to_colour, effective_on=on,
        ruleset=Ruleset.objects.order_by("version").first(),
    )  # fmt: skip


def keys(uscc: str) -> list[str]:
    return [i.key for i in selectors.incentives_for(uscc, timezone.localdate())]


def test_a_green_subject_with_no_colour_history_gets_the_green_years_incentives(coloured):
    uscc = coloured("green")
    assert keys(uscc) == [catalogue.FAST_TRACK, catalogue.LOWER_INSPECTION_RATIO]


def test_a_yellow_subject_gets_nothing(coloured):
    assert keys(coloured("yellow")) == []


def test_a_subject_yellow_two_years_ago_gets_no_green_years_incentive(coloured):
    uscc = coloured("green")
    change(uscc, 2, "yellow", "green")
    assert keys(uscc) == []


def test_a_subject_yellow_five_years_ago_gets_the_green_years_incentives(coloured):
    uscc = coloured("green")
    change(uscc, 5, "yellow", "green")
    assert keys(uscc) == [catalogue.FAST_TRACK, catalogue.LOWER_INSPECTION_RATIO]


def test_an_honour_in_force_gives_subsidy_priority(coloured):
    uscc = coloured("green")
    push("SCJG", "honor", [honour(uscc, "2025年度守合同重信用企业")])
    assert catalogue.SUBSIDY_PRIORITY in keys(uscc)


def test_a_revoked_honour_gives_nothing(coloured):
    uscc = coloured("green")
    push("SCJG", "honor", [honour(uscc, "守合同重信用企业", revoked_on="2025-09-01")])
    assert catalogue.SUBSIDY_PRIORITY not in keys(uscc)


def test_an_unknown_subject_gets_nothing(reference_data):
    assert selectors.incentives_for("91360102MA00000000", timezone.localdate()) == []


def test_incentives_for_costs_one_query_when_the_catalogue_is_cached(coloured, django_assert_num_queries):
    uscc = coloured("green")
    selectors.incentives_in_effect(timezone.localdate())
    with django_assert_num_queries(1):
        selectors.incentives_for(uscc, timezone.localdate())
