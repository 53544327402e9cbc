"""GET /metrics: the system's own Prometheus metrics, for the monitoring system only."""

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, make_uscc
from warning_system.classification.models import ColourVerification
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.models import IngestRun
from warning_system.registry.services import subjects_mark_for_evaluation

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-the-tests-0123456789"


@pytest.fixture
def monitoring(settings):
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16"]
    settings.METRICS_TOKEN = TOKEN


def scrape(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return response.content.decode()


def test_anyone_else_is_refused(client, monitoring):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_wrong_token_is_refused(client, monitoring):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer wrong")
    assert response.status_code == 403


def test_nobody_is_served_when_nothing_is_configured(client):
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 403


def test_an_allowed_address_is_served(client, monitoring):
    assert "ws_evaluation_backlog" in scrape(client, REMOTE_ADDR="10.20.3.4")


def test_the_token_is_served_from_anywhere(client, monitoring):
    assert "ws_evaluation_backlog" in scrape(
        client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"
    )


def test_the_address_behind_the_proxy_is_the_one_checked(client, monitoring, settings):
    settings.NUM_PROXIES = 1
    response = client.get("/metrics", REMOTE_ADDR="10.20.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert response.status_code == 403


def test_records_stored_and_quarantined_per_department_and_kind(client, monitoring):
    scjg = DepartmentFactory(code="SCJG")
    for inserted, updated, quarantined in ((10, 2, 1), (5, 0, 3)):
        IngestRun.objects.create(department=scjg, channel=Channel.FILE, kind="penalty", status=RunStatus.SUCCEEDED,
                                 inserted=inserted, updated=updated, quarantined=quarantined,
                                 finished_at=timezone.now())  # fmt: skip
    text = scrape(client, REMOTE_ADDR="10.20.3.4")
    assert 'ws_records_stored_total{department="SCJG",kind="penalty"} 17.0' in text
    assert 'ws_records_quarantined_total{department="SCJG",kind="penalty"} 4.0' in text
    assert 'ws_ingest_runs_total{department="SCJG",status="succeeded"} 2.0' in text
    assert 'ws_ingest_last_success_timestamp_seconds{department="SCJG"}' in text


def test_backlog_and_the_watchdogs_stale_colours(client, monitoring):
    subjects_mark_for_evaluation(usccs=[make_uscc(), make_uscc()])
    ColourVerification.objects.create(as_of=timezone.localdate(), evaluated=100, differing=3)
    text = scrape(client, REMOTE_ADDR="10.20.3.4")
    assert "ws_evaluation_backlog 2.0" in text
    assert "ws_colour_verification_differing 3.0" in text


def test_refusals_are_counted_by_area(client, monitoring, settings):
    settings.PUBLIC_RATE_LIMIT = "1/minute"
    client.get("/statistics", REMOTE_ADDR="198.51.100.7")
    assert client.get("/statistics", REMOTE_ADDR="198.51.100.7").status_code == 429
    assert 'ws_http_refused_total{area="portal"} 1.0' in scrape(client, REMOTE_ADDR="10.20.3.4")


def test_failed_logins_are_counted(client, monitoring):
    client.post("/supervision/login/", {"username": "nobody", "password": "wrong"})
    assert "ws_login_failures_total 1.0" in scrape(client, REMOTE_ADDR="10.20.3.4")


def test_metrics_name_no_subject(client, monitoring):
    uscc = make_uscc()
    subjects_mark_for_evaluation(usccs=[uscc])
    assert uscc not in scrape(client, REMOTE_ADDR="10.20.3.4")
