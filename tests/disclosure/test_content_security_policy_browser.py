"""The portal under its Content-Security-Policy in Chromium: the browser refuses nothing on the pages,
and what ran inline before (the language switch, the print button) works from static files."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def refusals(page) -> list[str]:
    """What the browser refused under the policy, as it reports it on the console."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return seen


def test_choosing_english_in_the_language_switch_changes_the_language(live_server, page, refusals):
    page.goto(live_server.url + "/")

    with page.expect_navigation():
        page.get_by_label("语言").select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert refusals == []


def test_the_print_button_of_a_credit_report_prints(live_server, page, portal_city, refusals):
    page.add_init_script("window.print = () => { window.printed = true; };")
    page.goto(f"{live_server.url}/subjects/{portal_city.red}")
    page.get_by_role("button", name="出具信用报告").click()

    page.get_by_role("button", name="打印").click()

    assert page.evaluate("window.printed === true")
    assert refusals == []
