"""联合惩戒 as a procurement officer's regulator does it, in headless Chromium: log in, check a subject
on the serious-violation list for government procurement, read the restriction with its reasons and
legal basis, and report that the bid was rejected."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.sanctions import world
from tests.supervision.test_workflow_browser import log_in
from warning_system.audit.models import Action, AuditEntry
from warning_system.registry.models import Subject
from warning_system.sanctions.models import JointCheck

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def red(reference_data) -> Subject:
    return Subject.objects.get(uscc=world.red())


def test_a_procurement_check_of_a_red_subject_is_restricted_and_the_rejection_reported(
    live_server, page: Page, red, staff_of
):
    scjg = staff_of("SCJG")
    log_in(page, live_server.url, scjg.user.username)
    expect(page).to_have_url(live_server.url + "/supervision/")

    # From the header to the check form; check the subject for government procurement.
    page.get_by_role("link", name="联合惩戒", exact=True).click()
    expect(page.get_by_role("heading", name="联合惩戒核查")).to_be_visible()
    page.get_by_label("统一社会信用代码或名称").fill(red.uscc.lower())
    page.get_by_label("核查事项").select_option(label="政府采购")
    page.get_by_role("button", name="核查", exact=True).click()

    # The answer: restricted, why (the rule and its record), and on what legal basis.
    expect(page.get_by_role("heading", name="联合惩戒核查结果")).to_be_visible()
    verdict = page.locator(".verdict")
    expect(verdict).to_have_text("限制")
    expect(verdict).to_have_attribute("data-outcome", "restricted")
    expect(page.locator(".result-card")).to_contain_text(red.name)
    reason = page.locator(".reasons > li").first
    expect(reason).to_contain_text("列入严重违法失信名单")
    expect(reason.locator(".records")).to_contain_text("南昌市市场监督管理局")
    expect(page.locator(".legal-basis")).to_contain_text("《中华人民共和国政府采购法》第二十二条")
    expect(page.get_by_role("button", name="打印")).to_be_visible()

    # Report the outcome: the bid was rejected.
    page.get_by_label("采取的措施").select_option(label="投标被拒/取消中标资格")
    page.get_by_label("说明").fill("南昌市某采购项目，取消其中标资格")
    page.get_by_role("button", name="提交反馈").click()
    expect(page.locator(".messages")).to_contain_text("已记录反馈。")
    expect(page.locator("#outcome")).to_contain_text("投标被拒/取消中标资格")
    expect(page.locator("#outcome")).to_contain_text("取消其中标资格")

    check = JointCheck.objects.get()
    assert (check.subject_id, check.use, check.outcome, check.reported_action) == (
        red.uscc, "procurement", "restricted", "bid_rejected")  # fmt: skip
    actions = set(AuditEntry.objects.filter(subject_uscc=red.uscc).values_list("action", flat=True))
    assert {Action.JOINT_CHECK, Action.JOINT_OUTCOME} <= actions

    # The department's list shows it answered.
    page.get_by_role("link", name="核查记录", exact=True).click()
    row = page.locator("table.joint-checks tbody tr").filter(has_text=red.uscc)
    expect(row).to_contain_text(re.compile("投标被拒"))
