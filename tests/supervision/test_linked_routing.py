"""联动监管 routing: a stored licence or penalty reaches every other department whose rules match."""

from unittest import mock

import pytest

from supervision.models import InboxItem
from supervision.services import linked as services
from supervision.tasks import linked as tasks
from tests.factories import make_uscc
from tests.supervision.feeds import (
    days_ago,
    fine,
    licence,
    push,
    register,
    stored,
    subscribe,
    version,
)
from warning_system.registry.models import PostLicenceCatalogEntry


@pytest.fixture
def city(reference_data):
    """Reference data loaded (departments, districts, the post-licence catalogue)."""


def inbox_of(department_code: str) -> set[str]:
    return set(InboxItem.objects.filter(department_id=department_code).values_list("record_id", flat=True))


def test_a_licence_reaches_the_department_subscribed_to_its_category(city):
    subject = register()
    subscribe("GAJ", kinds=("license",), licence_categories=["franchise"])
    push("WJW", "license", [licence(subject, "XK-T", license_category="特许"),
                            licence(subject, "XK-P", license_category="普通")])  # fmt: skip
    assert inbox_of("GAJ") == {"XK-T"}


def test_a_licence_reaches_the_department_subscribed_to_a_keyword_of_its_certificate(city):
    subject = register()
    subscribe("SCJG", kinds=("license",), certificate_keywords=["药品", "食品"])
    push("YJJD", "license", [licence(subject, "XK-DRUG", certificate_name="药品经营许可证"),
                             licence(subject, "XK-WATER", certificate_name="取水许可证")])  # fmt: skip
    assert inbox_of("SCJG") == {"XK-DRUG"}


def test_a_penalty_reaches_the_department_subscribed_to_the_subjects_industry(city):
    restaurant = register(industry="H6210")
    factory = register(industry="C1310")
    subscribe("WJW", kinds=("penalty",), industry_prefixes=["H62", "F52"])
    push("SWJ", "penalty", [fine(restaurant, "CF-H"), fine(factory, "CF-C")])
    assert inbox_of("WJW") == {"CF-H"}


def test_a_record_reaches_the_department_subscribed_to_the_subjects_district(city):
    east_lake = register(district="360102")
    qingshan_lake = register(district="360111")
    subscribe("GAJ", district_codes=["360111"])
    push("WJW", "license", [licence(east_lake, "XK-E"), licence(qingshan_lake, "XK-Q")])
    assert inbox_of("GAJ") == {"XK-Q"}


def test_a_record_reaches_the_department_subscribed_to_the_subjects_colour(city):
    green = register()
    orange = register()
    push("SCJG", "penalty", [fine(orange, "CF-O", penalty_categories="没收违法所得")])
    assert orange_and_green(green, orange)
    subscribe("GAJ", kinds=("license",), colours=["orange", "red"])
    push("WJW", "license", [licence(green, "XK-G"), licence(orange, "XK-O")])
    assert inbox_of("GAJ") == {"XK-O"}


def orange_and_green(green: str, orange: str) -> bool:
    from warning_system.classification.models import SubjectColour

    colours = dict(
        SubjectColour.objects.filter(subject_id__in=[green, orange]).values_list("subject_id", "colour")
    )
    return colours == {green: "green", orange: "orange"}


def test_a_record_never_goes_back_to_the_department_that_decided_it(city):
    subject = register()
    subscribe("WJW")
    subscribe("GAJ")
    push("WJW", "license", [licence(subject, "XK-1")])
    assert (inbox_of("WJW"), inbox_of("GAJ")) == (set(), {"XK-1"})


def test_a_record_decided_before_the_window_is_not_routed(city):
    subject = register()
    subscribe("GAJ")
    old = licence(subject, "XK-OLD", decided_on=days_ago(31), valid_from=days_ago(31))
    new = licence(subject, "XK-NEW", decided_on=days_ago(30), valid_from=days_ago(30))
    push("WJW", "license", [old, new])
    assert inbox_of("GAJ") == {"XK-NEW"}


def test_the_window_is_the_linked_supervision_max_age_setting(city, settings):
    settings.LINKED_SUPERVISION_MAX_AGE_DAYS = 400
    subject = register()
    subscribe("GAJ")
    push("SWJ", "penalty", [fine(subject, "CF-365", decided_on=days_ago(365))])
    assert inbox_of("GAJ") == {"CF-365"}


def test_a_withdrawn_record_is_not_routed(city):
    subject = register()
    subscribe("GAJ")
    push("WJW", "license", [licence(subject, "XK-W", op="delete")])
    assert inbox_of("GAJ") == set()


def test_a_record_stored_again_reaches_a_department_once(city):
    subject = register()
    subscribe("GAJ")
    push("WJW", "license", [licence(subject, "XK-1", updated_at=version(120))])
    push(
        "WJW", "license", [licence(subject, "XK-1", updated_at=version(60), certificate_name="更正后的名称")]
    )
    assert InboxItem.objects.filter(department_id="GAJ").count() == 1


def test_a_paused_subscription_routes_nothing(city):
    subject = register()
    subscribe("GAJ", active=False)
    push("WJW", "license", [licence(subject, "XK-1")])
    assert inbox_of("GAJ") == set()


def test_a_licence_only_subscription_does_not_take_penalties(city):
    subject = register()
    subscribe("GAJ", kinds=("license",))
    push("SWJ", "penalty", [fine(subject, "CF-1")])
    assert inbox_of("GAJ") == set()


def test_licence_filters_do_not_apply_to_penalties(city):
    subject = register()
    subscribe("GAJ", certificate_keywords=["食品"])
    push("SWJ", "penalty", [fine(subject, "CF-1")])
    assert inbox_of("GAJ") == {"CF-1"}


def test_an_item_names_its_source_subject_and_matching_rule(city):
    subject = register()
    rule = subscribe("GAJ")
    push("WJW", "license", [licence(subject, "XK-1")])
    item = InboxItem.objects.get(department_id="GAJ")
    record = stored("license", "WJW", "XK-1")
    assert (item.kind, item.record_pk, item.source_department_id, item.subject_id, item.subscription_id) == (
        "license", record.pk, "WJW", subject, rule.pk,
    )  # fmt: skip


def test_a_department_matched_by_two_rules_receives_the_record_once(city):
    subject = register()
    subscribe("GAJ")
    subscribe("GAJ", kinds=("license",))
    push("WJW", "license", [licence(subject, "XK-1")])
    assert InboxItem.objects.filter(department_id="GAJ").count() == 1


def test_default_subscriptions_follow_the_catalogue(city):
    created = services.default_subscriptions()
    by_department = {(s.department_id, s.name): s for s in created}
    food_drug = by_department["SCJG", "食品药品等重点领域许可"]
    assert food_drug.kinds == ["license"] and "药品" in food_drug.certificate_keywords
    catalogue_departments = set(PostLicenceCatalogEntry.objects.values_list("department_id", flat=True))
    industry_rules = {d for d, name in by_department if name == "主管行业的行政处罚"}
    assert industry_rules == catalogue_departments
    assert "H62" in by_department["SCJG", "主管行业的行政处罚"].industry_prefixes


def test_default_subscriptions_run_twice_create_nothing_more(city):
    services.default_subscriptions()
    assert services.default_subscriptions() == []


def test_default_subscriptions_route_a_tax_fine_of_a_restaurant_to_the_market_regulator(city):
    services.default_subscriptions()
    restaurant = register(industry="H6210")
    push("SWJ", "penalty", [fine(restaurant, "CF-TAX")])
    assert inbox_of("SCJG") == {"CF-TAX"}


def test_a_record_about_a_subject_not_registered_yet_reaches_a_rule_without_subject_filters(city):
    unregistered = make_uscc()
    subscribe("GAJ")
    subscribe("STHJ", industry_prefixes=["C"])
    push("WJW", "license", [licence(unregistered, "XK-1")])
    assert (inbox_of("GAJ"), inbox_of("STHJ")) == ({"XK-1"}, set())


def test_routing_is_queued_as_a_task_once_the_batch_commits(city):
    subject = register()
    subscribe("GAJ")
    with mock.patch.object(tasks.route_linked_records, "delay") as delay:
        receipt = push("WJW", "license", [licence(subject, "XK-1")])
    delay.assert_called_once_with("license", "WJW", receipt.batch_id, [subject])
    assert inbox_of("GAJ") == set()
