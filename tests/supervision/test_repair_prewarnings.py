"""预警提醒 in the workspace: the department's own pre-warnings, paginated."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from supervision.selectors.home import home_queues
from tests.auth import log_in
from tests.supervision.feeds import licence, push, register


def expiring_in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def listed(response) -> list[tuple[str, str]]:
    return [(w.code, w.uscc) for w in response.context["page"].object_list]


def test_the_page_lists_the_departments_licences_about_to_expire(client, staff_of):
    log_in(client, staff_of("WJW"))
    subject = register()
    push("WJW", "license", [licence(subject, "XK-SOON", valid_to=expiring_in(10)),
                            licence(subject, "XK-LATER", valid_to=expiring_in(300))])  # fmt: skip
    response = client.get(reverse("supervision:prewarning_list"))
    assert response.status_code == 200 and listed(response) == [("licence_expiring", subject)]


def test_the_page_leaves_out_other_departments_pre_warnings(client, staff_of):
    log_in(client, staff_of("GAJ"))
    push("WJW", "license", [licence(register(), "XK-SOON", valid_to=expiring_in(10))])
    assert listed(client.get(reverse("supervision:prewarning_list"))) == []


def test_the_page_shows_the_subjects_name(client, staff_of):
    log_in(client, staff_of("WJW"))
    subject = register(name="南昌预警测试有限公司")
    push("WJW", "license", [licence(subject, "XK-SOON", valid_to=expiring_in(10))])
    assert (
        client.get(reverse("supervision:prewarning_list")).context["page"].object_list[0].name
        == "南昌预警测试有限公司"
    )


def test_the_page_is_paginated(client, staff_of):
    log_in(client, staff_of("WJW"))
    subject = register()
    push("WJW", "license", [licence(subject, f"XK-{n}", valid_to=expiring_in(5 + n % 20)) for n in range(35)])
    first = client.get(reverse("supervision:prewarning_list"))
    second = client.get(reverse("supervision:prewarning_list"), {"page": 2})
    assert (len(first.context["page"].object_list), len(second.context["page"].object_list)) == (30, 5)


def test_the_home_counts_the_departments_pre_warnings(staff_of):
    staff = staff_of("WJW")
    push("WJW", "license", [licence(register(), "XK-SOON", valid_to=expiring_in(10))])
    assert {q.key: q.count for q in home_queues(staff)}["pre_warnings"] == 1
