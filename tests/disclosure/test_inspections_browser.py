"""双随机 in headless Chromium: the public task page (downloads, verifier, result list) and an
inspector entering a result on a phone-sized screen."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.inspections.world import leader, published, small_city
from warning_system.inspections.models import Assignment
from warning_system.registry.models import RECORD_MODELS
from warning_system.registry.services import reference_data_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass"  # StaffFactory's
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def task(db):
    reference_data_load()
    small_city()
    return published(leader("SCJG").user)


def test_the_public_task_page_offers_the_files_the_verifier_and_the_result(live_server, page, task):
    page.goto(f"{live_server.url}/inspections/")
    page.get_by_role("link", name=task.number).click()
    expect(page.get_by_role("heading", name=re.compile(task.number))).to_be_visible()
    expect(page.locator(".subjects-hash")).to_have_text(task.subjects_sha256)
    with page.expect_download() as download:
        page.locator("a.zip").click()
    assert download.value.suggested_filename == f"{task.number}.zip"
    with page.expect_download() as verifier:
        page.locator("a.verifier").click()
    assert verifier.value.suggested_filename == "verify_draw.py"
    rows = page.locator("table.picks tbody tr")
    expect(rows).to_have_count(Assignment.objects.filter(task=task).count())
    first = Assignment.objects.filter(task=task).select_related("subject").order_by("pk").first()
    expect(page.locator("table.picks")).to_contain_text(first.subject.name)


def test_an_inspector_enters_a_result_on_a_phone(live_server, browser, task):
    from tests.factories import StaffFactory
    from warning_system.registry.models import Department

    staff = StaffFactory(department=Department.objects.get(code="SCJG"))
    assignment = Assignment.objects.filter(task=task).select_related("subject").order_by("pk").first()
    inspector = assignment.inspectors.order_by("badge_number").first()
    inspector.staff = staff  # the account of one of the subject's drawn inspectors
    inspector.save(update_fields=["staff"])
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/supervision/inspections/results/")
    page.get_by_label("用户名").fill(staff.user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.get_by_role("link", name=assignment.subject.name).click()
    expect(page.get_by_role("heading", name=assignment.subject.name)).to_be_visible()
    submit = page.get_by_role("button", name="提交检查结果")
    box = submit.bounding_box()
    assert box["width"] <= PHONE["width"]  # the form fits the screen: no sideways scrolling
    page.get_by_label("检查日期").fill(timezone.localdate().isoformat())
    page.get_by_label("检查结果").select_option("corrected")
    page.get_by_label("检查情况说明").fill("现场发现进货查验记录不全，已责令改正")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "现场.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0photo"}]
    )
    submit.click()
    expect(page.locator(".messages")).to_contain_text("检查结果已录入并公示")
    assert (
        RECORD_MODELS["inspection"]
        .objects.filter(subject_id=assignment.subject_id, result="corrected")
        .exists()
    )
    page.goto(f"{live_server.url}/inspections/{task.number}/")
    expect(page.locator("table.picks")).to_contain_text("发现问题已责令改正")
    context.close()
