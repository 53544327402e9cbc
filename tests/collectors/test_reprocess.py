"""Quarantined records are fixed and sent through the pipeline again, from admin."""

import pytest

from collectors.services import collect_inbox, quarantined_reprocess
from tests.collectors.conftest import write_jsonl
from tests.factories import make_uscc, penalty
from warning_system.registry.models import IngestRun, Penalty, QuarantinedRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarantined(reference_data, inbox):
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(make_uscc(), "Q1", decided_on="2026-13-01")]
    )
    collect_inbox(inbox)
    return QuarantinedRecord.objects.get()


def test_a_fixed_record_is_stored_and_its_quarantine_entry_resolved(quarantined):
    quarantined.raw["decided_on"] = "2026-10-01"
    quarantined.save()
    quarantined_reprocess([quarantined])
    quarantined.refresh_from_db()
    assert quarantined.status == "reprocessed" and quarantined.resolved_by_run.channel == "reprocess"
    assert str(Penalty.objects.get(record_id="Q1").decided_on) == "2026-10-01"


def test_a_record_still_wrong_stays_one_open_entry_with_its_new_reasons(quarantined):
    quarantined.raw["decided_on"] = "2026-10-01"
    quarantined.raw["fine_amount"] = "很多"
    quarantined.save()
    quarantined_reprocess([quarantined])
    quarantined.refresh_from_db()
    assert quarantined.status == "open" and quarantined.reasons == ["unparsable_amount"]
    assert QuarantinedRecord.objects.count() == 1
    assert not Penalty.objects.exists()
    assert IngestRun.objects.filter(channel="reprocess").get().quarantined == 1


def test_the_admin_action_reprocesses(quarantined, admin_client):
    quarantined.raw["decided_on"] = "2026-10-01"
    quarantined.save()
    response = admin_client.post(
        "/admin/registry/quarantinedrecord/",
        {"action": "reprocess", "_selected_action": [quarantined.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Penalty.objects.filter(record_id="Q1").exists()


def test_the_admin_site_cannot_add_a_quarantined_record(admin_client):
    add = "/admin/registry/quarantinedrecord/add/"
    assert admin_client.get(add).status_code == 403
    assert admin_client.post(add, {"raw": "{}", "position": "1"}).status_code == 403
    assert not QuarantinedRecord.objects.exists()
