"""The API documentation in headless Chromium: the operations render, and no request leaves for any
server but this one (no CDN, no web fonts, no online validator).

ReDoc's sidebar always tries to show its vendor's logo from a CDN; the pages' Content-Security-Policy
makes the browser refuse it before anything is sent. Such a refused request never left the machine,
so it is told apart (Playwright reports it failed with "csp") rather than ignored by address."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture
def requested(page) -> dict[str, list]:
    seen: dict[str, list] = {"sent": [], "refused": []}
    page.on("request", lambda request: seen["sent"].append(request))
    page.on(
        "requestfailed",
        lambda request: "csp" in (request.failure or "").lower() and seen["refused"].append(request),
    )
    return seen


def left_the_machine(seen: dict[str, list], live_server) -> list[str]:
    """Addresses of requests the browser sent elsewhere than the live server."""
    host = urlsplit(live_server.url).netloc
    urls = [r.url for r in seen["sent"] if r not in seen["refused"]]
    return [u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).netloc != host]


def urls(seen: dict[str, list]) -> list[str]:
    return [r.url for r in seen["sent"]]


def operation_count(live_server, page) -> int:
    schema = page.request.get(live_server.url + "/api/v1/schema").json()
    return sum(len(operations) for operations in schema["paths"].values())


def test_swagger_ui_renders_every_operation_from_this_server_alone(live_server, page, requested):
    page.goto(live_server.url + "/api/docs/")

    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() == operation_count(live_server, page)
    assert page.get_by_text("一个主体的公示信息").first.is_visible()
    assert page.locator(".info .title").inner_text().startswith("企业监管警示系统 API")
    page.wait_for_load_state("networkidle")
    assert left_the_machine(requested, live_server) == []
    assert any(u.endswith("/api/v1/schema") for u in urls(requested))


def test_redoc_renders_the_operations_from_this_server_alone(live_server, page, requested):
    page.goto(live_server.url + "/api/redoc/")

    heading = page.locator("h2", has_text="一个主体的公示信息")
    heading.first.wait_for()  # each operation is a section headed by its summary
    assert page.locator("h2", has_text="联合惩戒核查").count() == 1
    assert page.locator("strong", has_text="获取密钥").first.is_visible()
    page.wait_for_load_state("networkidle")
    assert left_the_machine(requested, live_server) == []
    assert any(u.endswith("/api/v1/schema") for u in urls(requested))
