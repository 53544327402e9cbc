"""The subject page in headless Chromium at a phone's and a laptop's width: nothing wider than the
screen, and the section navigation takes the reader to the class they chose. Screenshots go to
test-artifacts/ (not committed) for a person to look at."""

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDTHS = {"phone": 390, "laptop": 1366}


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("screen", WIDTHS)
def test_the_subject_page_is_no_wider_than_the_screen(live_server, page, portal_city, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 900})
    page.goto(f"{live_server.url}/subjects/{portal_city.red}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"subject-red-{screen}.png"), full_page=True)

    assert overflow(page) <= 0


@pytest.mark.parametrize("screen", WIDTHS)
def test_the_section_navigation_takes_the_reader_to_the_class(live_server, page, portal_city, screen):
    page.set_viewport_size({"width": WIDTHS[screen], "height": 800})
    page.goto(f"{live_server.url}/subjects/{portal_city.yellow}")

    page.locator('.report-nav a[href="#social"]').click()

    page.wait_for_url("**#social")
    top = page.locator("#social").bounding_box()["y"]
    assert page.evaluate("window.scrollY") > 0
    assert 0 <= top < 800  # in view (the last section stops short of the top when the page ends)
    assert overflow(page) <= 0
    page.screenshot(path=str(ARTIFACTS / f"subject-nav-{screen}.png"))


def test_the_section_navigation_stays_in_view_on_a_laptop(live_server, page, portal_city):
    page.set_viewport_size({"width": WIDTHS["laptop"], "height": 800})
    page.goto(f"{live_server.url}/subjects/{portal_city.yellow}")

    page.locator('.report-nav a[href="#social"]').click()

    page.wait_for_url("**#social")
    assert page.locator(".report-nav").bounding_box()["y"] >= 0
    assert page.locator('.report-nav a[href="#basic"]').is_visible()


def test_a_reason_link_takes_the_reader_to_its_record(live_server, page, portal_city):
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    page.goto(f"{live_server.url}/subjects/{portal_city.red}")

    page.locator(".report-reasons a", has_text="（2026）赣01执123号").click()

    record = page.locator("#record-dishonest_debtor-ZY-DD-1")
    assert record.is_visible()
    assert 0 <= record.bounding_box()["y"] < 100
