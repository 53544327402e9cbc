"""The four tamperings a PostgreSQL superuser can do behind the triggers' back, each caught by
`manage.py verify_audit` as a deployment runs it: links keyed with AUDIT_CHAIN_KEY (which the test
settings set, as production must), the head anchored as beat anchors it every ten minutes.

The forger knows chain.py and can recompute SHA-256; the key is not in the database, so not theirs.
"""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.audit.conftest import raw_sql
from tests.factories import StaffFactory, make_uscc
from warning_system.audit import chain
from warning_system.audit.models import Action, AuditEntry
from warning_system.audit.services import audit_record

pytestmark = pytest.mark.django_db

ENTRIES = 25


@pytest.fixture
def anchored_trail(db, anchor_file):
    """25 entries, the head anchored once they were written (the ten-minute job ran)."""
    staff = StaffFactory(department__code="TAUD")
    uscc = make_uscc()
    for step in range(1, ENTRIES + 1):
        audit_record(action=Action.FEEDBACK, actor=staff.user, subject_uscc=uscc, after={"step": step})
    call_command("anchor_audit", stdout=io.StringIO())


def edit_an_entry():
    raw_sql(
        """UPDATE audit_auditentry SET after = '{"step": 0}', actor_name = 'someone_else' WHERE seq = 12"""
    )


def delete_one_in_the_middle():
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 12")


def forge_append_with_a_correct_unkeyed_hash():
    """A new last entry whose hash is exactly what chain.py computes, but without the key."""
    head = AuditEntry.objects.order_by("-seq").values("seq", "hash", "subject_uscc").first()
    content = {
        "seq": head["seq"] + 1, "at": timezone.now(), "actor_id": None, "actor_name": "scjg_leader",
        "department_id": "TAUD", "action": Action.CLOSE, "subject_uscc": head["subject_uscc"],
        "object_type": "", "object_id": "", "before": None, "after": {"closed": True},
        "client_address": "10.0.0.8", "request_id": "",
    }  # fmt: skip
    hashed = {**content, "at": content["at"].isoformat(timespec="microseconds")}
    forged_hash = hashlib.sha256((head["hash"] + chain.canonical(hashed)).encode()).hexdigest()
    AuditEntry.objects.create(**content, prev_hash=head["hash"], hash=forged_hash)


def truncate_the_tail_after_an_anchor():
    raw_sql("DELETE FROM audit_auditentry WHERE seq > %s", [ENTRIES - 20])


TAMPERINGS = {
    "edit an entry": (edit_an_entry, "altered"),
    "delete one in the middle": (delete_one_in_the_middle, "removed"),
    "forge-append with a correct unkeyed hash": (forge_append_with_a_correct_unkeyed_hash, "altered"),
    "truncate the tail after an anchor": (truncate_the_tail_after_an_anchor, "truncated"),
}


def verify_audit() -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def test_the_untouched_trail_verifies(anchored_trail):
    assert verify_audit() == (
        0,
        f"OK: {ENTRIES} entries, chain intact, 1 anchors\nanchors read from: table, file\n",
    )


@pytest.mark.parametrize("tampering", TAMPERINGS)
def test_verify_audit_detects_each_tampering_by_a_superuser(anchored_trail, tampering):
    tamper, kind = TAMPERINGS[tampering]

    tamper()
    status, output = verify_audit()

    assert status == 1
    assert f"PROBLEM ({kind})" in output
