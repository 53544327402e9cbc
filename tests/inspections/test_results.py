"""Results: entered once, within the task's publication, into the registry as inspection records."""

import pytest
from django.utils import timezone

from tests.inspections.world import published
from warning_system.classification.models import SubjectColour
from warning_system.inspections import services as core
from warning_system.inspections.models import Assignment, Attachment
from warning_system.registry.choices import Channel
from warning_system.registry.models import RECORD_MODELS, IngestRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(city, scjg_leader):
    task = published(scjg_leader.user)
    return Assignment.objects.filter(task=task, colour="green").first()


def enter(assignment, user, result="no_problem", **kwargs):
    return core.result_record(assignment=assignment, user=user, department_id="SCJG",
                              inspected_on=timezone.localdate(), result=result, **kwargs)  # fmt: skip


def test_a_result_enters_the_registry_as_a_random_inspection_record(assignment, scjg_leader):
    enter(assignment, scjg_leader.user, "corrected")
    record = RECORD_MODELS["inspection"].objects.get(subject_id=assignment.subject_id)
    assert (record.department_id, record.inspection_type, record.result, record.task_name) == (
        "SCJG",
        "random",
        "corrected",
        assignment.task.name,
    )
    assert record.received_via == Channel.WORKSPACE
    assert IngestRun.objects.get(pk=record.run_id).inserted == 1


def test_an_unreachable_subject_turns_orange(assignment, scjg_leader, django_capture_on_commit_callbacks):
    """docs/rules.md §2: an inspection result "unreachable at its address" is orange for a year."""
    with django_capture_on_commit_callbacks(execute=True):
        enter(assignment, scjg_leader.user, "unreachable")
    assert SubjectColour.objects.get(subject_id=assignment.subject_id).colour == "orange"


def test_no_problem_found_leaves_the_subject_green(
    assignment, scjg_leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        enter(assignment, scjg_leader.user, "no_problem")
    assert SubjectColour.objects.get(subject_id=assignment.subject_id).colour == "green"


def test_a_result_is_entered_once(assignment, scjg_leader):
    enter(assignment, scjg_leader.user)
    with pytest.raises(core.InspectionError, match="已录入"):
        enter(assignment, scjg_leader.user)


def test_a_result_outside_the_contract_categories_is_refused(assignment, scjg_leader):
    with pytest.raises(core.InspectionError, match="规定的类别"):
        enter(assignment, scjg_leader.user, "excellent")


def test_attachments_are_kept_and_limited_by_type(assignment, scjg_leader):
    photo = core.UploadedAttachment("现场.jpg", "image/jpeg", b"\xff\xd8\xffphoto")
    enter(assignment, scjg_leader.user, attachments=[photo])
    assert Attachment.objects.get(assignment=assignment).name == "现场.jpg"
    other = Assignment.objects.filter(task=assignment.task, result="").first()
    with pytest.raises(core.InspectionError, match="类型不允许"):
        enter(
            other,
            scjg_leader.user,
            attachments=[core.UploadedAttachment("a.exe", "application/x-msdownload", b"")],
        )


def test_an_attachment_whose_bytes_are_not_its_declared_type_is_refused(assignment, scjg_leader):
    fake = core.UploadedAttachment("现场.jpg", "image/jpeg", b"MZ\x90\x00not a photo")
    with pytest.raises(core.InspectionError, match="类型不允许"):
        enter(assignment, scjg_leader.user, attachments=[fake])
