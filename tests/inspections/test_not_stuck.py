"""A task must not get stuck: freezing checks the draw's qualified inspector pool on the frozen file,
and a task not yet drawn can be cancelled, with a reason, by its lead department's leaders."""

import pytest

from tests.inspections.world import InspectorFactory, draft, drawn, freeze, frozen, seeded
from warning_system.audit.models import Action, AuditEntry
from warning_system.inspections import selectors as core_selectors
from warning_system.inspections import services as core
from warning_system.inspections.models import TaskStatus

pytestmark = pytest.mark.django_db


def test_freezing_is_refused_when_too_few_inspectors_hold_the_qualifications(city, scjg_leader):
    """small_city's four inspectors hold food and licences; only one holds pricing."""
    InspectorFactory(qualifications=["pricing"])
    task = draft(scjg_leader.user, qualifications=["pricing"])
    with pytest.raises(core.InspectionError, match="只有 1 人，不足每户所需的 2 人"):
        freeze(task, scjg_leader.user)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT


def test_freezing_counts_only_inspectors_of_the_participating_departments(city, scjg_leader):
    task = draft(scjg_leader.user, inspectors_per_subject=5)
    with pytest.raises(core.InspectionError, match="只有 4 人，不足每户所需的 5 人"):
        freeze(task, scjg_leader.user)


@pytest.mark.parametrize("make", [draft, frozen, seeded], ids=["draft", "frozen", "seeded"])
def test_a_task_before_its_draw_is_cancelled_with_an_audited_reason(city, scjg_leader, make):
    task = core.task_cancel(task=make(scjg_leader.user), user=scjg_leader.user, reason="检查人员调整")
    assert (task.status, task.cancel_reason) == (TaskStatus.CANCELLED, "检查人员调整")
    entry = AuditEntry.objects.filter(action=Action.CANCEL, object_id=str(task.pk)).get()
    assert (entry.after["status"], entry.after["reason"]) == (TaskStatus.CANCELLED, "检查人员调整")
    assert not AuditEntry.objects.filter(action=Action.CLOSE, object_id=str(task.pk)).exists()


def test_cancelling_needs_a_reason(city, scjg_leader):
    with pytest.raises(core.InspectionError, match="须说明理由"):
        core.task_cancel(task=frozen(scjg_leader.user), user=scjg_leader.user, reason="  ")


def test_a_drawn_task_is_not_cancelled(city, scjg_leader):
    with pytest.raises(core.InspectionError, match="不能撤销"):
        core.task_cancel(task=drawn(scjg_leader.user), user=scjg_leader.user, reason="x")


def test_a_cancelled_frozen_task_stays_public_a_cancelled_draft_does_not(city, scjg_leader):
    public = core.task_cancel(task=frozen(scjg_leader.user), user=scjg_leader.user, reason="撤销")
    private = core.task_cancel(task=draft(scjg_leader.user), user=scjg_leader.user, reason="撤销")
    numbers = set(core_selectors.public_tasks().values_list("number", flat=True))
    assert public.number in numbers and private.number not in numbers
    assert public.is_public and not private.is_public


def test_a_cancelled_task_frees_its_departments_for_the_next_freeze(city, scjg_leader):
    core.task_cancel(task=frozen(scjg_leader.user), user=scjg_leader.user, reason="撤销")
    assert frozen(scjg_leader.user).status == TaskStatus.FROZEN
