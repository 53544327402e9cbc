"""The audit search (/supervision/audit/): leaders read their department's trail, administrators
everyone's; filters by user, department, action, subject and date; 50 per page; CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.audit.conftest import raw_sql
from tests.auth import log_in
from tests.factories import make_uscc
from warning_system.audit.models import Action, AuditEntry
from warning_system.audit.services import audit_record

SEARCH = "/supervision/audit/"
EXPORT = "/supervision/audit/export.csv"


@pytest.fixture
def leader(staff_of):
    return staff_of("SCJG", role="leader")


@pytest.fixture
def entries(staff_of):
    """Entries of two departments: SCJG (a claim and a feedback) and SWJ (a claim)."""
    scjg, swj = staff_of("SCJG"), staff_of("SWJ")
    subject = make_uscc()
    return {
        "scjg_claim": audit_record(action=Action.CLAIM, actor=scjg.user, subject_uscc=subject),
        "scjg_feedback": audit_record(action=Action.FEEDBACK, actor=scjg.user, after={"result": "已办证"}),
        "swj_claim": audit_record(action=Action.CLAIM, actor=swj.user),
        "subject": subject,
        "scjg_user": scjg.user.username,
        "swj_user": swj.user.username,
    }


def seqs(client, query: str = "") -> list[int]:
    response = client.get(SEARCH + query)
    assert response.status_code == 200
    return [entry.seq for entry in response.context["page"].object_list]


def test_a_leader_sees_only_their_departments_entries(client, leader, entries):
    log_in(client, leader)  # a login of SCJG: an entry too

    shown = seqs(client)

    assert {entries["scjg_feedback"].seq, entries["scjg_claim"].seq} <= set(shown)
    assert set(AuditEntry.objects.filter(seq__in=shown).values_list("department_id", flat=True)) == {"SCJG"}
    assert entries["swj_claim"].seq not in shown


def test_a_leader_asking_for_another_department_still_sees_only_their_own(client, leader, entries):
    log_in(client, leader)

    assert entries["swj_claim"].seq not in seqs(client, "?department=SWJ")


def test_a_leader_asking_for_another_departments_user_sees_nothing(client, leader, entries):
    log_in(client, leader)

    assert seqs(client, f"?user={entries['swj_user']}") == []


def test_an_administrator_sees_every_department(client, staff_of, entries):
    log_in(client, staff_of("SCJG", role="admin"))

    shown = seqs(client)

    assert {entries[k].seq for k in ("scjg_claim", "scjg_feedback", "swj_claim")} <= set(shown)


def test_an_administrator_filters_by_department(client, staff_of, entries):
    log_in(client, staff_of("SCJG", role="admin"))

    assert seqs(client, "?department=SWJ") == [entries["swj_claim"].seq]


def test_a_staff_member_is_refused(client, staff_of, entries):
    log_in(client, staff_of("SCJG"))

    assert client.get(SEARCH).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    assert client.get(SEARCH).status_code == 302


def test_the_action_filter(client, leader, entries):
    log_in(client, leader)

    assert seqs(client, "?action=feedback") == [entries["scjg_feedback"].seq]


def test_the_user_filter(client, leader, entries):
    log_in(client, leader)

    assert seqs(client, f"?user={entries['scjg_user']}") == [
        entries["scjg_feedback"].seq,
        entries["scjg_claim"].seq,
    ]


def test_the_subject_filter_accepts_a_code_as_people_type_it(client, leader, entries):
    log_in(client, leader)

    assert seqs(client, f"?subject={entries['subject'].lower()}") == [entries["scjg_claim"].seq]


def test_the_date_filters_take_whole_days_of_the_city(client, leader, entries):
    log_in(client, leader)
    # 23:59 in Nanchang is 15:59 UTC: still that day for the filter.
    last_week = (timezone.localtime() - timedelta(days=7)).replace(hour=23, minute=59, second=0)
    raw_sql("UPDATE audit_auditentry SET at = %s WHERE seq = %s", [last_week, entries["scjg_claim"].seq])
    day = last_week.date()

    assert seqs(client, f"?date_from={day}&date_to={day}") == [entries["scjg_claim"].seq]
    assert entries["scjg_claim"].seq not in seqs(client, f"?date_from={day + timedelta(days=1)}")
    assert seqs(client, f"?date_to={day - timedelta(days=1)}") == []


def test_an_invalid_filter_is_shown_and_ignored(client, leader, entries):
    log_in(client, leader)

    response = client.get(SEARCH + "?action=nonsense")

    assert response.status_code == 200
    assert "无效" in response.content.decode()
    assert entries["scjg_feedback"].seq in [entry.seq for entry in response.context["page"].object_list]


def test_the_page_shows_who_what_where_and_when(client, leader, entries):
    log_in(client, leader)

    body = client.get(SEARCH).content.decode()

    assert entries["scjg_user"] in body
    assert "南昌市市场监督管理局" in body and "反馈" in body and "已办证" in body


def test_the_search_shows_50_entries_a_page(client, leader, db):
    for _ in range(51):
        audit_record(action=Action.CLOSE, department_id="SCJG")
    log_in(client, leader)

    total = AuditEntry.objects.filter(department_id="SCJG").count()  # and the leader's login

    assert len(seqs(client)) == 50
    assert len(seqs(client, "?page=2")) == total - 50


def test_the_search_page_runs_a_bounded_number_of_queries(
    client, leader, entries, django_assert_max_num_queries
):
    for _ in range(60):
        audit_record(action=Action.CLOSE, department_id="SCJG")
    log_in(client, leader)

    with django_assert_max_num_queries(12):
        client.get(SEARCH)


def test_the_export_holds_the_filtered_entries_and_is_itself_audited(client, leader, entries):
    log_in(client, leader)

    response = client.get(EXPORT + "?action=claim")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert response.status_code == 200
    assert [row[0] for row in rows[1:]] == [str(entries["scjg_claim"].seq)]
    export = AuditEntry.objects.get(action=Action.EXPORT)
    assert (export.actor_name, export.department_id, export.after) == (
        leader.user.username, "SCJG", {"filters": {"action": "claim"}},
    )  # fmt: skip
