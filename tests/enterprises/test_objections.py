"""异议申诉: the enterprise disputes one of its records; the department that sent it acknowledges and
concludes within working-day deadlines of the policy in force: upheld with a written reason, or
closed by its next delivery of the record (corrected, or withdrawn with op=delete). Overdue ones
escalate to the leader; while one is open the public page marks the record."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.auth import log_in
from tests.supervision.feeds import days_ago, fine, push, version
from warning_system.audit.models import Action, AuditEntry
from warning_system.objections.models import Objection, ObjectionStatus
from warning_system.objections.services import (
    ObjectionError,
    objection_policy_save,
    objections_escalate,
)
from warning_system.workdays import add_workdays

PDF = b"%PDF-1.4\n%%EOF\n"


def file_url(record):
    return reverse("enterprises:objection_file", args=["penalty", record.pk])


def dispute(client, record, reason="处罚对象有误，该行为系他人所为", files=()):
    return client.post(file_url(record), {"reason": reason, "evidence": list(files)})


@pytest.fixture
def objection(enterprise_client, record) -> Objection:
    dispute(enterprise_client, record, files=[SimpleUploadedFile("说明.pdf", PDF)])
    return Objection.objects.get()


def test_an_objection_goes_to_the_department_that_sent_the_record(objection, account):
    assert (objection.department_id, objection.record_id, objection.subject_id, objection.status) == (
        "SCJG", "CF-OLD", account.subject_id, ObjectionStatus.SUBMITTED,
    )  # fmt: skip


def test_the_deadlines_are_working_days_of_the_policy_in_force(enterprise_client, record, staff_of):
    objection_policy_save(
        acknowledge_workdays=3, conclude_workdays=10, note="调整", author=staff_of("SCJG").user
    )
    dispute(enterprise_client, record)
    objection = Objection.objects.get()
    today = timezone.localdate()
    assert (objection.policy_version, objection.acknowledge_due, objection.conclude_due) == (
        1, add_workdays(today, 3), add_workdays(today, 10),
    )  # fmt: skip


def test_a_policy_whose_conclusion_comes_before_acknowledgement_is_refused(staff_of):
    with pytest.raises(ObjectionError):
        objection_policy_save(
            acknowledge_workdays=5, conclude_workdays=2, note="x", author=staff_of("SCJG").user
        )


def test_an_objection_needs_a_reason(enterprise_client, record):
    assert dispute(enterprise_client, record, reason="").status_code == 400


def test_a_second_objection_to_the_same_record_while_one_is_open_is_refused(
    enterprise_client, objection, record
):
    response = dispute(enterprise_client, record)
    assert response.status_code == 400 and Objection.objects.count() == 1


def test_the_public_page_marks_the_disputed_record(client, objection, account):
    page = client.get(reverse("disclosure:subject", args=[account.subject_id])).content.decode()
    assert "异议处理中" in page


def test_the_public_page_drops_the_mark_once_concluded(client, objection, account, staff_of,
                                                       django_capture_on_commit_callbacks):  # fmt: skip
    client.get(reverse("disclosure:subject", args=[account.subject_id]))  # cached with the mark
    staff = Client()
    log_in(staff, staff_of("SCJG"))
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("supervision:objection_uphold", args=[objection.pk]), {"reason": "记录无误"})
    assert (
        "异议处理中"
        not in client.get(reverse("disclosure:subject", args=[account.subject_id])).content.decode()
    )


def test_the_department_upholds_and_the_enterprise_reads_the_reason(enterprise_client, objection, staff_of):
    staff = Client()
    log_in(staff, staff_of("SCJG"))
    staff.post(reverse("supervision:objection_acknowledge", args=[objection.pk]))
    staff.post(reverse("supervision:objection_uphold", args=[objection.pk]), {"reason": "经核实处罚对象无误"})
    page = enterprise_client.get(reverse("enterprises:objection", args=[objection.pk]))
    assert (page.context["objection"].status, "经核实处罚对象无误" in page.content.decode()) == (
        ObjectionStatus.UPHELD, True,
    )  # fmt: skip


def test_upholding_needs_a_written_reason(objection, staff_of):
    staff = Client()
    log_in(staff, staff_of("SCJG"))
    assert (
        staff.post(reverse("supervision:objection_uphold", args=[objection.pk]), {"reason": ""}).status_code
        == 400
    )


def test_another_department_cannot_answer(objection, staff_of):
    staff = Client()
    log_in(staff, staff_of("SWJ", role="leader"))
    assert (
        staff.post(reverse("supervision:objection_uphold", args=[objection.pk]), {"reason": "x"}).status_code
        == 403
    )


def test_a_corrected_delivery_closes_the_objection(objection, account):
    push("SCJG", "penalty", [fine(account.subject_id, "CF-OLD", decided_on=days_ago(200), fine_amount="0.5",
                                  updated_at=version(minutes_ago=1))])  # fmt: skip
    objection.refresh_from_db()
    assert (objection.status, objection.concluded_at is not None) == (ObjectionStatus.CORRECTED, True)


def test_a_withdrawal_closes_the_objection(objection, account):
    push("SCJG", "penalty", [fine(account.subject_id, "CF-OLD", decided_on=days_ago(200), op="delete",
                                  updated_at=version(minutes_ago=1))])  # fmt: skip
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.WITHDRAWN


def test_a_delivery_of_another_record_leaves_the_objection_open(objection, account):
    push("SCJG", "penalty", [fine(account.subject_id, "CF-OTHER")])
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.SUBMITTED


def test_an_overdue_objection_escalates_to_the_leader_once(objection):
    late = objection.conclude_due + timedelta(days=1)
    assert (objections_escalate(day=late), objections_escalate(day=late)) == (1, 0)
    objection.refresh_from_db()
    assert objection.escalated_at is not None
    assert AuditEntry.objects.filter(action=Action.OBJECTION_ESCALATE, department_id="SCJG").count() == 1


def test_an_objection_on_time_does_not_escalate(objection):
    assert objections_escalate(day=objection.conclude_due) == 0


def test_every_step_is_audited(enterprise_client, objection, staff_of):
    staff = Client()
    log_in(staff, staff_of("SCJG"))
    staff.post(reverse("supervision:objection_acknowledge", args=[objection.pk]))
    staff.post(reverse("supervision:objection_uphold", args=[objection.pk]), {"reason": "记录无误"})
    actions = list(
        AuditEntry.objects.filter(object_type="objections.objection", object_id=str(objection.pk))
        .order_by("seq").values_list("action", flat=True)
    )  # fmt: skip
    assert actions == [Action.OBJECTION_FILE, Action.OBJECTION_ACK, Action.OBJECTION_CLOSE]


def test_the_department_reads_the_objections_evidence(objection, staff_of):
    staff = Client()
    log_in(staff, staff_of("SCJG"))
    evidence = objection.evidence.get()
    assert staff.get(reverse("supervision:repair_evidence", args=[evidence.pk])).status_code == 200


def test_enterprise_b_cannot_read_as_objection(objection, other_account):
    client = Client()
    client.force_login(other_account.user)
    assert client.get(reverse("enterprises:objection", args=[objection.pk])).status_code == 404
    assert client.get(reverse("enterprises:evidence", args=[objection.evidence.get().pk])).status_code == 404
