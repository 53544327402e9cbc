"""Which requests may read from a standby, decided per request (warning_system/standby.py).

Transactional tests: inside the usual test transaction every read would stay on the primary.

A spy stands in for the choice of a standby: a request that ever asks for one would have read from
it. The real standbys, their lag and their failures: test_real_standby.py.
"""

import pytest
from django.db import transaction

from disclosure.services.api_keys import api_key_issue
from tests.auth import log_in
from tests.factories import DepartmentFactory, StaffFactory, make_uscc
from warning_system import standby
from warning_system.registry.models import Subject


@pytest.fixture
def asked(settings, monitor_choice):
    settings.STANDBY_DATABASES = ["standby1"]
    return monitor_choice


@pytest.fixture
def monitor_choice(monkeypatch):
    calls = []

    def spy():
        calls.append(standby.current())
        return standby.PRIMARY, None

    monkeypatch.setattr(standby, "_choose", spy)
    return calls


@pytest.mark.django_db(transaction=True)
def test_a_public_page_asks_for_a_standby(client, asked, reference_data):
    assert client.get("/statistics").status_code == 200
    assert len(asked) == 1


@pytest.mark.django_db(transaction=True)
def test_an_api_read_asks_for_a_standby(client, asked):
    _, key = api_key_issue("测试银行")
    client.get(f"/api/v1/subjects/{make_uscc()}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert asked


@pytest.mark.django_db(transaction=True)
def test_workspace_reads_never_ask_for_a_standby(client, asked):
    staff = StaffFactory(department=DepartmentFactory(code="SCJG"), role="leader")
    log_in(client, staff)
    assert client.get("/supervision/").status_code == 200
    assert client.get("/supervision/dual/").status_code in (200, 302, 404)
    assert asked == []


@pytest.mark.django_db(transaction=True)
def test_admin_reads_never_ask_for_a_standby(admin_client, asked):
    assert admin_client.get("/admin/").status_code == 200
    assert asked == []


@pytest.mark.django_db(transaction=True)
def test_a_public_post_never_asks_for_a_standby(client, asked, reference_data):
    client.post("/check", {"codes": "91360102MA35XXXX"})
    assert asked == []


@pytest.mark.django_db(transaction=True)
def test_after_a_public_post_the_visitor_reads_the_primary_for_a_while(client, asked, reference_data):
    response = client.post("/check", {"codes": "91360102MA35XXXX"})
    assert response.cookies[standby.PIN_COOKIE]["max-age"] >= 6
    client.get("/statistics")
    assert asked == []


@pytest.mark.django_db(transaction=True)
def test_nothing_is_marked_without_standbys(client, monitor_choice, reference_data):
    client.get("/statistics")
    assert monitor_choice == []


@pytest.mark.django_db(transaction=True)
def test_reads_in_a_transaction_and_writes_go_to_the_primary():
    router = standby.StandbyRouter()
    token = standby._reads.set(standby.RequestReads(eligible=True, alias="standby1"))
    try:
        assert router.db_for_read(Subject) == "standby1"
        with transaction.atomic():
            assert router.db_for_read(Subject) is None
        assert router.db_for_write(Subject) == "default"
        assert router.db_for_read(Subject) is None  # the request wrote: it reads what it wrote
    finally:
        standby._reads.reset(token)


def test_sessions_and_logins_are_read_from_the_primary():
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    router = standby.StandbyRouter()
    token = standby._reads.set(standby.RequestReads(eligible=True, alias="standby1"))
    try:
        assert router.db_for_read(Session) is None
        assert router.db_for_read(User) is None
    finally:
        standby._reads.reset(token)


def test_standbys_are_never_migrated(settings):
    settings.STANDBY_DATABASES = ["standby1"]
    router = standby.StandbyRouter()
    assert router.allow_migrate("standby1", "registry") is False
    assert router.allow_migrate("default", "registry") is True
