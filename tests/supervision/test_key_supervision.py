"""重点监管: leaders put subjects under key supervision until an end date; any new record of such a
subject, of any kind and from any department, raises an alert until then."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supervision.models import KeySupervision, KeySupervisionAlert
from supervision.selectors.home import home_queues
from tests.auth import log_in
from tests.factories import make_uscc, registration
from tests.supervision.feeds import days_ago, fine, licence, push, register, version
from warning_system.audit.models import Action, AuditEntry


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@pytest.fixture
def leader(staff_of):
    return staff_of("GAJ", role="leader")


@pytest.fixture
def subject(reference_data):
    return register()


def start(client, subject: str, ends_on: str | None = None, **data):
    data = {"uscc": subject, "reason": "多次被投诉", "ends_on": ends_on or in_days(90), **data}
    return client.post(reverse("supervision:key_create"), data)


@pytest.fixture
def watched(client, leader, subject) -> KeySupervision:
    log_in(client, leader)
    start(client, subject)
    return KeySupervision.objects.get(subject_id=subject)


def alerts() -> list[tuple[str, str]]:
    return sorted(KeySupervisionAlert.objects.values_list("kind", "record_id"))


NEW_RECORDS = {
    "penalty": ("SWJ", lambda uscc: fine(uscc, "R-1")),
    "license": ("WJW", lambda uscc: licence(uscc, "R-1")),
    "arrears": ("SWJ", lambda uscc: {"record_id": "R-1", "updated_at": version(), "uscc": uscc,
                                     "subject_name": "x", "arrears_type": "欠税", "amount": "3",
                                     "since": days_ago(90), "as_of": days_ago(1)}),
    "dishonest_debtor": ("ZY", lambda uscc: {"record_id": "R-1", "updated_at": version(), "uscc": uscc,
                                             "subject_name": "x", "case_number": "（2026）赣01执1号",
                                             "court": "南昌市中级人民法院", "performance": "全部未履行",
                                             "published_on": days_ago(2)}),
    "registration": ("SCJG", lambda uscc: registration(uscc, record_id="R-1", updated_at=version(),
                                                       status="吊销")),
}  # fmt: skip


def test_a_leader_puts_a_subject_under_key_supervision(client, leader, subject):
    log_in(client, leader)
    response = start(client, subject)
    key = KeySupervision.objects.get()
    assert response.status_code == 302
    assert (key.department_id, key.subject_id, key.reason, key.created_by) == ("GAJ", subject, "多次被投诉",
                                                                               leader.user)  # fmt: skip


def test_starting_key_supervision_is_audited(client, leader, subject):
    log_in(client, leader)
    start(client, subject)
    entry = AuditEntry.objects.get(action=Action.KEY_SUPERVISION_START)
    assert (entry.department_id, entry.subject_uscc, entry.after["ends_on"]) == ("GAJ", subject, in_days(90))


def test_staff_cannot_put_a_subject_under_key_supervision(client, staff_of, subject):
    log_in(client, staff_of("GAJ"))
    assert start(client, subject).status_code == 403
    assert not KeySupervision.objects.exists()


def test_an_unregistered_subject_cannot_be_put_under_key_supervision(client, leader):
    log_in(client, leader)
    response = start(client, make_uscc())
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_a_subject_is_under_key_supervision_of_a_department_once(client, leader, subject):
    log_in(client, leader)
    start(client, subject)
    response = start(client, subject)
    assert response.status_code == 200 and KeySupervision.objects.count() == 1


def test_an_end_date_in_the_past_is_refused(client, leader, subject):
    log_in(client, leader)
    response = start(client, subject, ends_on=days_ago(1))
    assert "ends_on" in response.context["form"].errors


@pytest.mark.parametrize("kind", sorted(NEW_RECORDS))
def test_a_new_record_of_any_kind_raises_an_alert(watched, kind):
    department, record = NEW_RECORDS[kind]
    push(department, kind, [record(watched.subject_id)])
    assert alerts() == [(kind, "R-1")]


def test_an_alert_names_the_key_supervision_and_the_source(watched):
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1")])
    alert = KeySupervisionAlert.objects.get()
    assert (alert.key_supervision_id, alert.source_department_id) == (watched.pk, "SWJ")


def test_a_record_of_another_subject_raises_no_alert(watched):
    push("SWJ", "penalty", [fine(register(), "R-1")])
    assert alerts() == []


def test_a_record_stored_again_raises_no_second_alert(watched):
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1", updated_at=version(120))])
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1", updated_at=version(60), fine_amount="2")])
    assert alerts() == [("penalty", "R-1")]


def test_no_alert_after_the_end_date(leader, subject):
    KeySupervision.objects.create(
        department_id="GAJ",
        subject_id=subject,
        reason="到期",
        created_by=leader.user,
        starts_on=days_ago(30),
        ends_on=days_ago(1),
    )
    push("SWJ", "penalty", [fine(subject, "R-1")])
    assert alerts() == []


def test_no_alert_after_it_was_ended(client, watched):
    client.post(reverse("supervision:key_end", args=[watched.pk]), {"reason": "已整改到位"})
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1")])
    assert alerts() == []


def test_ending_is_audited_with_before_and_after(client, watched):
    client.post(reverse("supervision:key_end", args=[watched.pk]), {"reason": "已整改到位"})
    entry = AuditEntry.objects.get(action=Action.KEY_SUPERVISION_END)
    assert (entry.before["ended"], entry.after["ended"], entry.after["end_reason"]) == (
        False,
        True,
        "已整改到位",
    )


def test_ending_requires_a_reason(client, watched):
    client.post(reverse("supervision:key_end", args=[watched.pk]), {"reason": " "})
    assert KeySupervision.objects.get(pk=watched.pk).ended_at is None


def test_ending_is_post_only(client, watched):
    assert client.get(reverse("supervision:key_end", args=[watched.pk])).status_code == 405


def test_staff_cannot_end_key_supervision(client, staff_of, watched):
    log_in(client, staff_of("GAJ"))
    response = client.post(reverse("supervision:key_end", args=[watched.pk]), {"reason": "x"})
    assert response.status_code == 403 and KeySupervision.objects.get(pk=watched.pk).ended_at is None


def test_another_departments_leader_cannot_end_key_supervision(client, staff_of, watched):
    log_in(client, staff_of("WJW", role="leader"))
    response = client.post(reverse("supervision:key_end", args=[watched.pk]), {"reason": "x"})
    assert response.status_code == 403 and KeySupervision.objects.get(pk=watched.pk).ended_at is None


def test_staff_see_their_departments_key_supervisions(client, staff_of, watched):
    log_in(client, staff_of("GAJ"))
    response = client.get(reverse("supervision:key_list"))
    assert [key.pk for key in response.context["page"].object_list] == [watched.pk]


def test_acknowledging_an_alert_is_audited(client, staff_of, watched):
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1")])
    staff = staff_of("GAJ")
    log_in(client, staff)
    alert = KeySupervisionAlert.objects.get()
    client.post(reverse("supervision:key_alert_acknowledge", args=[alert.pk]), {"note": "已电话约谈"})
    alert.refresh_from_db()
    entry = AuditEntry.objects.get(action=Action.ALERT_ACK)
    assert alert.acknowledged_by == staff.user
    assert (entry.subject_uscc, entry.after["note"]) == (watched.subject_id, "已电话约谈")


def test_another_department_cannot_acknowledge_an_alert(client, staff_of, watched):
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1")])
    log_in(client, staff_of("WJW"))
    alert = KeySupervisionAlert.objects.get()
    response = client.post(reverse("supervision:key_alert_acknowledge", args=[alert.pk]), {"note": "x"})
    assert response.status_code == 403


def test_the_alert_list_filters_open_alerts(client, watched):
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1"), fine(watched.subject_id, "R-2")])
    first = KeySupervisionAlert.objects.get(record_id="R-1")
    client.post(reverse("supervision:key_alert_acknowledge", args=[first.pk]), {"note": ""})
    response = client.get(reverse("supervision:key_alerts"), {"state": "open"})
    assert [alert.record_id for alert in response.context["page"].object_list] == ["R-2"]


def test_the_home_counts_open_alerts(leader, watched):
    push("SWJ", "penalty", [fine(watched.subject_id, "R-1")])
    assert {q.key: q.count for q in home_queues(leader)}["key_alerts"] == 1


def test_the_alert_list_reads_a_fixed_number_of_queries(client, watched, django_assert_max_num_queries):
    push("SWJ", "penalty", [fine(watched.subject_id, f"CF-{n}") for n in range(10)])
    push("WJW", "license", [licence(watched.subject_id, f"XK-{n}") for n in range(10)])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("supervision:key_alerts"))
    assert len(response.context["page"].object_list) == 20


def test_the_key_supervision_list_reads_a_fixed_number_of_queries(
    client, leader, django_assert_max_num_queries
):
    log_in(client, leader)
    for _ in range(8):
        start(client, register())
    with django_assert_max_num_queries(8):
        response = client.get(reverse("supervision:key_list"))
    assert len(response.context["page"].object_list) == 8


def test_the_key_supervision_list_filters_finished_ones(client, leader, watched):
    ended = KeySupervision.objects.create(
        department_id="GAJ", subject_id=register(), reason="到期", created_by=leader.user,
        starts_on=days_ago(30), ends_on=days_ago(1),
    )  # fmt: skip
    response = client.get(reverse("supervision:key_list"), {"state": "finished"})
    assert [key.pk for key in response.context["page"].object_list] == [ended.pk]
