"""Subscription rules: department leaders edit them, every change audited with before and after."""

from django.urls import reverse

from supervision.models import Subscription
from tests.auth import log_in
from tests.supervision.feeds import subscribe
from warning_system.audit.models import Action, AuditEntry

RULE = {
    "name": "餐饮行业处罚",
    "kinds": ["penalty"],
    "industry_prefixes": "h62；F52",
    "certificate_keywords": "",
    "district_codes": ["360102", "360111"],
    "colours": ["yellow", "orange"],
    "active": "on",
}


def test_a_leader_creates_a_rule(client, staff_of):
    log_in(client, staff_of("WJW", role="leader"))
    response = client.post(reverse("supervision:linked_subscription_create"), RULE)
    rule = Subscription.objects.get(department_id="WJW")
    assert response.status_code == 302
    assert (rule.kinds, rule.industry_prefixes, rule.colours, rule.active) == (
        ["penalty"], ["H62", "F52"], ["yellow", "orange"], True,
    )  # fmt: skip


def test_creating_a_rule_is_audited_with_what_it_holds(client, staff_of):
    log_in(client, staff_of("WJW", role="leader"))
    client.post(reverse("supervision:linked_subscription_create"), RULE)
    entry = AuditEntry.objects.get(action=Action.SUBSCRIPTION_CHANGE)
    assert (entry.department_id, entry.before, entry.after["district_codes"]) == (
        "WJW",
        None,
        ["360102", "360111"],
    )


def test_editing_a_rule_is_audited_with_before_and_after(client, staff_of):
    rule = subscribe("WJW", kinds=("license",), certificate_keywords=["食品"])
    log_in(client, staff_of("WJW", role="leader"))
    client.post(reverse("supervision:linked_subscription_edit", args=[rule.pk]),
                {**RULE, "name": rule.name, "kinds": ["license"], "certificate_keywords": "药品"})  # fmt: skip
    entry = AuditEntry.objects.get(action=Action.SUBSCRIPTION_CHANGE)
    assert (entry.before["certificate_keywords"], entry.after["certificate_keywords"]) == (["食品"], ["药品"])


def test_pausing_a_rule_is_audited(client, staff_of):
    rule = subscribe("WJW", kinds=("penalty",))
    log_in(client, staff_of("WJW", role="leader"))
    client.post(reverse("supervision:linked_subscription_edit", args=[rule.pk]),
                {"name": rule.name, "kinds": ["penalty"]})  # fmt: skip
    entry = AuditEntry.objects.get(action=Action.SUBSCRIPTION_CHANGE)
    assert (entry.before["active"], entry.after["active"]) == (True, False)


def test_saving_an_unchanged_rule_writes_no_entry(client, staff_of):
    rule = subscribe("WJW", kinds=("penalty",))
    log_in(client, staff_of("WJW", role="leader"))
    client.post(reverse("supervision:linked_subscription_edit", args=[rule.pk]),
                {"name": rule.name, "kinds": ["penalty"], "active": "on"})  # fmt: skip
    assert not AuditEntry.objects.filter(action=Action.SUBSCRIPTION_CHANGE).exists()


def test_staff_cannot_create_a_rule(client, staff_of):
    log_in(client, staff_of("WJW"))
    response = client.post(reverse("supervision:linked_subscription_create"), RULE)
    assert response.status_code == 403 and not Subscription.objects.exists()


def test_staff_cannot_edit_a_rule(client, staff_of):
    rule = subscribe("WJW", kinds=("penalty",))
    log_in(client, staff_of("WJW"))
    response = client.post(reverse("supervision:linked_subscription_edit", args=[rule.pk]), RULE)
    assert response.status_code == 403
    assert Subscription.objects.get(pk=rule.pk).name == rule.name


def test_staff_see_their_departments_rules(client, staff_of):
    subscribe("WJW", kinds=("penalty",))
    subscribe("GAJ", kinds=("penalty",))
    log_in(client, staff_of("WJW"))
    response = client.get(reverse("supervision:linked_subscriptions"))
    assert [rule.department_id for rule in response.context["rules"]] == ["WJW"]


def test_a_leader_cannot_edit_another_departments_rule(client, staff_of):
    rule = subscribe("GAJ", kinds=("penalty",))
    log_in(client, staff_of("WJW", role="leader"))
    response = client.post(reverse("supervision:linked_subscription_edit", args=[rule.pk]), RULE)
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED).exists()


def test_an_industry_code_that_is_not_one_is_refused(client, staff_of):
    log_in(client, staff_of("WJW", role="leader"))
    response = client.post(reverse("supervision:linked_subscription_create"),
                           {**RULE, "industry_prefixes": "餐饮"})  # fmt: skip
    assert response.status_code == 200 and "industry_prefixes" in response.context["form"].errors
    assert not Subscription.objects.exists()


def test_two_rules_of_a_department_cannot_share_a_name(client, staff_of):
    Subscription.objects.create(department_id="WJW", name=RULE["name"], kinds=["penalty"])
    log_in(client, staff_of("WJW", role="leader"))
    response = client.post(reverse("supervision:linked_subscription_create"), RULE)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Subscription.objects.filter(department_id="WJW").count() == 1


def test_the_rule_list_reads_a_fixed_number_of_queries(client, staff_of, django_assert_max_num_queries):
    for _ in range(10):
        subscribe("WJW", kinds=("license",), district_codes=["360102"], colours=["red"])
    log_in(client, staff_of("WJW", role="leader"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supervision:linked_subscriptions"))
    assert len(response.context["rules"]) == 10
