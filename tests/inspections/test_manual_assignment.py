"""Manual assignment of a subject the draw left short: a lead department leader picks an inspector the
draw could have taken, with a reason; audited; outside the verifiable draw (which still matches)."""

import pytest

from tests.inspections.world import InspectorFactory, drawn
from warning_system.audit.models import Action, AuditEntry
from warning_system.inspections import selectors, verify_draw
from warning_system.inspections import services as core
from warning_system.inspections.models import Assignment, DrawFile, Inspector, ManualAssignment
from warning_system.registry.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def short(city, scjg_leader):
    """The red subject: three of the four inspectors declared a conflict with it, so it is short."""
    red = city[4]  # small_city's fifth subject is red: drawn whole (ratio 1)
    for inspector in Inspector.objects.order_by("badge_number")[:3]:
        inspector.conflicts = [red.uscc]
        inspector.save()
    task = drawn(scjg_leader.user)
    assignment = Assignment.objects.get(task=task, subject_id=red.uscc)
    assert assignment.short and len(assignment.inspector_ids) == 1
    return assignment


def assign(assignment, user, inspector, reason="抽取时符合条件的检查人员不足"):
    return core.manual_assignment_create(assignment=assignment, user=user, inspector=inspector, reason=reason)


def test_a_leader_assigns_an_eligible_inspector_with_a_reason(short, scjg_leader):
    newcomer = InspectorFactory()
    assign(short, scjg_leader.user, newcomer)
    assert set(short.inspectors.values_list("badge_number", flat=True)) == {
        *short.inspector_ids,
        newcomer.badge_number,
    }
    assert ManualAssignment.objects.get(assignment=short).reason == "抽取时符合条件的检查人员不足"


def test_a_manual_assignment_is_audited(short, scjg_leader):
    newcomer = InspectorFactory()
    assign(short, scjg_leader.user, newcomer)
    entry = AuditEntry.objects.get(action=Action.ASSIGN)
    assert (entry.subject_uscc, entry.after["inspector"]) == (short.subject_id, newcomer.badge_number)


def test_a_conflicted_inspector_cannot_be_assigned(short, scjg_leader):
    conflicted = Inspector.objects.filter(conflicts__contains=[short.subject_id]).first()
    with pytest.raises(core.InspectionError, match="不能检查该主体"):
        assign(short, scjg_leader.user, conflicted)


def test_an_inspector_of_a_department_outside_the_task_cannot_be_assigned(short, scjg_leader):
    outsider = InspectorFactory(department=Department.objects.get(code="SWJ"))
    with pytest.raises(core.InspectionError, match="不能检查该主体"):
        assign(short, scjg_leader.user, outsider)


def test_the_assignable_inspectors_are_only_eligible_ones(short):
    newcomer = InspectorFactory()
    InspectorFactory(active=False)
    assert list(selectors.assignable_inspectors(short, short.task)) == [newcomer]


def test_a_subject_not_short_needs_no_manual_assignment(short, scjg_leader):
    full = Assignment.objects.filter(task=short.task, short=False).first()
    with pytest.raises(core.InspectionError, match="无须人工指派"):
        assign(full, scjg_leader.user, InspectorFactory())


def test_a_manual_assignment_needs_a_reason(short, scjg_leader):
    with pytest.raises(core.InspectionError, match="须说明理由"):
        assign(short, scjg_leader.user, InspectorFactory(), reason="")


def test_a_subject_is_not_assigned_beyond_the_inspectors_per_subject(short, scjg_leader):
    assign(short, scjg_leader.user, InspectorFactory())
    with pytest.raises(core.InspectionError, match="已足额"):
        assign(short, scjg_leader.user, InspectorFactory())


def test_the_drawn_part_still_verifies_after_a_manual_assignment(short, scjg_leader):
    assign(short, scjg_leader.user, InspectorFactory())
    task = core.task_publish(
        task=short.task, user=scjg_leader.user, result_deadline=short.task.created_at.date()
    )
    files = {
        f.name: bytes(f.content) for f in DrawFile.objects.filter(task=task).exclude(name="published.zip")
    }
    assert verify_draw.verify_files(files).match
