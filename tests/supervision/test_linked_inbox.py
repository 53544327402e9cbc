"""The 联动监管 inbox: list, filters, read on open, acknowledge with a note, each audited."""

import pytest
from django.urls import reverse

from supervision.models import InboxItem
from supervision.selectors.home import home_queues
from tests.auth import log_in
from tests.factories import make_uscc
from tests.supervision.feeds import fine, licence, push, register, subscribe
from warning_system.audit.models import Action, AuditEntry


@pytest.fixture
def delivered(reference_data):
    """GAJ follows everything; WJW grants a licence to a subject of 东湖区, SWJ fines one of 青山湖区."""
    east_lake = register(district="360102")
    qingshan_lake = register(district="360111")
    subscribe("GAJ")
    push("WJW", "license", [licence(east_lake, "XK-1")])
    push("SWJ", "penalty", [fine(qingshan_lake, "CF-1")])
    return {item.record_id: item for item in InboxItem.objects.filter(department_id="GAJ")}


def listed(response) -> set[str]:
    return {item.record_id for item in response.context["page"].object_list}


def test_the_inbox_lists_the_departments_items(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    response = client.get(reverse("supervision:linked_inbox"))
    assert response.status_code == 200 and listed(response) == {"XK-1", "CF-1"}


def test_the_inbox_shows_nothing_of_another_department(client, staff_of, delivered):
    log_in(client, staff_of("SCJG"))
    assert listed(client.get(reverse("supervision:linked_inbox"))) == set()


def test_the_inbox_filters_by_kind(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    assert listed(client.get(reverse("supervision:linked_inbox"), {"kind": "penalty"})) == {"CF-1"}


def test_the_inbox_filters_by_district(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    assert listed(client.get(reverse("supervision:linked_inbox"), {"district": "360102"})) == {"XK-1"}


def test_the_inbox_filters_unread_items(client, staff_of, delivered):
    staff = staff_of("GAJ")
    log_in(client, staff)
    client.get(reverse("supervision:linked_item", args=[delivered["XK-1"].pk]))
    assert listed(client.get(reverse("supervision:linked_inbox"), {"state": "unread"})) == {"CF-1"}


def test_the_inbox_ignores_an_invalid_filter_value(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    response = client.get(reverse("supervision:linked_inbox"), {"kind": "nonsense", "district": "360102"})
    assert response.status_code == 200 and listed(response) == {"XK-1"}


def test_opening_an_item_marks_it_read(client, staff_of, delivered):
    staff = staff_of("GAJ")
    log_in(client, staff)
    response = client.get(reverse("supervision:linked_item", args=[delivered["XK-1"].pk]))
    item = InboxItem.objects.get(pk=delivered["XK-1"].pk)
    assert response.status_code == 200 and item.read_at is not None and item.read_by == staff.user


def test_opening_an_item_is_audited_once(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    url = reverse("supervision:linked_item", args=[delivered["XK-1"].pk])
    client.get(url)
    client.get(url)
    entries = AuditEntry.objects.filter(action=Action.INBOX_READ)
    assert [(e.department_id, e.object_id) for e in entries] == [("GAJ", str(delivered["XK-1"].pk))]


def test_another_department_cannot_open_an_item(client, staff_of, delivered):
    log_in(client, staff_of("SCJG"))
    response = client.get(reverse("supervision:linked_item", args=[delivered["XK-1"].pk]))
    assert response.status_code == 403
    assert InboxItem.objects.get(pk=delivered["XK-1"].pk).read_at is None


def test_acknowledging_keeps_the_note_and_who_did_it(client, staff_of, delivered):
    staff = staff_of("GAJ")
    log_in(client, staff)
    url = reverse("supervision:linked_acknowledge", args=[delivered["CF-1"].pk])
    response = client.post(url, {"note": "已安排核查"})
    item = InboxItem.objects.get(pk=delivered["CF-1"].pk)
    assert response.status_code == 302
    assert (item.acknowledged_by, item.note, item.read_by) == (staff.user, "已安排核查", staff.user)


def test_acknowledging_is_audited_with_the_note(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    client.post(
        reverse("supervision:linked_acknowledge", args=[delivered["CF-1"].pk]), {"note": "已安排核查"}
    )
    entry = AuditEntry.objects.get(action=Action.INBOX_ACK)
    assert (entry.department_id, entry.before["acknowledged"], entry.after["note"]) == (
        "GAJ",
        False,
        "已安排核查",
    )


def test_an_item_is_acknowledged_only_once(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    url = reverse("supervision:linked_acknowledge", args=[delivered["CF-1"].pk])
    client.post(url, {"note": "第一次"})
    client.post(url, {"note": "第二次"})
    assert InboxItem.objects.get(pk=delivered["CF-1"].pk).note == "第一次"
    assert AuditEntry.objects.filter(action=Action.INBOX_ACK).count() == 1


def test_acknowledging_is_post_only(client, staff_of, delivered):
    log_in(client, staff_of("GAJ"))
    response = client.get(reverse("supervision:linked_acknowledge", args=[delivered["CF-1"].pk]))
    assert response.status_code == 405


def test_another_department_cannot_acknowledge(client, staff_of, delivered):
    log_in(client, staff_of("SCJG"))
    response = client.post(
        reverse("supervision:linked_acknowledge", args=[delivered["CF-1"].pk]), {"note": "x"}
    )
    assert response.status_code == 403
    assert InboxItem.objects.get(pk=delivered["CF-1"].pk).acknowledged_at is None


def test_the_home_counts_unread_items(staff_of, delivered):
    tiles = {queue.key: queue.count for queue in home_queues(staff_of("GAJ"))}
    assert tiles["linked_unread"] == 2


def test_the_inbox_page_reads_a_fixed_number_of_queries(client, staff_of, reference_data,
                                                        django_assert_max_num_queries):  # fmt: skip
    subjects = [register() for _ in range(3)]
    subscribe("GAJ")
    push("WJW", "license", [licence(s, f"XK-{i}-{n}") for i, s in enumerate(subjects) for n in range(5)])
    push("SWJ", "penalty", [fine(s, f"CF-{i}-{n}") for i, s in enumerate(subjects) for n in range(5)])
    log_in(client, staff_of("GAJ"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:linked_inbox"))
    assert len(response.context["page"].object_list) == 30


def test_an_item_about_a_subject_not_registered_yet_shows_the_records_name(client, staff_of, reference_data):
    subscribe("GAJ")
    push("WJW", "license", [licence(make_uscc(), "XK-U", subject_name="南昌尚未登记有限公司")])
    log_in(client, staff_of("GAJ"))
    item = InboxItem.objects.get(record_id="XK-U")
    listing = client.get(reverse("supervision:linked_inbox"))
    detail = client.get(reverse("supervision:linked_item", args=[item.pk]))
    assert (
        "南昌尚未登记有限公司" in listing.content.decode()
        and "南昌尚未登记有限公司" in detail.content.decode()
    )
