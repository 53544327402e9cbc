"""The Celery wrappers call the services (run in-process here; the broker is not under test)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from collectors import tasks
from collectors.models import PullSource
from tests.collectors.conftest import write_jsonl
from tests.factories import make_uscc, penalty
from warning_system.registry.models import Department, Penalty

pytestmark = pytest.mark.django_db


def test_the_inbox_task_collects_the_configured_inbox(reference_data, inbox, settings):
    settings.FEED_INBOX = inbox
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(make_uscc(), "T1")])
    totals = tasks.collect_inbox.apply().get()
    assert totals["inserted"] == 1
    assert Penalty.objects.filter(record_id="T1").exists()


def test_only_active_sources_whose_interval_has_passed_are_due(reference_data, monkeypatch):
    department = Department.objects.get(code="SCJG")
    now = timezone.now()
    common = {"department": department, "base_url": "http://127.0.0.1:9", "token": "t", "kinds": ["penalty"]}
    due = PullSource.objects.create(name="due", last_pulled_at=now - timedelta(hours=2), **common)
    PullSource.objects.create(name="recent", last_pulled_at=now - timedelta(minutes=5), **common)
    PullSource.objects.create(name="failing", status=PullSource.Status.FAILING, **common)
    dispatched = []
    monkeypatch.setattr(tasks.pull_source, "delay", dispatched.append)
    assert tasks.pull_due_sources.apply().get() == 1
    assert dispatched == [due.pk]
