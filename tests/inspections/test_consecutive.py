"""Not the same subject in two consecutive tasks (docs/rules.md §6): previous.csv is the union of each
participating department's newest drawn task, and freezing waits for undrawn tasks of those departments."""

import pytest

from tests.inspections.world import draft, drawn, freeze, frozen, leader, seeded, small_city
from warning_system.inspections import services as core
from warning_system.inspections import verify_draw
from warning_system.inspections.models import Assignment, DrawFile, TaskStatus

pytestmark = pytest.mark.django_db


def pairs_of(task) -> set[tuple[str, str]]:
    return {(b, a.subject_id) for a in Assignment.objects.filter(task=task) for b in a.inspector_ids}


def previous_of(task) -> set[tuple[str, str]]:
    return verify_draw.parse_previous(bytes(DrawFile.objects.get(task=task, name="previous.csv").content))


@pytest.fixture
def wglj_leader(city):
    small_city(subjects=0, inspectors=4, department="WGLJ")
    return leader("WGLJ")


def test_previous_pairs_are_the_union_of_each_departments_newest_drawn_task(scjg_leader, wglj_leader):
    scjg_task = drawn(scjg_leader.user)
    wglj_task = drawn(wglj_leader.user, department="WGLJ")  # the newest task of any overlapping department
    joint = frozen(scjg_leader.user, departments=["SCJG", "WGLJ"])
    assert previous_of(joint) == pairs_of(scjg_task) | pairs_of(wglj_task)
    assert pairs_of(scjg_task) and pairs_of(wglj_task)
    assert joint.previous_tasks == [scjg_task.number, wglj_task.number]


def test_an_older_task_of_a_department_is_not_its_newest(city, scjg_leader):
    older = drawn(scjg_leader.user)
    newer = drawn(scjg_leader.user)
    task = frozen(scjg_leader.user)
    assert previous_of(task) == pairs_of(newer)
    assert task.previous_tasks == [newer.number] and older.number not in task.previous_tasks


def test_freezing_is_refused_while_an_overlapping_task_is_frozen_but_not_drawn(scjg_leader, wglj_leader):
    pending = frozen(wglj_leader.user, department="WGLJ")
    joint = draft(scjg_leader.user, departments=["SCJG", "WGLJ"])
    with pytest.raises(core.InspectionError, match=f"{pending.number} 已冻结但尚未抽取"):
        freeze(joint, scjg_leader.user)
    joint.refresh_from_db()
    assert joint.status == TaskStatus.DRAFT


def test_freezing_is_refused_while_an_overlapping_task_is_seeded_but_not_drawn(city, scjg_leader):
    pending = seeded(scjg_leader.user)
    with pytest.raises(core.InspectionError, match=f"{pending.number} 已冻结但尚未抽取"):
        frozen(scjg_leader.user)
