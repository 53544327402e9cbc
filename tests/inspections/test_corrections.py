"""Correcting an entered result (更正): a mandatory reason, the previous result kept, a new version of
the registry's inspection record (so the colour follows), audited as a correction."""

import pytest
from django.utils import timezone

from tests.inspections.world import InspectorFactory, leader, published
from warning_system.audit.models import Action, AuditEntry
from warning_system.classification.models import SubjectColour
from warning_system.inspections import services as core
from warning_system.inspections.models import Assignment, ResultCorrection, TaskStatus
from warning_system.registry.models import RECORD_MODELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def entered(city, scjg_leader, django_capture_on_commit_callbacks):
    task = published(scjg_leader.user)
    assignment = Assignment.objects.filter(task=task, colour="green").first()
    with django_capture_on_commit_callbacks(execute=True):
        core.result_record(assignment=assignment, user=scjg_leader.user, department_id="SCJG",
                           inspected_on=timezone.localdate(), result="unreachable", note="查无此户",
                           inspector=assignment.inspectors.first(), proxy=True)  # fmt: skip
    return Assignment.objects.get(pk=assignment.pk)


def correct(assignment, user, result="no_problem", reason="地址录入错误，已复查", **kwargs):
    kwargs.setdefault("department_id", "SCJG")
    kwargs.setdefault("inspector", assignment.inspectors.first())
    return core.result_correct(assignment=assignment, user=user, inspected_on=timezone.localdate(),
                               result=result, reason=reason, proxy=True, **kwargs)  # fmt: skip


def test_a_correction_keeps_the_previous_result(entered, scjg_leader):
    correct(entered, scjg_leader.user, note="复查经营正常")
    correction = ResultCorrection.objects.get(assignment=entered)
    assert (correction.previous_result, correction.previous_note, correction.result, correction.reason) == (
        "unreachable", "查无此户", "no_problem", "地址录入错误，已复查",
    )  # fmt: skip
    entered.refresh_from_db()
    assert (entered.result, entered.note, entered.corrected_at) == (
        "no_problem",
        "复查经营正常",
        correction.corrected_at,
    )


def test_a_correction_gives_the_registry_record_a_new_version(entered, scjg_leader):
    records = RECORD_MODELS["inspection"].objects.filter(subject_id=entered.subject_id)
    before = records.get().updated_at
    correct(entered, scjg_leader.user)
    record = records.get()
    assert (record.result, record.record_id) == ("no_problem", entered.record_id)
    assert record.updated_at > before


def test_a_correction_recomputes_the_colour(entered, scjg_leader, django_capture_on_commit_callbacks):
    assert SubjectColour.objects.get(subject_id=entered.subject_id).colour == "orange"
    with django_capture_on_commit_callbacks(execute=True):
        correct(entered, scjg_leader.user)
    assert SubjectColour.objects.get(subject_id=entered.subject_id).colour == "green"


def test_a_correction_is_audited_with_its_reason(entered, scjg_leader):
    correct(entered, scjg_leader.user)
    entry = AuditEntry.objects.get(action=Action.RESULT_CORRECT)
    assert (entry.subject_uscc, entry.before["result"], entry.after["result"], entry.after["reason"]) == (
        entered.subject_id, "unreachable", "no_problem", "地址录入错误，已复查",
    )  # fmt: skip


def test_a_correction_needs_a_reason(entered, scjg_leader):
    with pytest.raises(core.InspectionError, match="须说明理由"):
        correct(entered, scjg_leader.user, reason="  ")
    assert not ResultCorrection.objects.exists()


def test_a_result_not_entered_cannot_be_corrected(entered, scjg_leader):
    other = Assignment.objects.filter(task=entered.task, result="").first()
    with pytest.raises(core.InspectionError, match="尚未录入"):
        correct(other, scjg_leader.user)


def test_only_the_department_that_entered_the_result_corrects_it(entered):
    with pytest.raises(core.InspectionError, match="录入该结果的检查机关"):
        correct(entered, leader("SWJ").user, department_id="SWJ")


def test_the_corrector_names_one_of_the_subjects_inspectors(entered, scjg_leader):
    with pytest.raises(core.InspectionError, match="不是该主体的检查人员"):
        correct(entered, scjg_leader.user, inspector=InspectorFactory())


def test_a_correction_identical_to_the_result_is_refused(entered, scjg_leader):
    with pytest.raises(core.InspectionError, match="与原结果相同"):
        correct(entered, scjg_leader.user, result="unreachable", note="查无此户")


def test_a_closed_task_result_can_still_be_corrected(entered, scjg_leader):
    entered.task.__class__.objects.filter(pk=entered.task_id).update(status=TaskStatus.CLOSED)
    correct(entered, scjg_leader.user)
    assert ResultCorrection.objects.filter(assignment=entered).count() == 1
