"""The regulators' trace on the public subject page: which department did what about the subject,
and when — from the audit trail, without staff names, and only the steps that are public."""

import re

import pytest
from django.utils import timezone

from disclosure.selectors import public
from disclosure.services.api_keys import api_key_issue
from tests.disclosure.test_api import get
from tests.disclosure.test_subject_page import page
from tests.factories import StaffFactory
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry.models import Department


@pytest.fixture
def scjg_staff(portal_city):
    return StaffFactory(department=Department.objects.get(code="SCJG"), user__username="zhangsan_scjg")


def record(staff, action: str, uscc: str, capture) -> None:
    """An audited step, committed (the cached page is dropped after the commit)."""
    with capture(execute=True):
        audit_record(
            action=action, actor=staff.user, subject_uscc=uscc, after={"note": "现场核查，联系人 张三"}
        )


def trace_table(body: str) -> str:
    found = re.search(r'<table class="table regulator-trace">.*?</table>', body, re.S)
    return found.group(0) if found else ""


def test_the_trace_shows_the_department_the_step_and_its_date(
    client, portal_city, scjg_staff, django_capture_on_commit_callbacks
):
    record(scjg_staff, Action.CLAIM, portal_city.green, django_capture_on_commit_callbacks)

    (line,) = public.regulator_trace(portal_city.green)
    table = trace_table(page(client, portal_city.green))

    assert "南昌市市场监督管理局" in table and "认领" in table
    assert timezone.localtime(line.at).strftime("%Y-%m-%d %H:%M") in table


def test_the_trace_never_shows_who_did_it_nor_what_they_wrote(
    client, portal_city, scjg_staff, django_capture_on_commit_callbacks
):
    record(scjg_staff, Action.RESULT, portal_city.green, django_capture_on_commit_callbacks)

    body = page(client, portal_city.green)

    assert trace_table(body)
    assert "zhangsan_scjg" not in body
    assert "张三" not in body


@pytest.mark.parametrize(
    "action",
    [Action.VIEW_PERSONAL, Action.EXPORT, Action.DENIED, Action.KEY_SUPERVISION_START, Action.REPAIR_APPLY],
)
def test_steps_that_are_not_public_stay_off_the_trace(
    client, portal_city, scjg_staff, django_capture_on_commit_callbacks, action
):
    record(scjg_staff, action, portal_city.green, django_capture_on_commit_callbacks)

    assert public.regulator_trace(portal_city.green) == []
    assert not trace_table(page(client, portal_city.green))


def test_a_subject_without_steps_shows_no_trace(client, portal_city):
    assert not trace_table(page(client, portal_city.green))


def test_a_new_step_drops_the_cached_page(
    client, portal_city, scjg_staff, django_capture_on_commit_callbacks
):
    page(client, portal_city.yellow)  # cached

    record(scjg_staff, Action.CLOSE, portal_city.yellow, django_capture_on_commit_callbacks)

    assert "办结" in trace_table(page(client, portal_city.yellow))


def test_a_step_left_off_the_trace_keeps_the_cached_page(
    client, portal_city, scjg_staff, django_capture_on_commit_callbacks, django_assert_num_queries
):
    page(client, portal_city.yellow)

    record(scjg_staff, Action.VIEW_PERSONAL, portal_city.yellow, django_capture_on_commit_callbacks)

    with django_assert_num_queries(0):
        page(client, portal_city.yellow)


def test_the_trace_is_read_in_one_query(
    portal_city, scjg_staff, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for action in (Action.CLAIM, Action.FEEDBACK, Action.CLOSE):
        record(scjg_staff, action, portal_city.yellow, django_capture_on_commit_callbacks)

    with django_assert_num_queries(1):
        trace = public.regulator_trace(portal_city.yellow)

    assert [(line.department, line.label) for line in trace] == [
        ("南昌市市场监督管理局", "办结"), ("南昌市市场监督管理局", "反馈"), ("南昌市市场监督管理局", "认领"),
    ]  # fmt: skip


def test_the_api_gives_banks_the_same_trace_without_names(
    client, portal_city, scjg_staff, django_capture_on_commit_callbacks
):
    record(scjg_staff, Action.CLAIM, portal_city.green, django_capture_on_commit_callbacks)

    response = get(client, f"subjects/{portal_city.green}", api_key_issue("南昌测试银行")[1])

    (line,) = response.json()["trace"]
    assert (line["department"], line["action"]) == ("南昌市市场监督管理局", "claim")
    assert "zhangsan_scjg" not in response.content.decode() and "张三" not in response.content.decode()
