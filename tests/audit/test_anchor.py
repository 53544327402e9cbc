"""Anchors: the chain's head every ten minutes, in the table and in a file kept apart."""

import io
import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.audit.conftest import raw_sql
from warning_system.audit import chain
from warning_system.audit.models import Action, AuditAnchor
from warning_system.audit.services import TrailBroken, audit_anchor, audit_record
from warning_system.audit.tasks import anchor_head

pytestmark = pytest.mark.django_db


def file_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_anchor_records_the_current_head(trail, anchor_file):
    anchor = audit_anchor()

    assert (anchor.seq, anchor.hash) == (5, trail[-1].hash)


def test_an_empty_trail_is_anchored_at_the_genesis_hash(db):
    anchor = audit_anchor()

    assert (anchor.seq, anchor.hash) == (0, chain.GENESIS)


def test_an_anchor_is_appended_to_the_anchor_file(trail, anchor_file):
    anchor = audit_anchor()

    assert file_lines(anchor_file) == [
        {"at": anchor.at.isoformat(timespec="microseconds"), "seq": 5, "hash": trail[-1].hash}
    ]


def test_a_head_already_anchored_adds_no_row_and_no_line(trail, anchor_file):
    first = audit_anchor()

    again = audit_anchor()

    assert again == first
    assert AuditAnchor.objects.count() == 1
    assert len(file_lines(anchor_file)) == 1


def test_a_head_that_moved_is_anchored_again(trail, anchor_file):
    audit_anchor()
    audit_record(action=Action.CLAIM)

    audit_anchor()

    assert list(AuditAnchor.objects.values_list("seq", flat=True)) == [5, 6]
    assert [line["seq"] for line in file_lines(anchor_file)] == [5, 6]


def test_a_line_missing_from_the_file_is_written_on_the_next_run(trail, anchor_file, settings):
    settings.AUDIT_ANCHOR_FILE = None
    audit_anchor()
    assert not anchor_file.exists()

    settings.AUDIT_ANCHOR_FILE = anchor_file
    audit_anchor()

    assert [line["seq"] for line in file_lines(anchor_file)] == [5]


def test_without_an_anchor_file_only_the_table_is_written(trail, settings):
    settings.AUDIT_ANCHOR_FILE = None

    anchor = audit_anchor()

    assert AuditAnchor.objects.get().seq == anchor.seq == 5


def test_a_file_of_daily_anchors_is_continued_after_its_last_day(trail, anchor_file):
    anchor_file.parent.mkdir(parents=True)
    anchor_file.write_text(
        '{"day": "2020-01-01", "hash": "' + chain.GENESIS + '", "seq": 0}\n', encoding="utf-8"
    )

    audit_anchor()

    assert [line["seq"] for line in file_lines(anchor_file)] == [0, 5]


def test_a_trail_cut_below_its_last_anchor_is_refused_and_not_anchored(trail, anchor_file):
    audit_anchor()
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")

    with pytest.raises(TrailBroken, match="no longer holds entry 5"):
        audit_anchor()

    assert AuditAnchor.objects.count() == 1
    assert len(file_lines(anchor_file)) == 1


def test_the_task_anchors_the_head(trail, anchor_file):
    result = anchor_head.delay().get()

    assert (result["seq"], result["hash"]) == (5, trail[-1].hash)
    assert AuditAnchor.objects.get().seq == 5


def test_beat_anchors_the_head_at_least_every_ten_minutes():
    job = settings.CELERY_BEAT_SCHEDULE["anchor-audit-trail"]

    assert job["task"] == anchor_head.name
    assert job["schedule"] <= timedelta(minutes=10)


def test_the_command_anchors_the_head_at_once(trail, anchor_file):
    out = io.StringIO()

    call_command("anchor_audit", "--json", stdout=out)

    assert json.loads(out.getvalue())["seq"] == 5
    assert file_lines(anchor_file)[-1]["seq"] == 5


def test_the_command_fails_on_a_trail_cut_below_its_last_anchor(trail, anchor_file):
    call_command("anchor_audit", stdout=io.StringIO())
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 5")

    with pytest.raises(CommandError, match="run `manage.py verify_audit`"):
        call_command("anchor_audit", stdout=io.StringIO())
