"""信用修复 online: beside each record the rules allow repairing, an application with evidence
(PDF/JPEG/PNG by their bytes, size-limited, kept under EVIDENCE_ROOT); the department decides in the
workspace and the enterprise reads the outcome and the reason."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.auth import log_in
from warning_system.audit.models import Action, AuditEntry
from warning_system.classification.models import RepairApplication, RepairStatus, SubjectColour
from warning_system.evidence.models import EvidenceFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def upload(name="proof.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def apply_url(record):
    return reverse("enterprises:repair_apply", args=["penalty", record.pk])


def apply(client, record, *files, reason="罚款已缴清，违法行为已整改"):
    return client.post(apply_url(record), {"reason": reason, "evidence": list(files)})


def test_the_home_offers_to_repair_the_fine(enterprise_client, record):
    options = enterprise_client.get(reverse("enterprises:home")).context["home"].options
    assert [(o.record_id, o.may_apply) for o in options] == [("CF-OLD", True)]


def test_the_home_says_why_a_recent_fine_cannot_be_repaired_yet(enterprise_client, account, record):
    from tests.supervision.feeds import days_ago, fine, push

    push("SCJG", "penalty", [fine(account.subject_id, "CF-NEW", decided_on=days_ago(10))])
    options = {
        o.record_id: o for o in enterprise_client.get(reverse("enterprises:home")).context["home"].options
    }
    assert (options["CF-NEW"].may_apply, "6个月" in options["CF-NEW"].why_not) == (False, True)


def test_an_application_with_a_pdf_is_stored_with_its_evidence(enterprise_client, record, evidence_root):
    response = apply(enterprise_client, record, upload())
    application = RepairApplication.objects.get()
    evidence = EvidenceFile.objects.get()
    assert response.status_code == 302
    assert (application.applicant, evidence.repair_id, evidence.content_type) == ("subject", application.pk,
                                                                                  "application/pdf")  # fmt: skip
    assert (evidence_root / evidence.sha256[:2] / evidence.sha256).read_bytes() == PDF


def test_a_png_is_accepted(enterprise_client, record):
    apply(enterprise_client, record, upload("photo.png", PNG, "image/png"))
    assert EvidenceFile.objects.get().content_type == "image/png"


def test_a_file_named_pdf_that_is_not_one_is_refused(enterprise_client, record):
    response = apply(enterprise_client, record, upload("proof.pdf", b"MZ\x90\x00 not a pdf"))
    assert response.status_code == 400 and "不是 PDF" in response.content.decode()
    assert RepairApplication.objects.count() == 0


def test_a_file_too_large_is_refused(settings, enterprise_client, record):
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    response = apply(enterprise_client, record, upload(content=PDF + b"0" * (1024 * 1024)))
    assert response.status_code == 400 and RepairApplication.objects.count() == 0


def test_an_application_needs_a_reason(enterprise_client, record):
    assert apply(enterprise_client, record, reason="").status_code == 400


def test_a_second_application_while_one_is_pending_is_refused(enterprise_client, record):
    apply(enterprise_client, record)
    response = apply(enterprise_client, record)
    assert response.status_code == 400 and RepairApplication.objects.count() == 1


def test_applying_and_uploading_are_audited(enterprise_client, account, record):
    apply(enterprise_client, record, upload())
    entries = AuditEntry.objects.filter(subject_uscc=account.subject_id, actor=account.user)
    assert {Action.REPAIR_APPLY, Action.EVIDENCE_UPLOAD} <= set(entries.values_list("action", flat=True))


def test_the_deciding_department_reads_the_evidence(client, enterprise_client, staff_of, record):
    apply(enterprise_client, record, upload())
    log_in(client, staff_of("SCJG"))
    response = client.get(reverse("supervision:repair_evidence", args=[EvidenceFile.objects.get().pk]))
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PDF)
    assert AuditEntry.objects.filter(action=Action.EVIDENCE_READ).count() == 1


def test_another_department_cannot_read_the_evidence(client, enterprise_client, staff_of, record):
    apply(enterprise_client, record, upload())
    log_in(client, staff_of("SWJ", role="leader"))
    assert (
        client.get(reverse("supervision:repair_evidence", args=[EvidenceFile.objects.get().pk])).status_code
        == 403
    )


@pytest.mark.parametrize("approve", [True, False])
def test_the_enterprise_reads_the_outcome_and_the_reason(client, enterprise_client, staff_of, record, approve,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    apply(enterprise_client, record, upload())
    application = RepairApplication.objects.get()
    log_in(client, staff_of("SCJG", role="leader"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("supervision:repair_decide", args=[application.pk]),
                    {"decision": "approve" if approve else "reject", "reason": "材料齐全" if approve else "材料不全"})  # fmt: skip
    page = enterprise_client.get(reverse("enterprises:application", args=[application.pk]))
    expected = RepairStatus.APPROVED if approve else RepairStatus.REJECTED
    assert (page.context["application"].status, ("材料齐全" if approve else "材料不全") in page.content.decode()) == (
        expected, True,
    )  # fmt: skip


def test_an_approval_turns_the_subject_green(client, enterprise_client, staff_of, account, record,
                                             django_capture_on_commit_callbacks):  # fmt: skip
    apply(enterprise_client, record)
    log_in(client, staff_of("SCJG", role="leader"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("supervision:repair_decide", args=[RepairApplication.objects.get().pk]),
                    {"decision": "approve", "reason": ""})  # fmt: skip
    assert SubjectColour.objects.get(subject_id=account.subject_id).colour == "green"


def test_the_home_reads_in_a_bounded_number_of_queries(
    enterprise_client, account, record, django_assert_max_num_queries
):
    from tests.supervision.feeds import fine, push

    push("SCJG", "penalty", [fine(account.subject_id, f"CF-MORE-{n}") for n in range(5)])
    with django_assert_max_num_queries(25):
        assert enterprise_client.get(reverse("enterprises:home")).status_code == 200
