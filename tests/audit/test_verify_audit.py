"""`manage.py verify_audit`: what a PostgreSQL superuser can do behind the triggers' back, and the
first problem it leaves, named."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from tests.audit.conftest import raw_sql
from warning_system.audit import chain
from warning_system.audit.models import Action, AuditAnchor, AuditEntry
from warning_system.audit.services import audit_anchor, audit_record
from warning_system.audit.verification import verify_chain

pytestmark = pytest.mark.django_db


def verify(*args) -> tuple[int, str]:
    """(exit status, what the command wrote)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue() + err.getvalue()


def entry(seq: int) -> AuditEntry:
    return AuditEntry.objects.get(seq=seq)


def forge(seq: int, after_entry: AuditEntry, **fields) -> AuditEntry:
    """A plausible row: content like a real one, prev_hash naming `after_entry`, its hash recomputed."""
    row = {
        "seq": seq, "at": timezone.now(), "actor_id": None, "actor_name": "forger", "department_id": "TAUD",
        "action": Action.CLOSE, "subject_uscc": after_entry.subject_uscc, "object_type": "", "object_id": "",
        "before": None, "after": {"forged": True}, "client_address": "", "request_id": "",
    } | fields  # fmt: skip
    row["prev_hash"] = after_entry.hash
    row["hash"] = chain.entry_hash(row["prev_hash"], row)
    return AuditEntry.objects.create(**row)


def rehash_from(seq: int) -> None:
    """Rewrite the chain from `seq` on consistently, as a careful forger would."""
    prev_hash = entry(seq - 1).hash
    for row in (
        AuditEntry.objects.filter(seq__gte=seq)
        .order_by("seq")
        .values("id", "prev_hash", *chain.HASHED_FIELDS)
    ):
        new_hash = chain.entry_hash(prev_hash, row)
        raw_sql(
            "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
            [prev_hash, new_hash, row["id"]],
        )
        prev_hash = new_hash


# --------------------------------------------------------------------------- intact


def test_an_intact_chain_is_ok(trail, anchor_file):
    audit_anchor()

    status, output = verify()

    assert status == 0
    assert "OK: 5 entries, chain intact, 1 anchors" in output


def test_an_empty_trail_is_ok(db):
    assert verify() == (0, "OK: 0 entries, chain intact, 0 anchors\nanchors read from: table\n")


def test_the_chain_is_read_in_chunks(trail):
    result = verify_chain(chunk_size=2)

    assert result.ok and result.entries == 5


def test_entries_appended_after_the_anchor_are_not_a_problem(trail, anchor_file):
    audit_anchor()
    audit_record(action=Action.CLAIM)

    assert verify()[0] == 0


# --------------------------------------------------------------------------- altered


def test_a_row_edited_with_raw_sql_is_named(trail):
    raw_sql("UPDATE audit_auditentry SET actor_name = 'someone_else' WHERE seq = 3")

    status, output = verify()

    assert status == 1
    assert f"PROBLEM (altered): entry 3 (id {trail[2].pk}) was altered" in output


def test_a_row_edited_and_rehashed_is_named_by_the_entry_after_it(trail):
    row = AuditEntry.objects.values("prev_hash", *chain.HASHED_FIELDS).get(seq=3)
    row["actor_name"] = "someone_else"
    raw_sql(
        "UPDATE audit_auditentry SET actor_name = %s, hash = %s WHERE seq = 3",
        ["someone_else", chain.entry_hash(row["prev_hash"], row)],
    )

    status, output = verify()

    assert status == 1
    assert f"entry 3 (id {trail[2].pk}) was altered and re-hashed, or replaced: entry 4" in output


def test_a_before_or_after_value_edited_is_named(trail):
    raw_sql("""UPDATE audit_auditentry SET after = '{"step": 99}' WHERE seq = 4""")

    assert "entry 4 (id" in verify()[1]


# --------------------------------------------------------------------------- removed


def test_a_deleted_row_is_named(trail):
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 3")

    status, output = verify()

    assert status == 1
    assert "PROBLEM (removed): entry 3 missing between 2 and 4" in output


def test_deleted_rows_at_the_start_are_named(trail):
    raw_sql("DELETE FROM audit_auditentry WHERE seq <= 2")

    assert "PROBLEM (removed): entries 1–2 missing before 3" in verify()[1]


def test_a_deleted_row_whose_followers_were_renumbered_is_named(trail):
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 3")
    raw_sql("UPDATE audit_auditentry SET seq = seq - 1 WHERE seq > 3")

    # seq is hashed: the first renumbered entry no longer matches its hash.
    assert f"PROBLEM (altered): entry 3 (id {trail[3].pk}) was altered" in verify()[1]


# --------------------------------------------------------------------------- inserted


def test_a_forged_row_inserted_after_an_entry_already_followed_is_named(trail):
    forged = forge(6, after_entry=trail[1])

    status, output = verify()

    assert status == 1
    assert (
        f"PROBLEM (inserted): entry 6 (id {forged.pk}) was inserted: it chains to entry 2 (id {trail[1].pk}), "
        "which entry 3 already follows"
    ) in output


def test_a_forged_row_with_an_out_of_place_seq_is_named(trail):
    forged = forge(9, after_entry=trail[-1])

    assert f"PROBLEM (inserted): entry 9 (id {forged.pk}) was inserted out of place" in verify()[1]


def test_a_forged_row_taking_a_seq_twice_is_named(trail):
    # A superuser can drop the unique constraint too.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'audit_auditentry'::regclass AND contype = 'u'"
        )
        (constraint,) = cursor.fetchone()
        cursor.execute(f"ALTER TABLE audit_auditentry DROP CONSTRAINT {constraint}")
    forged = forge(3, after_entry=trail[1])

    status, output = verify()

    assert status == 1
    assert (
        f"entry 3 (id {forged.pk}) was inserted: seq 3 is taken twice (ids {trail[2].pk} and {forged.pk})"
        in output
    )


# --------------------------------------------------------------------------- truncated


def test_a_truncated_tail_is_detected_through_the_anchors_table(trail, settings):
    settings.AUDIT_ANCHOR_FILE = None
    audit_anchor()
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")

    status, output = verify()

    assert status == 1
    assert "PROBLEM (truncated): the trail was truncated: the last entry is 3" in output
    assert "anchors table) names entry 5: entries 4–5 (at least) were removed" in output


def test_a_truncated_tail_and_deleted_anchor_rows_are_detected_through_the_anchor_file(trail, anchor_file):
    audit_anchor()
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    raw_sql("DELETE FROM audit_auditanchor")

    status, output = verify()

    assert status == 1
    assert "PROBLEM (truncated)" in output
    assert "(anchor file) names entry 5: entries 4–5 (at least) were removed" in output


def test_a_whole_trail_deleted_is_detected_through_the_anchor_file(trail, anchor_file):
    audit_anchor()
    raw_sql("DELETE FROM audit_auditentry")
    raw_sql("DELETE FROM audit_auditanchor")

    assert "the last entry is 0" in verify()[1]


def test_a_truncated_tail_then_appended_to_is_detected_through_the_anchor(trail, anchor_file):
    audit_anchor()
    raw_sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    audit_record(action=Action.CLAIM)
    audit_record(action=Action.CLAIM)

    status, output = verify()

    assert status == 1
    assert "PROBLEM (rewritten): entry 5" in output


# --------------------------------------------------------------------------- rewritten, anchors


def test_a_chain_rewritten_consistently_is_detected_through_the_anchor_file(trail, anchor_file):
    audit_anchor()
    raw_sql("UPDATE audit_auditentry SET actor_name = 'someone_else' WHERE seq = 3")
    rehash_from(3)
    raw_sql("UPDATE audit_auditanchor SET hash = %s", [entry(5).hash])

    status, output = verify()

    assert status == 1
    assert "PROBLEM (rewritten): entry 5" in output
    assert "(anchor file)" in output


def when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")


def test_an_anchor_row_deleted_from_the_table_is_named(trail, anchor_file):
    anchor = audit_anchor()
    raw_sql("DELETE FROM audit_auditanchor")

    status, output = verify()

    assert status == 1
    assert f"PROBLEM (anchor): the anchor of {when(anchor.at)} (entry 5) was removed from the table" in output


def test_an_anchor_moved_backwards_is_named(trail, settings):
    settings.AUDIT_ANCHOR_FILE = None
    first = audit_anchor()
    later = AuditAnchor.objects.create(at=first.at + timedelta(minutes=10), seq=3, hash=entry(3).hash)

    status, output = verify()

    assert status == 1
    assert (
        f"PROBLEM (anchor): the anchor of {when(later.at)} (anchors table) names entry 3, before entry 5 of the "
        f"anchor of {when(first.at)}"
    ) in output


def test_an_unreadable_anchor_file_is_a_problem(trail, anchor_file):
    audit_anchor()
    with anchor_file.open("a", encoding="utf-8") as out:
        out.write("not json\n")

    assert "PROBLEM (anchor): line 2 of the anchor file" in verify()[1]


# --------------------------------------------------------------------------- output


def test_a_problem_exits_with_status_1(trail):
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 2")

    assert verify()[0] == 1


def test_json_output_names_the_problem(trail):
    raw_sql("DELETE FROM audit_auditentry WHERE seq = 2")

    status, output = verify("--json")

    result = json.loads(output)
    assert status == 1 and result["ok"] is False
    assert result["problem"] == {
        "kind": "removed", "message": "entry 2 missing between 1 and 3", "seq": 2, "entry_id": None,
    }  # fmt: skip


def test_json_output_of_an_intact_chain(trail):
    status, output = verify("--json")

    assert status == 0
    assert json.loads(output) | {"anchors_from": None} == {
        "ok": True, "entries": 5, "last_seq": 5, "anchors": 0, "anchors_from": None, "problem": None,
    }  # fmt: skip


# --------------------------------------------------------------------------- keyed links (AUDIT_CHAIN_KEY)


def test_a_keyed_chain_verifies_with_its_key(db, settings):
    settings.AUDIT_CHAIN_KEY = "kept-in-the-environment"
    for step in range(3):
        audit_record(action=Action.CLAIM, after={"step": step})

    assert verify()[0] == 0


def test_a_row_forged_without_the_key_is_named_even_at_the_end_of_the_chain(db, settings):
    settings.AUDIT_CHAIN_KEY = "kept-in-the-environment"
    last = [audit_record(action=Action.CLAIM, after={"step": step}) for step in range(3)][-1]
    settings.AUDIT_CHAIN_KEY = ""  # the forger computes plain SHA-256 links: the key is not in the database
    forged = forge(4, last)
    settings.AUDIT_CHAIN_KEY = "kept-in-the-environment"

    status, output = verify()

    assert status == 1
    assert f"entry 4 (id {forged.pk}) was altered" in output


def test_a_trail_begun_without_a_key_verifies_with_its_unkeyed_prefix_declared(db, settings):
    settings.AUDIT_CHAIN_KEY = ""
    for step in range(3):
        audit_record(action=Action.CLAIM, after={"step": step})
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_UNKEYED_UNTIL = "set-at-the-upgrade-" + "k" * 20, 3
    audit_record(action=Action.CLAIM, after={"step": 3})

    assert verify()[0] == 0


def test_an_unkeyed_entry_after_the_declared_prefix_is_named(db, settings):
    settings.AUDIT_CHAIN_KEY = ""
    last = [audit_record(action=Action.CLAIM, after={"step": step}) for step in range(3)][-1]
    forged = forge(4, last)  # plain SHA-256, as the prefix is
    settings.AUDIT_CHAIN_KEY, settings.AUDIT_CHAIN_UNKEYED_UNTIL = "set-at-the-upgrade-" + "k" * 20, 3

    assert f"PROBLEM (altered): entry 4 (id {forged.pk}) was altered" in verify()[1]
