"""Every public page and the main workspace pages, opened in Chromium on a phone (390 px) and a
laptop (1366 px): nothing scrolls sideways, the console stays clean, no request fails, and axe-core
finds no serious or critical accessibility violation. Each page is loaded once per width and its
full-page screenshot kept under test-artifacts/screenshots/ for people to look at.

One small city is built once for the module and served by one live server: the pages only read it,
so the tests need no database of their own (the module empties it when it ends, as a transactional
test does)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from playwright.sync_api import expect

# django_db only so that the test database is created: the tests themselves never touch it.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parent.parent
AXE = (Path(__file__).parent / "assets" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
SHOTS = ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"phone": 390, "laptop": 1366}


@dataclass
class Site:
    url: str
    paths: dict[str, str]
    session: str  # a workspace leader's session cookie


def _build(tmp: Path) -> tuple[dict[str, str], object]:
    """The portal's small city, a 双告知 case, a published 双随机 task, a linked-supervision item and
    an assessed month; returns each page's path and the leader who opens the workspace pages."""
    from supervision.models import DualNotification
    from supervision.services.assessment import month_assess
    from supervision.services.joint import joint_check
    from tests.disclosure.conftest import build_portal_city
    from tests.factories import StaffFactory, make_uscc
    from tests.inspections.world import published, small_city
    from tests.supervision import feeds
    from tests.supervision.assessment_data import build_october
    from tests.supervision.dual_feeds import FOOD_SCOPE, ingest, registration_record
    from warning_system.inspections.models import InspectionTask
    from warning_system.registry.models import Department

    city = build_portal_city(tmp / "city")
    leader = StaffFactory(department=Department.objects.get(code="SCJG"), role="leader")
    with override_settings(DUAL_NOTIFICATION_WINDOW_DAYS=60):
        uscc = make_uscc()
        established = timezone.localdate() - timedelta(days=20)
        ingest(None, tmp, "SCJG", "registration", [registration_record(uscc, established_on=established,
                                                                         scope=FOOD_SCOPE)])  # fmt: skip
    case = DualNotification.objects.filter(department_id="SCJG").order_by("pk").first()
    small_city()
    task = published(leader.user)
    feeds.subscribe("SCJG")
    feeds.push("WJW", "penalty", [feeds.fine(feeds.register(district="360111"), "CF-1")])
    check = joint_check(staff=leader, uscc=city.red, use="procurement").check
    build_october()
    month_assess(2026, 9)
    month_assess(2026, 10)
    assert InspectionTask.objects.filter(pk=task.pk).exists()
    paths = {
        "home": "/",
        "search": "/search?q=南昌",
        "subject": f"/subjects/{city.red}",
        "subject-consumer-warning": f"/subjects/{city.yellow}",
        "list": "/lists/red",
        "not-found": "/lists/green",
        "statistics": "/statistics",
        "batch-check": "/check",
        "report-verify": "/reports/verify",
        "inspections": "/inspections/",
        "inspection-task": f"/inspections/{task.number}/",
        "api-docs": "/api/docs/",
        "api-redoc": "/api/redoc/",
        "workspace-login": "/supervision/login/",
        "workspace-home": "/supervision/",
        "dual-queue": "/supervision/dual/queue/to_claim/",
        "dual-case": f"/supervision/dual/{case.pk}/" if case else "/supervision/dual/",
        "inspection-tasks": "/supervision/inspections/",
        "inspection-task-detail": f"/supervision/inspections/{task.pk}/",
        "linked": "/supervision/linked/",
        "joint-check": "/supervision/joint/",
        "joint-check-result": f"/supervision/joint/checks/{check.pk}/",
        "inspection-task-new": "/supervision/inspections/new/",
        "assessment": "/supervision/assessment/?month=2026-10",
        "assessment-trend": "/supervision/assessment/SCJG/?month=2026-10",
    }
    return paths, leader


PUBLIC = [
    "home", "search", "subject", "subject-consumer-warning", "list", "not-found", "statistics",
    "batch-check", "report-verify", "inspections", "inspection-task", "api-docs", "api-redoc", "workspace-login",
]  # fmt: skip
WORKSPACE = [
    "workspace-home", "dual-queue", "dual-case", "inspection-tasks", "inspection-task-detail", "linked",
    "joint-check", "joint-check-result", "inspection-task-new", "assessment", "assessment-trend",
]  # fmt: skip
STATUS = {"not-found": 404}
# Rules left out on a page, with why. Swagger UI (a third-party viewer) nests each operation's copy
# button inside its expandable summary: its markup is not ours to change.
AXE_EXCEPTIONS = {"api-docs": ["nested-interactive"]}
# Console messages expected on a page, with why. ReDoc asks for its vendor's logo from a CDN: the
# page's Content-Security-Policy refuses it on purpose (nothing leaves the server's own assets).
EXPECTED_CONSOLE = {"api-redoc": "cdn.redoc.ly"}


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory, browser_type_launch_args):
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        paths, leader = _build(tmp_path_factory.mktemp("pages"))
        client = Client()
        client.force_login(leader.user)
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        server = LiveServer("localhost:0")
        try:
            yield Site(url=server.url, paths=paths, session=session)
        finally:
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _open(browser, site: Site, name: str, width: int, *, signed_in: bool):
    """The page at this width, with what went wrong while it loaded."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    if signed_in:
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": site.session, "url": site.url}]
        )
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url} {r.failure}"))
    expected = STATUS.get(name, 200)
    url = site.url + site.paths[name]

    def on_response(response):
        if response.status >= 400 and not (response.url == url and response.status == expected):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("response", on_response)
    response = page.goto(url, wait_until="networkidle")
    assert response.status == expected, f"{name}: HTTP {response.status}"
    return context, page, problems, expected


def _axe(page, name: str) -> list[str]:
    page.evaluate(AXE)
    violations = page.evaluate(
        """async (skipped) => {
            const rules = Object.fromEntries(skipped.map(id => [id, {enabled: false}]));
            const result = await axe.run(document, {resultTypes: ["violations"], rules});
            return result.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}): ${v.help} — ` +
                          v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }""",
        AXE_EXCEPTIONS.get(name, []),
    )
    return violations


def _check(browser, site: Site, name: str, label: str, *, signed_in: bool) -> None:
    width = WIDTHS[label]
    context, page, problems, expected = _open(browser, site, name, width, signed_in=signed_in)
    try:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{name} at {width} px is {scroll} px wide"
        if expected != 200:  # the browser reports the page's own status on the console
            problems = [p for p in problems if f"status of {expected}" not in p]
        if name in EXPECTED_CONSOLE:
            problems = [p for p in problems if EXPECTED_CONSOLE[name] not in p]
        assert problems == []
        violations = _axe(page, name)
        assert violations == [], "\n".join(violations)
    finally:
        context.close()


@pytest.mark.parametrize("label", WIDTHS)
@pytest.mark.parametrize("name", PUBLIC)
def test_a_public_page_fits_loads_cleanly_and_is_accessible(browser, site, name, label):
    _check(browser, site, name, label, signed_in=False)


@pytest.mark.parametrize("label", WIDTHS)
@pytest.mark.parametrize("name", WORKSPACE)
def test_a_workspace_page_fits_loads_cleanly_and_is_accessible(browser, site, name, label):
    _check(browser, site, name, label, signed_in=True)


def test_the_search_box_is_reached_with_tab_and_sent_with_enter(browser, site):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(site.url + "/")
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.getAttribute('name')") == "q":
                break
        else:
            pytest.fail("the search box is not reached with the Tab key")
        page.keyboard.type("南昌")
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/search\?q="))
        expect(page.locator("main")).to_contain_text("南昌")
    finally:
        context.close()


def test_an_unknown_list_is_the_sites_own_not_found_page(browser, site):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        response = page.goto(site.url + "/lists/green")
        assert response.status == 404
        expect(page.locator(".site-header")).to_be_visible()
        expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")
    finally:
        context.close()
