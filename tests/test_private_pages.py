"""What a regulator sees is never stored by a browser or a proxy: the workspace and the admin site
answer with Cache-Control: no-store, whatever the page, the status or the person asking."""

import pytest

from tests.auth import log_in
from tests.factories import StaffFactory
from warning_system.registry.models import Department

pytestmark = pytest.mark.django_db


def never_stored(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "path", ["/supervision/login/", "/supervision/", "/supervision/no-such-page/", "/admin/login/", "/admin/"]
)
def test_workspace_and_admin_responses_to_anybody_are_never_stored(client, path):
    assert never_stored(client.get(path))


def test_a_regulators_workspace_page_is_never_stored(client, reference_data):
    log_in(client, StaffFactory(department=Department.objects.get(code="SCJG")))

    response = client.get("/supervision/")

    assert response.status_code == 200
    assert never_stored(response)


def test_the_public_portal_is_not_marked_private(client):
    assert not never_stored(client.get("/"))
