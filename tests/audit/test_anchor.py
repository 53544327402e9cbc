"""The daily root hash: the chain's head at the end of a day, in the table and in a file kept apart."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from warning_system.audit import chain
from warning_system.audit.models import Action, AuditAnchor
from warning_system.audit.services import audit_anchor, audit_record
from warning_system.audit.tasks import anchor_yesterday

pytestmark = pytest.mark.django_db


def file_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_an_anchor_records_the_last_entry_of_its_day(trail, anchor_file):
    today = timezone.localdate()

    anchor = audit_anchor(day=today)

    assert (anchor.day, anchor.seq, anchor.hash) == (today, 5, trail[-1].hash)


def test_an_anchor_leaves_out_entries_after_its_day(trail, anchor_file):
    anchor = audit_anchor(day=timezone.localdate() - timedelta(days=1))

    assert (anchor.seq, anchor.hash) == (0, chain.GENESIS)


def test_an_anchor_is_appended_to_the_anchor_file(trail, anchor_file):
    anchor = audit_anchor(day=timezone.localdate())

    assert file_lines(anchor_file) == [{"day": anchor.day.isoformat(), "seq": 5, "hash": trail[-1].hash}]


def test_anchoring_a_day_again_keeps_its_first_anchor_and_writes_no_second_line(trail, anchor_file):
    today = timezone.localdate()
    audit_anchor(day=today)
    audit_record(action=Action.CLAIM)

    again = audit_anchor(day=today)

    assert again.seq == 5
    assert AuditAnchor.objects.count() == 1
    assert len(file_lines(anchor_file)) == 1


def test_a_line_missing_from_the_file_is_written_on_the_next_run(trail, anchor_file, settings):
    settings.AUDIT_ANCHOR_FILE = None
    audit_anchor(day=timezone.localdate())
    assert not anchor_file.exists()

    settings.AUDIT_ANCHOR_FILE = anchor_file
    audit_anchor(day=timezone.localdate())

    assert [line["seq"] for line in file_lines(anchor_file)] == [5]


def test_without_an_anchor_file_only_the_table_is_written(trail, settings):
    settings.AUDIT_ANCHOR_FILE = None

    anchor = audit_anchor(day=timezone.localdate())

    assert AuditAnchor.objects.get().seq == anchor.seq == 5


def test_the_daily_task_anchors_yesterday(trail, anchor_file):
    result = anchor_yesterday.delay().get()

    yesterday = timezone.localdate() - timedelta(days=1)
    assert result["day"] == yesterday.isoformat()
    assert AuditAnchor.objects.get().day == yesterday
