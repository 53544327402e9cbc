"""A citizen's check in headless Chromium: search by name, open the subject, read its colour and why."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_leads_to_the_subject_page_with_its_colour_and_reasons(live_server, page, portal_city):
    page.goto(live_server.url + "/")
    page.locator(".hero input[name=q]").fill("洪都红色")
    page.locator(".hero button[type=submit]").click()

    result = page.locator(".results li").first
    result.wait_for()
    assert result.locator(".badge").get_attribute("data-colour") == "red"
    result.get_by_role("link", name="南昌洪都红色食品有限公司").click()

    page.wait_for_url(f"**/subjects/{portal_city.red}")
    panel = page.locator("#colour")
    assert panel.locator("h2").inner_text().endswith("红色")
    reasons = panel.locator(".report-reasons").inner_text()
    assert "列入严重违法失信名单" in reasons
    assert "失信被执行人" in reasons
    assert "修复途径" in reasons
    assert "限制参加政府采购活动" in panel.inner_text()


def test_the_subject_page_fits_a_phone_screen(live_server, page, portal_city):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/subjects/{portal_city.yellow}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert page.locator(".consumer-warning").is_visible()
