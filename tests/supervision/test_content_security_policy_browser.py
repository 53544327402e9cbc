"""The workspace under its Content-Security-Policy in Chromium: every area's page loads its styles
from static files and the browser refuses nothing."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.supervision.test_workflow_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREAS = [
    "supervision:home",
    "supervision:dual_dashboard",
    "supervision:linked_inbox",
    "supervision:prewarning_list",
    "supervision:inspection_tasks",
    "supervision:joint_check",
    "supervision:assessment_scorecard",
]


def test_each_area_of_the_workspace_loads_with_nothing_refused(live_server, page, staff_of):
    refusals: list[str] = []
    page.on("console", lambda m: refusals.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, live_server.url, staff_of("SCJG", role="leader").user.username)
    expect(page).to_have_url(live_server.url + "/supervision/")

    for name in AREAS:
        response = page.goto(live_server.url + reverse(name))
        assert response is not None and response.status == 200, name

    assert refusals == []


def test_an_areas_styles_apply_from_their_static_file(live_server, page, staff_of):
    log_in(page, live_server.url, staff_of("SCJG", role="leader").user.username)

    page.goto(live_server.url + reverse("supervision:inspection_tasks"))

    current_tab = page.locator('.workspace-tabs a[aria-current="page"]')
    expect(current_tab).to_have_css("font-weight", "700")
    expect(current_tab).to_have_css("text-decoration-line", re.compile("underline"))
