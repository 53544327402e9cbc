"""The enterprise's side as people use it, in headless Chromium: the registration authority prints
an activation code on the 告知书; the enterprise activates its account, logs in, reads the 告知书,
applies to repair its fine with a PDF; the deciding department approves in the workspace; the colour
changes on the public page."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.enterprises.conftest import PASSWORD
from tests.factories import make_uscc
from tests.supervision.dual_feeds import FOOD_SCOPE, registration_record
from tests.supervision.feeds import days_ago, fine, push, version

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STAFF_PASSWORD = "pass"  # StaffFactory's
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def restaurant(settings, reference_data) -> str:
    """Registered by SCJG 40 days ago to serve food (a 食品经营许可证 to obtain: a 告知书), and yellow
    for an ordinary SCJG fine decided 200 days ago (repairable after 6 months)."""
    settings.DUAL_NOTIFICATION_WINDOW_DAYS = 60
    uscc = make_uscc()
    established = timezone.localdate() - timedelta(days=40)
    push("SCJG", "registration", [registration_record(uscc, established_on=established, scope=FOOD_SCOPE)])
    push("SCJG", "penalty", [fine(uscc, "CF-BROWSER", decided_on=days_ago(200))])
    return uscc


def workspace_log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/supervision/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base_url + "/supervision/")


def test_activate_apply_with_a_pdf_the_department_approves_and_the_colour_changes(
    live_server, page, new_context, restaurant, staff_of, tmp_path
):
    base = live_server.url
    scjg, leader = staff_of("SCJG"), staff_of("SCJG", role="leader")

    # The public page shows the subject yellow.
    page.goto(f"{base}/subjects/{restaurant}")
    expect(page.locator(".report-verdict-label")).to_have_attribute("data-colour", "yellow")

    # The registration authority prints the 告知书 with an activation code.
    staff_page = new_context().new_page()
    workspace_log_in(staff_page, base, scjg.user.username)
    staff_page.goto(f"{base}/supervision/dual/subject/{restaurant}/notice/")
    staff_page.get_by_role("button", name="签发企业端激活码").click()
    code = staff_page.locator(".activation-code .code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)

    # The enterprise opens its account with the code, then logs in.
    page.goto(f"{base}/enterprise/activate/")
    page.locator("#id_uscc").fill(restaurant)
    page.locator("#id_code").fill(code)
    page.locator("#id_username").fill("canting")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_again").fill(PASSWORD)
    page.get_by_role("button", name="开通").click()
    expect(page.locator(".messages")).to_contain_text("账号已开通")
    page.get_by_label("用户名").fill("canting")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{base}/enterprise/")
    expect(page.locator(".colour-panel .badge")).to_have_attribute("data-colour", "yellow")

    # Its 告知书: the food licence, from SCJG.
    page.get_by_role("link", name="查看告知书").click()
    expect(page.get_by_role("heading", name="后置审批事项告知书")).to_be_visible()
    expect(page.locator(".document")).to_contain_text("食品经营许可证")

    # Apply to repair the fine, with a PDF.
    page.get_by_role("link", name="返回首页").click()
    page.locator("tr[data-record='CF-BROWSER']").get_by_role("link", name="申请修复").click()
    page.locator("#id_reason").fill("罚款已缴清，违法行为已整改完毕")
    proof = tmp_path / "缴款凭证.pdf"
    proof.write_bytes(PDF)
    page.locator("#id_evidence").set_input_files(str(proof))
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator(".state")).to_have_text("待审核")
    application_url = page.url

    # The department's leader reads the evidence and approves in the workspace.
    leader_page = new_context(accept_downloads=True).new_page()
    workspace_log_in(leader_page, base, leader.user.username)
    leader_page.goto(f"{base}/supervision/repair/")
    leader_page.get_by_role("link", name="CF-BROWSER").first.click()
    with leader_page.expect_download() as download:
        leader_page.get_by_role("link", name="缴款凭证.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    leader_page.get_by_label("同意修复").check()
    leader_page.get_by_role("button", name="提交审核结论").click()
    expect(leader_page.locator(".messages")).to_contain_text("已同意修复")

    # The enterprise sees the outcome; the public page shows it green.
    page.goto(application_url)
    expect(page.locator(".state")).to_have_text("已通过")
    page.goto(f"{base}/subjects/{restaurant}")
    expect(page.locator(".report-verdict-label")).to_have_attribute("data-colour", "green")


def enterprise_log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/enterprise/")
    expect(page).to_have_url(re.compile(r"/enterprise/login/\?next="))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(base_url + "/enterprise/")


def file_objection(page: Page, record_id: str, reason: str) -> None:
    page.locator(f"tr[data-record='{record_id}']").get_by_role("link", name="提出异议").click()
    page.locator("#id_reason").fill(reason)
    page.get_by_role("button", name="提交异议").click()
    expect(page.locator(".state")).to_have_text("待受理")


def test_an_objection_upheld_by_the_department_and_its_reason_read(
    live_server, page, new_context, account, staff_of
):
    base = live_server.url
    enterprise_log_in(page, base, account.user.username)
    file_objection(page, "CF-OLD", "该处罚针对的是同名的另一家企业")
    objection_url = page.url

    # While it is open, the public page marks the record.
    public = new_context().new_page()
    public.goto(f"{base}/subjects/{account.subject_id}")
    expect(public.locator(".disputed")).to_have_text("异议处理中")

    # The department that sent the record upholds it, in writing.
    staff_page = new_context().new_page()
    workspace_log_in(staff_page, base, staff_of("SCJG").user.username)
    staff_page.goto(f"{base}/supervision/objections/")
    staff_page.get_by_role("link", name="CF-OLD").click()
    staff_page.get_by_role("button", name="受理").click()
    staff_page.locator("#id_reason").fill("经核对登记信息，处罚对象即为该企业")
    staff_page.get_by_role("button", name="维持原记录").click()
    expect(staff_page.locator(".messages")).to_contain_text("已维持原记录")

    # The enterprise reads the outcome and the reason; the public mark is gone.
    page.goto(objection_url)
    expect(page.locator(".state")).to_have_text("维持原记录")
    expect(page.locator(".decision")).to_contain_text("经核对登记信息，处罚对象即为该企业")
    public.reload()
    expect(public.locator(".disputed")).to_have_count(0)


def test_an_objection_closed_by_the_departments_corrected_delivery(live_server, page, account):
    base = live_server.url
    enterprise_log_in(page, base, account.user.username)
    file_objection(page, "CF-OLD", "罚款金额录入有误")
    objection_url = page.url

    push("SCJG", "penalty", [fine(account.subject_id, "CF-OLD", decided_on=days_ago(200), fine_amount="0.5",
                                  updated_at=version(minutes_ago=1))])  # fmt: skip

    page.goto(objection_url)
    expect(page.locator(".state")).to_have_text("已更正")
    expect(page.locator(".decision")).to_contain_text("部门已报送更正后的记录")
