"""GET /health/: JSON, 200 while this instance can serve, 503 when the database or Redis cannot."""

from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone

from tests.factories import DepartmentFactory, make_uscc
from warning_system.monitoring import counters, health
from warning_system.registry.choices import Channel, RunStatus
from warning_system.registry.models import IngestRun
from warning_system.registry.services import subjects_mark_for_evaluation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_healthy_system_answers_200_with_every_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "standbys", "evaluation_backlog", "ingest"}


def test_a_database_that_does_not_answer_gives_503(client, monkeypatch):
    def broken(self):
        raise DatabaseError("could not connect to server at 10.0.0.5")

    monkeypatch.setattr(health.PrimaryDatabase, "run", broken)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "unavailable"


def test_an_error_never_shows_its_driver_message(client, monkeypatch):
    def broken(self):
        raise DatabaseError("password authentication failed for user warning at 10.0.0.5")

    monkeypatch.setattr(health.Ingest, "run", broken)
    response = client.get("/health/")
    assert "10.0.0.5" not in response.content.decode()
    assert response.json()["checks"]["ingest"]["status"] == "warning"


def test_redis_down_gives_503(client, settings):
    down = "redis://127.0.0.1:1/0"  # nothing listens there
    kept = settings.CACHES
    settings.REDIS_URL = down
    settings.CACHES = {**kept, "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                           "LOCATION": down}}  # fmt: skip
    try:
        response = client.get("/health/")
    finally:
        settings.CACHES = kept  # before the test's cache is cleared
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["status"] == "unavailable"


def test_a_backlog_nobody_drains_is_a_warning_with_200(client):
    subjects_mark_for_evaluation(usccs=[make_uscc()])
    response = client.get("/health/")
    assert response.status_code == 200
    backlog = response.json()["checks"]["evaluation_backlog"]
    assert (backlog["status"], backlog["waiting"]) == ("warning", 1)


def test_a_backlog_drained_a_moment_ago_is_fine(client):
    subjects_mark_for_evaluation(usccs=[make_uscc()])
    counters.note_drain()
    assert client.get("/health/").json()["checks"]["evaluation_backlog"]["status"] == "ok"


def test_ingest_ages_per_department_and_a_silent_one_warned(client):
    now = timezone.now()
    for code, age in (("SCJG", timedelta(hours=1)), ("SWJ", timedelta(days=3))):
        IngestRun.objects.create(department=DepartmentFactory(code=code), channel=Channel.FILE, kind="penalty",
                                 status=RunStatus.SUCCEEDED, finished_at=now - age)  # fmt: skip
    ingest = client.get("/health/").json()["checks"]["ingest"]
    assert ingest["status"] == "warning"
    assert 3500 < ingest["seconds_since_last_success"]["SCJG"] < 3700
    assert "SWJ" in ingest["message"] and "SCJG" not in ingest["message"]
