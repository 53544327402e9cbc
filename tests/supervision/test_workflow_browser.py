"""双告知 as a regulator does it, in headless Chromium: log in, claim what was pushed, answer the
written notice when the licence is overdue, and the leader closes the case."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from supervision.models import DualNotification
from supervision.services import dual as services
from tests.factories import make_uscc
from tests.supervision.dual_feeds import FOOD_SCOPE, ingest, registration_record
from warning_system.audit.models import Action, AuditEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass"  # StaffFactory's


@pytest.fixture
def pushed(settings, reference_data, tmp_path, django_capture_on_commit_callbacks) -> DualNotification:
    """A restaurant registered 40 days ago (inside a 60-day window), ingested through the SCJG
    feed: its 食品经营许可证 is pushed to SCJG, and its 30 days to obtain it are already over."""
    settings.DUAL_NOTIFICATION_WINDOW_DAYS = 60
    uscc = make_uscc()
    established = timezone.localdate() - timedelta(days=40)
    record = registration_record(uscc, established_on=established, scope=FOOD_SCOPE)
    ingest(django_capture_on_commit_callbacks, tmp_path, "SCJG", "registration", [record])
    return DualNotification.objects.get(subject_id=uscc, department_id="SCJG")


def log_in(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    """Open the workspace as anybody does: sent to the login page, fill it, submit."""
    page.goto(base_url + "/supervision/")
    expect(page).to_have_url(re.compile(r"/supervision/login/\?next="))
    expect(page.get_by_role("heading", name="监管人员登录")).to_be_visible()
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()


def open_queue_tile(page: Page, label: str, count: int) -> None:
    """On the workspace home: the tile shows its count and leads to the queue."""
    tile = page.get_by_role("link", name=re.compile(f"{label}$"))
    expect(tile).to_have_text(f"{count}{label}")
    tile.click()
    expect(page.get_by_role("heading", name=f"双告知 · {label}")).to_be_visible()


def timeline_step(page: Page, label: str):
    return page.locator("ol.timeline > li").filter(
        has=page.locator("strong", has_text=re.compile(f"^{label}$"))
    )


def audited(action: str, notification: DualNotification, staff) -> bool:
    return AuditEntry.objects.filter(
        action=action,
        actor=staff.user,
        department_id=staff.department_id,
        object_type="supervision.dualnotification",
        object_id=str(notification.pk),
    ).exists()


def test_a_department_claims_answers_the_written_notice_and_its_leader_closes(
    live_server, page, new_context, pushed, staff_of
):
    scjg, leader = staff_of("SCJG"), staff_of("SCJG", role="leader")
    name = pushed.subject.name

    # Log in: the home page names the department and counts what waits to be claimed.
    log_in(page, live_server.url, scjg.user.username)
    expect(page).to_have_url(live_server.url + "/supervision/")
    expect(page.get_by_role("heading", name=scjg.department.name)).to_be_visible()
    open_queue_tile(page, "待认领", 1)

    # The queue lists the restaurant with its licence; open it.
    row = page.locator("table tbody tr").filter(has_text=name)
    expect(row).to_contain_text("食品经营许可证")
    expect(row.locator(".badge")).to_have_text("待认领")
    row.get_by_role("link", name=name).click()

    # Claim it.
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(f"{name} · 食品经营许可证")
    expect(heading.locator(".badge")).to_have_text("待认领")
    expect(timeline_step(page, "推送")).to_contain_text(scjg.department.name)
    page.get_by_role("button", name="认领", exact=True).click()

    expect(page.locator(".messages")).to_contain_text("已认领。")
    expect(heading.locator(".badge")).to_have_text("已认领待办证")
    expect(page.get_by_role("button", name="认领", exact=True)).to_have_count(0)
    claim = timeline_step(page, "认领")
    expect(claim).to_have_count(1)
    expect(claim).to_contain_text(f"{scjg.department.name} · {scjg.user.username}")

    # 30 days after registration there is still no licence: the periodic job raises the warning.
    assert services.dual_notifications_advance().overdue == 1
    number = DualNotification.objects.get(pk=pushed.pk).notice_number
    assert re.fullmatch(r"双告知〔\d{4}〕\d{4}号", number)

    page.get_by_role("link", name="首页", exact=True).click()
    open_queue_tile(page, "逾期未办证待反馈", 1)
    row = page.locator("table tbody tr").filter(has_text=name)
    expect(row.locator(".badge")).to_have_text("逾期待反馈")
    expect(row).to_contain_text(number)
    row.get_by_role("link", name=name).click()
    expect(heading.locator(".badge")).to_have_text("逾期待反馈")
    expect(timeline_step(page, "逾期预警")).to_contain_text("食品经营许可证")
    expect(timeline_step(page, "生成书面通告")).to_contain_text(number)

    # The printable written notice carries its number.
    page.get_by_role("link", name=re.compile("书面通告（可打印）")).click()
    expect(page.get_by_role("heading", name="“双告知”逾期未办证书面通告")).to_be_visible()
    expect(page.locator(".document .doc-number")).to_have_text(number)
    expect(page.locator(".document")).to_contain_text(name)
    page.get_by_role("link", name="返回事项").click()

    # Answer it: "other" needs an explanation, and the form says so.
    page.get_by_label("其他", exact=True).check()
    page.get_by_role("button", name="提交反馈").click()
    expect(page.get_by_text("选择“其他”时请填写说明。")).to_be_visible()
    expect(heading.locator(".badge")).to_have_text("逾期待反馈")
    page.get_by_label("立案查处").check()
    page.get_by_label("情况说明").fill("经现场核查，该店未取得许可即开展餐饮服务，已立案调查。")
    page.get_by_role("button", name="提交反馈").click()

    expect(page.locator(".messages")).to_contain_text("反馈已提交，待部门负责人办结。")
    expect(heading.locator(".badge")).to_have_text("已反馈待办结")
    feedback = timeline_step(page, "反馈")
    expect(feedback).to_contain_text(scjg.user.username)
    expect(feedback).to_contain_text("立案查处。经现场核查")
    expect(page.get_by_role("button", name="确认办结", exact=True)).to_have_count(0)  # a leader's step
    expect(page.get_by_role("button", name="提交反馈")).to_have_count(0)  # done: only a change is offered
    expect(page.locator(".next-step")).to_contain_text("等待本部门负责人确认办结")
    detail_url = page.url

    # The leader, in a browser of their own, closes it.
    leader_page = new_context().new_page()
    log_in(leader_page, live_server.url, leader.user.username)
    open_queue_tile(leader_page, "已反馈待办结", 1)
    leader_page.locator("table tbody tr").filter(has_text=name).get_by_role("link", name=name).click()
    expect(leader_page).to_have_url(detail_url)
    leader_page.get_by_label("办结意见").fill("同意，移交执法大队跟进。")
    leader_page.get_by_label(re.compile("我确认办结该事项")).check()
    leader_page.get_by_role("button", name="确认办结", exact=True).click()

    leader_heading = leader_page.get_by_role("heading", level=1)
    expect(leader_page.locator(".messages")).to_contain_text("已办结。")
    expect(leader_heading.locator(".badge")).to_have_text("已办结")
    close = timeline_step(leader_page, "办结")
    expect(close).to_contain_text(f"办结 · {leader.department.name} · {leader.user.username}")
    expect(close).to_contain_text("同意，移交执法大队跟进。")  # the note typed under 办结意见
    expect(leader_page.get_by_role("heading", name="办理", exact=True)).to_have_count(0)  # nothing left to do

    # The department's own view agrees.
    page.reload()
    expect(heading.locator(".badge")).to_have_text("已办结")

    # Every step is in the audit trail, with who took it.
    for staff in (scjg, leader):
        assert AuditEntry.objects.filter(action=Action.LOGIN, actor=staff.user, department_id="SCJG").exists()
    assert audited(Action.CLAIM, pushed, scjg)
    assert audited(Action.FEEDBACK, pushed, scjg)
    assert audited(Action.CLOSE, pushed, leader)
    assert AuditEntry.objects.get(action=Action.CLOSE, object_id=str(pushed.pk)).after["note"] == (
        "同意，移交执法大队跟进。"
    )
    entry = AuditEntry.objects.get(action=Action.FEEDBACK, object_id=str(pushed.pk))
    assert entry.after["feedback"] == "case_opened"


def test_a_wrong_password_is_refused_and_another_department_is_denied(live_server, page, pushed, staff_of):
    scjg, rsj = staff_of("SCJG"), staff_of("RSJ")
    detail = f"{live_server.url}/supervision/dual/{pushed.pk}/"

    # A mistyped password: an error on the login page, still logged out.
    log_in(page, live_server.url, scjg.user.username, "wrong-password")
    expect(page).to_have_url(re.compile(r"/supervision/login/"))
    expect(page.locator(".errorlist")).to_contain_text("请输入一个正确的用户名和密码")
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    response = page.goto(detail)
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/supervision/login/\?next="))
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, after__username=scjg.user.username).exists()
    assert not AuditEntry.objects.filter(action=Action.LOGIN).exists()

    # Another department's regulator following a link to the notification: 403.
    page.get_by_label("用户名").fill(rsj.user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(detail)  # back where the link pointed, after logging in
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
    expect(page.get_by_text("您的账号无权查看或办理此事项。")).to_be_visible()
    expect(page.get_by_text(pushed.subject.name)).to_have_count(0)
    assert page.goto(detail).status == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, actor=rsj.user).exists()
