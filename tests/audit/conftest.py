"""Helpers of the audit trail's tests: a trail of a few entries, an anchor file, and the superuser's
way around the append-only triggers."""

from contextlib import contextmanager

import pytest
from django.db import connection

from tests.factories import StaffFactory, make_uscc
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record


@contextmanager
def triggers_off():
    """What a PostgreSQL superuser can do: switch this session's triggers off (and back on after)."""
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def raw_sql(sql: str, params=()) -> int:
    """Run `sql` behind the triggers' back; the number of rows it touched."""
    with triggers_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def trail(db):
    """Five entries, seq 1–5, by a regulator of department TAUD about one subject."""
    staff = StaffFactory(department__code="TAUD")
    uscc = make_uscc()
    actions = (Action.CLAIM, Action.FEEDBACK, Action.VIEW_PERSONAL, Action.CLOSE, Action.EXPORT)
    return [
        audit_record(action=action, actor=staff.user, subject_uscc=uscc, after={"step": i})
        for i, action in enumerate(actions, start=1)
    ]


@pytest.fixture(autouse=True)
def no_anchor_file(settings):
    """Never the developer's own var/audit-anchors.jsonl: a test that wants a file asks for `anchor_file`."""
    settings.AUDIT_ANCHOR_FILE = None


@pytest.fixture
def anchor_file(settings, tmp_path, no_anchor_file):
    path = tmp_path / "kept-apart" / "audit-anchors.jsonl"
    settings.AUDIT_ANCHOR_FILE = path
    return path
