"""The chain as written: gapless seq, each hash over the content and the hash before, the request
captured, and PostgreSQL refusing to change what is written."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.auth import log_in
from tests.factories import StaffFactory
from warning_system.audit import chain
from warning_system.audit.models import Action, AuditAnchor, AuditEntry
from warning_system.audit.services import audit_anchor, audit_record

pytestmark = pytest.mark.django_db


def stored(entry: AuditEntry) -> dict:
    """The entry as PostgreSQL gives it back."""
    return AuditEntry.objects.values("prev_hash", "hash", *chain.HASHED_FIELDS).get(pk=entry.pk)


def test_the_first_entry_chains_to_the_genesis_hash(trail):
    assert trail[0].seq == 1
    assert trail[0].prev_hash == chain.GENESIS


def test_each_entry_chains_to_the_hash_of_the_one_before(trail):
    for before, after in zip(trail, trail[1:], strict=False):
        assert after.prev_hash == before.hash


def test_each_hash_is_recomputed_from_the_stored_content(trail):
    for entry in trail:
        row = stored(entry)
        assert chain.entry_hash(row["prev_hash"], row) == row["hash"]


def test_seq_is_gapless(trail):
    assert list(AuditEntry.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_an_entry_rolled_back_with_its_action_leaves_no_gap(trail):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=Action.CLAIM)
        raise RuntimeError("the action failed")

    entry = audit_record(action=Action.CLOSE)

    assert entry.seq == 6
    assert entry.prev_hash == trail[-1].hash


def test_time_never_goes_backwards_along_the_chain(trail):
    times = list(AuditEntry.objects.order_by("seq").values_list("at", flat=True))
    assert times == sorted(times)


def test_the_actor_and_their_department_are_recorded(db):
    staff = StaffFactory(department__code="TDEP")

    entry = audit_record(action=Action.CLAIM, actor=staff.user)

    assert (entry.actor_id, entry.actor_name, entry.department_id) == (
        staff.user.pk,
        staff.user.username,
        "TDEP",
    )


def test_an_entry_without_an_actor_is_the_systems(db):
    entry = audit_record(action=Action.OVERDUE)

    assert (entry.actor_id, entry.actor_name, entry.department_id) == (None, "system", "")


def test_a_large_float_is_hashed_as_postgresql_stores_it(db):
    entry = audit_record(action=Action.CATALOG_CHANGE, after={"big": 1e20, "small": 1e-7, "plain": 1.5})

    row = stored(entry)
    assert chain.entry_hash(row["prev_hash"], row) == row["hash"]


def test_the_request_id_and_client_address_are_captured_through_a_real_request(client, db):
    staff = StaffFactory(role="staff")
    log_in(client, staff)

    # A staff member may not search the trail: the denial is an entry of that very request.
    response = client.get("/supervision/audit/", HTTP_X_REQUEST_ID="req-7f3a", REMOTE_ADDR="10.20.30.40")

    assert response.status_code == 403
    assert response["X-Request-ID"] == "req-7f3a"
    entry = AuditEntry.objects.get(action=Action.DENIED)
    assert (entry.request_id, entry.client_address, entry.actor_name) == (
        "req-7f3a", "10.20.30.40", staff.user.username,
    )  # fmt: skip


def test_a_request_without_an_id_is_given_one(client, db):
    staff = StaffFactory(role="staff")
    log_in(client, staff)

    response = client.get("/supervision/audit/")

    entry = AuditEntry.objects.get(action=Action.DENIED)
    assert entry.request_id and entry.request_id == response["X-Request-ID"]


# --------------------------------------------------------------------------- PostgreSQL refuses


def refused(*statements: str) -> str:
    with pytest.raises(DatabaseError) as raised, transaction.atomic(), connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
    return str(raised.value)


def test_postgresql_refuses_to_update_an_entry(trail):
    assert "append-only: UPDATE" in refused(
        "UPDATE audit_auditentry SET actor_name = 'someone' WHERE seq = 2"
    )
    assert AuditEntry.objects.get(seq=2).actor_name == trail[1].actor_name


def test_postgresql_refuses_to_delete_an_entry(trail):
    assert "append-only: DELETE" in refused("DELETE FROM audit_auditentry WHERE seq = 5")
    assert AuditEntry.objects.count() == 5


def test_postgresql_refuses_to_truncate_the_trail(trail):
    # The test database allows TRUNCATE for browser tests (tests/conftest.py); production does not.
    assert "append-only: TRUNCATE" in refused(
        "SET LOCAL audit.allow_truncate = off", "TRUNCATE audit_auditentry"
    )
    assert AuditEntry.objects.count() == 5


def test_postgresql_refuses_to_update_or_delete_an_anchor(trail):
    audit_anchor()

    assert "append-only: UPDATE" in refused("UPDATE audit_auditanchor SET seq = 1")
    assert "append-only: DELETE" in refused("DELETE FROM audit_auditanchor")
    assert AuditAnchor.objects.count() == 1
