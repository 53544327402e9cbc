"""信用修复 in the workspace: the deciding department sees the applications for its records, with
their eligibility today; its leader approves (the record stops counting) or rejects with a reason."""

import pytest
from django.urls import reverse

from supervision.selectors.home import home_queues
from tests.auth import log_in
from tests.supervision.feeds import days_ago, fine, push, register, stored
from warning_system.classification.models import RepairApplication, RepairStatus, SubjectColour
from warning_system.classification.services import repair_apply


def colour_of(uscc: str) -> str:
    return SubjectColour.objects.get(subject_id=uscc).colour


def apply(uscc: str, record_id: str, department: str = "SCJG") -> RepairApplication:
    record = stored("penalty", department, record_id)
    return repair_apply(kind="penalty", record_pk=record.pk, applicant="subject",
                            applicant_name="南昌测试贸易有限公司", reason="已按期缴纳罚款并整改")  # fmt: skip


@pytest.fixture
def yellow(reference_data) -> str:
    """A subject yellow for an ordinary fine of SCJG decided 200 days ago (repairable after 6 months)."""
    uscc = register()
    push("SCJG", "penalty", [fine(uscc, "CF-OLD", decided_on=days_ago(200))])
    assert colour_of(uscc) == "yellow"
    return uscc


@pytest.fixture
def application(yellow) -> RepairApplication:
    return apply(yellow, "CF-OLD")


def decide(client, application, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("supervision:repair_decide", args=[application.pk]), data)


def test_the_list_shows_the_applications_for_the_departments_records(client, staff_of, application):
    log_in(client, staff_of("SCJG"))
    response = client.get(reverse("supervision:repair_list"))
    assert [a.pk for a in response.context["page"].object_list] == [application.pk]


def test_the_list_shows_nothing_to_another_department(client, staff_of, application):
    log_in(client, staff_of("SWJ"))
    assert list(client.get(reverse("supervision:repair_list")).context["page"].object_list) == []


def test_the_list_filters_by_status(client, staff_of, application):
    log_in(client, staff_of("SCJG"))
    response = client.get(reverse("supervision:repair_list"), {"status": "approved"})
    assert list(response.context["page"].object_list) == []


def test_the_detail_shows_the_record_and_its_eligibility(client, staff_of, application):
    log_in(client, staff_of("SCJG"))
    response = client.get(reverse("supervision:repair_detail", args=[application.pk]))
    detail = response.context["detail"]
    assert response.status_code == 200
    assert (detail.eligible, detail.record.record_id, [s.action for s in detail.steps]) == (
        True, "CF-OLD", ["submitted"],
    )  # fmt: skip


def test_the_detail_shows_a_record_no_longer_eligible(client, staff_of, yellow):
    # A food-safety fine needs a year (docs/rules.md §4): an application that got in anyway (say, under an
    # older ruleset) shows the reviewer why it is not eligible today.
    push("SCJG", "penalty", [fine(yellow, "CF-FOOD", decided_on=days_ago(200), violation_type="食品安全")])
    record = stored("penalty", "SCJG", "CF-FOOD")
    application = RepairApplication.objects.create(
        subject_id=yellow, kind="penalty", record_pk=record.pk, department_id="SCJG", record_id="CF-FOOD",
        applicant="subject", applicant_name="x", reason="x",
    )  # fmt: skip
    log_in(client, staff_of("SCJG"))
    detail = client.get(reverse("supervision:repair_detail", args=[application.pk])).context["detail"]
    assert (detail.eligible, "12" in detail.eligibility_note) == (False, True)


def test_another_department_cannot_see_an_application(client, staff_of, application):
    log_in(client, staff_of("SWJ", role="leader"))
    assert client.get(reverse("supervision:repair_detail", args=[application.pk])).status_code == 403


def test_a_leader_approves_and_the_record_stops_counting(client, staff_of, application,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    log_in(client, staff_of("SCJG", role="leader"))
    response = decide(client, application, django_capture_on_commit_callbacks, decision="approve", reason="")
    assert response.status_code == 302
    assert RepairApplication.objects.get(pk=application.pk).status == RepairStatus.APPROVED
    assert colour_of(application.subject_id) == "green"


def test_a_leader_rejects_with_a_reason(client, staff_of, application, django_capture_on_commit_callbacks):
    leader = staff_of("SCJG", role="leader")
    log_in(client, leader)
    decide(client, application, django_capture_on_commit_callbacks, decision="reject", reason="未完成整改")
    application.refresh_from_db()
    assert (application.status, application.decision_reason, application.decided_by) == (
        RepairStatus.REJECTED, "未完成整改", leader.user,
    )  # fmt: skip
    assert colour_of(application.subject_id) == "yellow"


def test_rejecting_without_a_reason_is_refused(
    client, staff_of, application, django_capture_on_commit_callbacks
):
    log_in(client, staff_of("SCJG", role="leader"))
    response = decide(client, application, django_capture_on_commit_callbacks, decision="reject", reason=" ")
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert RepairApplication.objects.get(pk=application.pk).status == RepairStatus.PENDING


def test_staff_may_view_but_not_decide(client, staff_of, application, django_capture_on_commit_callbacks):
    log_in(client, staff_of("SCJG"))
    assert (
        client.get(reverse("supervision:repair_detail", args=[application.pk])).context["may_decide"] is False
    )
    response = decide(client, application, django_capture_on_commit_callbacks, decision="approve", reason="")
    assert response.status_code == 403
    assert RepairApplication.objects.get(pk=application.pk).status == RepairStatus.PENDING


def test_another_departments_leader_cannot_decide(client, staff_of, application,
                                                  django_capture_on_commit_callbacks):  # fmt: skip
    log_in(client, staff_of("SWJ", role="leader"))
    response = decide(client, application, django_capture_on_commit_callbacks, decision="approve", reason="")
    assert response.status_code == 403
    assert RepairApplication.objects.get(pk=application.pk).status == RepairStatus.PENDING


def test_a_decided_application_cannot_be_decided_again(client, staff_of, application,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    log_in(client, staff_of("SCJG", role="leader"))
    decide(client, application, django_capture_on_commit_callbacks, decision="approve", reason="")
    response = decide(
        client, application, django_capture_on_commit_callbacks, decision="reject", reason="改判"
    )
    assert response.status_code == 400
    assert RepairApplication.objects.get(pk=application.pk).status == RepairStatus.APPROVED


def test_deciding_is_post_only(client, staff_of, application):
    log_in(client, staff_of("SCJG", role="leader"))
    assert client.get(reverse("supervision:repair_decide", args=[application.pk])).status_code == 405


def test_the_home_counts_pending_applications(staff_of, application):
    assert {q.key: q.count for q in home_queues(staff_of("SCJG"))}["repair_pending"] == 1


def test_the_list_reads_a_fixed_number_of_queries(
    client, staff_of, reference_data, django_assert_max_num_queries
):
    for n in range(8):
        uscc = register()
        push("SCJG", "penalty", [fine(uscc, f"CF-{n}", decided_on=days_ago(200))])
        apply(uscc, f"CF-{n}")
    log_in(client, staff_of("SCJG"))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("supervision:repair_list"))
    assert len(response.context["page"].object_list) == 8
