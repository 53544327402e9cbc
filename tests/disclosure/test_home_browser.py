import pytest

pytestmark = pytest.mark.browser


def test_home_page_renders_in_chinese(live_server, page):
    response = page.goto(live_server.url + "/")

    assert response is not None
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-hans"
