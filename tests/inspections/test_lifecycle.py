"""A task's life: draft → frozen → seeded → drawn → published → results → closed, one step at a time."""

import hashlib
from datetime import date

import pytest
import time_machine
from django.db import IntegrityError
from django.utils import timezone

from supervision.selectors import inspections as workspace_selectors
from supervision.services import inspections as services
from supervision.workdays import add_workdays
from tests.inspections.world import (
    VALUES,
    InspectorFactory,
    draft,
    drawn,
    freeze,
    frozen,
    published,
    seeded,
    sources,
    subject,
)
from warning_system.audit.models import Action, AuditEntry
from warning_system.inspections import services as core
from warning_system.inspections import verify_draw
from warning_system.inspections.models import Assignment, DrawFile, FrozenConflict, InspectionTask, TaskStatus

pytestmark = pytest.mark.django_db


def enter_all_results(task, user, result="no_problem"):
    for assignment in Assignment.objects.filter(task=task):
        core.result_record(assignment=assignment, user=user, department_id="SCJG",
                           inspected_on=timezone.localdate(), result=result)  # fmt: skip


def test_a_task_goes_through_every_step_in_order(city, scjg_leader):
    user = scjg_leader.user
    task = draft(user)
    assert task.status == TaskStatus.DRAFT
    task = freeze(task, user)
    assert task.status == TaskStatus.FROZEN
    task = core.task_seed(task=task, user=user, values=VALUES)
    assert task.status == TaskStatus.SEEDED
    task = core.task_draw(task=task, user=user)
    assert task.status == TaskStatus.DRAWN
    task = core.task_publish(task=task, user=user, result_deadline=workspace_selectors.result_deadline())
    assert task.status == TaskStatus.PUBLISHED
    enter_all_results(task, user)
    task.refresh_from_db()
    assert task.status == TaskStatus.RESULTS
    assert core.task_close(task=task, user=user).status == TaskStatus.CLOSED


def test_a_step_out_of_order_is_refused_with_a_clear_error(city, scjg_leader):
    task = draft(scjg_leader.user)
    with pytest.raises(core.InspectionError, match="须先确定随机种子"):
        core.task_draw(task=task, user=scjg_leader.user)
    with pytest.raises(core.InspectionError, match="当前状态为“草拟”，不能公示抽取结果"):
        core.task_publish(
            task=task, user=scjg_leader.user, result_deadline=workspace_selectors.result_deadline()
        )
    with pytest.raises(core.InspectionError, match="不能办结"):
        core.task_close(task=task, user=scjg_leader.user)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT


def test_a_frozen_task_is_not_frozen_again_nor_edited(city, scjg_leader):
    task = frozen(scjg_leader.user)
    with pytest.raises(core.InspectionError):
        services.task_freeze(task=task, user=scjg_leader.user, seed_sources=sources(date(2099, 1, 1)))
    with pytest.raises(core.InspectionError, match="冻结后任务不能再修改"):
        core.task_save(task=task, department_id="SCJG", user=scjg_leader.user, data={"name": "改名"})


def test_closing_waits_for_every_result(city, scjg_leader):
    task = published(scjg_leader.user)
    with pytest.raises(core.InspectionError, match="不能办结"):
        core.task_close(task=task, user=scjg_leader.user)


def test_freezing_stores_canonical_files_whose_hashes_are_published(city, scjg_leader):
    task = frozen(scjg_leader.user)
    files = {f.name: bytes(f.content) for f in DrawFile.objects.filter(task=task)}
    assert set(files) == {"subjects.csv", "inspectors.csv", "previous.csv"}
    rows = sorted((s.uscc, getattr(getattr(s, "colour", None), "colour", "green")) for s in city)
    assert files["subjects.csv"] == verify_draw.subjects_csv(rows)
    assert task.subjects_sha256 == hashlib.sha256(files["subjects.csv"]).hexdigest()
    assert task.inspectors_sha256 == hashlib.sha256(files["inspectors.csv"]).hexdigest()
    assert task.previous_sha256 == hashlib.sha256(files["previous.csv"]).hexdigest()
    assert (task.subject_count, task.inspector_count) == (6, 4)
    assert task.seed == "" and task.parameters["seed"] is None
    assert [s["label"] for s in task.parameters["seed_announcement"]] == [s["label"] for s in sources()]


def test_the_subjects_directory_keeps_existing_subjects_of_the_scope(city, scjg_leader):
    subject(colour="red", district="360111")
    subject(status="cancelled")
    task = frozen(scjg_leader.user, scope={"district_codes": ["360111"]})
    assert task.subject_count == 1


def test_conflicts_are_frozen_as_tokens_never_in_clear(city, scjg_leader):
    inspector = InspectorFactory(conflicts=[city[0].uscc])
    task = frozen(scjg_leader.user)
    text = bytes(DrawFile.objects.get(task=task, name="inspectors.csv").content).decode()
    assert city[0].uscc not in text
    salt = FrozenConflict.objects.get(task=task, inspector_id=inspector.badge_number, uscc=city[0].uscc).salt
    assert verify_draw.conflict_token(inspector.badge_number, city[0].uscc, salt) in text
    assert verify_draw.conflict_token_v1(inspector.badge_number, city[0].uscc) not in text


def test_freezing_needs_two_announced_seed_sources(city, scjg_leader):
    with pytest.raises(core.InspectionError, match="至少两个随机种子来源"):
        services.task_freeze(
            task=draft(scjg_leader.user), user=scjg_leader.user, seed_sources=sources(date(2099, 1, 1))[1:]
        )


def test_seeding_without_every_announced_value_is_refused(city, scjg_leader):
    task = frozen(scjg_leader.user)
    with pytest.raises(core.InspectionError, match="须录入每一个已公布的随机种子来源的取值"):
        core.task_seed(task=task, user=scjg_leader.user, values=[VALUES[0], ""])
    task.refresh_from_db()
    assert (task.status, task.seed) == (TaskStatus.FROZEN, "")


def test_the_seed_is_made_of_the_entered_values_only(city, scjg_leader):
    task = seeded(scjg_leader.user)
    assert task.seed == verify_draw.seed_from_sources(VALUES)
    assert task.seed_values == VALUES


def test_the_stored_draw_is_verify_draw_over_the_stored_files(city, scjg_leader):
    task = drawn(scjg_leader.user)
    files = {f.name: bytes(f.content) for f in DrawFile.objects.filter(task=task)}
    conflicts = [verify_draw.Conflict(*row) for row in FrozenConflict.objects.filter(task=task).values_list(
        "inspector_id", "uscc", "salt")]  # fmt: skip
    expected = verify_draw.draw(
        task.parameters, files["subjects.csv"], files["inspectors.csv"], files["previous.csv"], conflicts
    )
    stored = [(a.subject_id, a.colour, a.position, tuple(a.inspector_ids))
              for a in Assignment.objects.filter(task=task).order_by("id")]  # fmt: skip
    assert stored == [(p.uscc, p.colour, p.position, p.inspectors) for p in expected.picks]
    assert files["result.csv"] == verify_draw.result_csv(expected)
    assert verify_draw.verify_files(files).match


def test_every_pick_has_two_inspectors_and_none_with_a_conflict(city, scjg_leader):
    InspectorFactory(conflicts=[s.uscc for s in city])
    task = drawn(scjg_leader.user)
    for assignment in Assignment.objects.filter(task=task).prefetch_related("inspectors"):
        assert len(assignment.inspector_ids) == 2
        assert all(assignment.subject_id not in i.conflicts for i in assignment.inspectors.all())


def test_fewer_than_two_inspectors_per_subject_is_refused(city, scjg_leader):
    with pytest.raises(core.InspectionError, match="至少须由 2 名检查人员"):
        draft(scjg_leader.user, inspectors_per_subject=1)
    with pytest.raises(IntegrityError):
        InspectionTask.objects.filter(pk=draft(scjg_leader.user).pk).update(inspectors_per_subject=1)


def test_the_previous_task_pairs_are_frozen_with_the_next_task(city, scjg_leader):
    first = drawn(scjg_leader.user)
    second = frozen(scjg_leader.user)
    previous = bytes(DrawFile.objects.get(task=second, name="previous.csv").content).decode()
    assert second.previous_task == first and second.previous_tasks == [first.number]
    pairs = [(b, a.subject_id) for a in Assignment.objects.filter(task=first) for b in a.inspector_ids]
    assert all(f"{badge},{uscc}" in previous for badge, uscc in pairs)


def test_results_are_due_twenty_working_days_after_publication(city, scjg_leader):
    with time_machine.travel(date(2026, 9, 25), tick=False):  # the National Day week follows
        task = published(scjg_leader.user)
    assert task.result_deadline == add_workdays(date(2026, 9, 25), 20)
    assert task.result_deadline > date(2026, 10, 23)


def test_every_step_is_audited(city, scjg_leader):
    task = published(scjg_leader.user)
    enter_all_results(task, scjg_leader.user)
    core.task_close(task=task, user=scjg_leader.user)
    actions = list(AuditEntry.objects.filter(object_type="inspections.inspectiontask", object_id=str(task.pk))
                   .order_by("seq").values_list("action", flat=True))  # fmt: skip
    assert actions == [
        Action.TASK_SAVE,
        Action.FREEZE,
        Action.SEED,
        Action.DRAW,
        Action.PUBLISH,
        Action.CLOSE,
    ]
    results = AuditEntry.objects.filter(action=Action.RESULT, object_type="inspections.assignment")
    assert sorted(results.values_list("subject_uscc", flat=True)) == sorted(
        Assignment.objects.filter(task=task).values_list("subject_id", flat=True)
    )
    assert all(e.department_id == "SCJG" and e.actor_id == scjg_leader.user.pk for e in results)


def test_a_draw_inserts_assignments_and_their_links_in_batches_of_5000(city, scjg_leader, monkeypatch):
    from django.db.models.query import QuerySet

    batches, original = {}, QuerySet.bulk_create

    def recording(self, objs, *args, **kwargs):
        batches[self.model._meta.model_name] = kwargs.get("batch_size")
        return original(self, objs, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "bulk_create", recording)
    drawn(scjg_leader.user)
    assert batches["assignment"] == 5000
    assert batches[Assignment.inspectors.through._meta.model_name] == 5000
