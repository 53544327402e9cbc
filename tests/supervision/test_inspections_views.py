"""双随机 in the workspace: each step a POST of the lead department's leader, department-scoped,
results entered by the drawn inspectors' department, list pages with bounded queries."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.auth import log_in
from tests.factories import make_uscc
from tests.inspections.world import VALUES, draft, published, small_city
from warning_system.audit.models import Action, AuditEntry
from warning_system.inspections.models import Assignment, InspectionTask, Inspector, TaskStatus
from warning_system.registry.models import RECORD_MODELS

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(reference_data):
    return small_city()


@pytest.fixture
def leader(staff_of):
    return staff_of("SCJG", role="leader")


def url(name, *args):
    return reverse(f"supervision:{name}", args=args)


def freeze_data(known_on) -> dict:
    """The freeze form: a witness number (preset six digits) and an outside value (custom format)."""
    return {"label_0": "见证人输入的六位数字", "kind_0": "witness", "format_0": r"^\d{6}$",
            "label_1": "指数收盘点位", "kind_1": "external", "format_1": "custom",
            "pattern_1": r"^\d{1,6}\.\d{2}$", "known_on_1": known_on.isoformat()}  # fmt: skip


def freeze_yesterday(client, task, staff):
    """Freeze as of yesterday, the outside value known today: it can be seeded now (the session of
    "yesterday" has expired by today: log in again)."""
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        log_in(client, staff)
        response = client.post(url("inspection_freeze", task.pk), freeze_data(today), follow=True)
    log_in(client, staff)
    return response


def test_a_leader_takes_a_task_from_draft_to_published(client, city, leader):
    log_in(client, leader)
    response = client.post(url("inspection_task_create"), {
        "name": "食品经营者抽查", "departments": ["SCJG"], "items": "经营资质\n进货查验",
        "inspectors_per_subject": 2, "ratio_green": 50, "ratio_yellow": 50, "ratio_orange": 100, "ratio_red": 100,
    })  # fmt: skip
    task = InspectionTask.objects.get(name="食品经营者抽查")
    assert response.status_code == 302
    assert task.ratios == {"green": 0.5, "yellow": 0.5, "orange": 1.0, "red": 1.0}
    freeze_yesterday(client, task, leader)
    client.post(url("inspection_seed", task.pk), {"value_0": VALUES[0], "value_1": VALUES[1]})
    client.post(url("inspection_draw", task.pk))
    client.post(url("inspection_publish", task.pk))
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED
    assert task.assignments.exists()


def test_a_refused_step_shows_why_and_changes_nothing(client, city, leader):
    task = draft(leader.user)
    log_in(client, leader)
    response = client.post(url("inspection_draw", task.pk), follow=True)
    assert "须先确定随机种子才能抽取" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT


def test_the_seed_form_refuses_a_missing_value(client, city, leader):
    task = draft(leader.user)
    log_in(client, leader)
    freeze_yesterday(client, task, leader)
    response = client.post(url("inspection_seed", task.pk), {"value_0": "123456"}, follow=True)
    assert "须录入每一个已公布的随机种子来源的取值" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN


def test_the_freeze_form_announces_kind_format_and_day(client, city, leader):
    task = draft(leader.user)
    log_in(client, leader)
    response = freeze_yesterday(client, task, leader)
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN
    assert [(s["kind"], s["format"]) for s in task.seed_sources] == [
        ("witness", r"^\d{6}$"), ("external", r"^\d{1,6}\.\d{2}$")]  # fmt: skip
    assert r"^\d{1,6}\.\d{2}$" in response.content.decode()


def test_the_freeze_form_refuses_sources_without_an_outside_value(client, city, leader):
    task = draft(leader.user)
    log_in(client, leader)
    data = {k: v for k, v in freeze_data(timezone.localdate()).items() if not k.endswith("_1")}
    response = client.post(url("inspection_freeze", task.pk), data, follow=True)
    assert "至少一个是冻结后才产生的外部数值" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT


def test_another_department_is_refused_the_task_and_the_denial_is_audited(client, city, leader, staff_of):
    task = draft(leader.user)
    other = staff_of("WGLJ", role="leader")
    log_in(client, other)
    assert client.get(url("inspection_task", task.pk)).status_code == 403
    assert client.post(url("inspection_freeze", task.pk), {"sources": "a\nb"}).status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, actor_id=other.user.pk).count() == 2


def test_staff_may_not_take_a_step(client, city, leader, staff_of):
    task = draft(leader.user)
    log_in(client, staff_of("SCJG"))
    assert client.post(url("inspection_freeze", task.pk), {"sources": "a\nb"}).status_code == 403


def test_the_drawn_department_enters_a_result_on_the_form(client, city, leader, staff_of):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    staff = staff_of("SCJG")
    log_in(client, staff)
    assert client.get(url("inspection_result", assignment.pk)).status_code == 200
    response = client.post(url("inspection_result", assignment.pk), {
        "inspected_on": timezone.localdate().isoformat(), "result": "corrected", "note": "已责令改正",
    })  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.result, assignment.result_by_id) == ("corrected", staff.user.pk)
    assert (
        RECORD_MODELS["inspection"]
        .objects.filter(subject_id=assignment.subject_id, result="corrected")
        .exists()
    )


def test_another_department_may_not_enter_a_result(client, city, leader, staff_of):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    log_in(client, staff_of("WGLJ"))
    response = client.post(url("inspection_result", assignment.pk),
                           {"inspected_on": timezone.localdate().isoformat(), "result": "no_problem"})  # fmt: skip
    assert response.status_code == 403
    assert not Assignment.objects.get(pk=assignment.pk).result


def test_a_leader_adds_an_inspector_with_a_conflict(client, reference_data, leader):
    log_in(client, leader)
    uscc = make_uscc()
    response = client.post(url("inspection_inspector_create"), {
        "name": "李检查", "badge_number": "36019999", "qualifications": ["food"], "active": "on", "conflicts": uscc,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    inspector = Inspector.objects.get(badge_number="36019999")
    assert (inspector.department_id, inspector.conflicts) == ("SCJG", [uscc])
    assert AuditEntry.objects.filter(action=Action.INSPECTOR_CHANGE, object_id=str(inspector.pk)).exists()


def test_the_subjects_preview_counts_the_scope(client, city, staff_of):
    log_in(client, staff_of("SCJG"))
    response = client.get(url("inspection_subjects"), {"colours": ["red"], "preview": "1"})
    assert response.context["count"] == 1


@pytest.mark.parametrize("name", ["inspection_tasks", "inspection_inspectors", "inspection_results"])
def test_list_pages_answer_in_a_bounded_number_of_queries(client, city, leader, name,
                                                          django_assert_max_num_queries):  # fmt: skip
    for _ in range(3):
        published(leader.user)
    log_in(client, leader)
    with django_assert_max_num_queries(15):
        assert client.get(url(name)).status_code == 200


def test_the_task_page_answers_in_a_bounded_number_of_queries(
    client, city, leader, django_assert_max_num_queries
):
    task = published(leader.user)
    log_in(client, leader)
    with django_assert_max_num_queries(15):
        assert client.get(url("inspection_task", task.pk)).status_code == 200


def test_the_home_tiles_count_results_to_enter_and_tasks_to_seed(city, leader):
    from supervision.selectors.inspections import queues
    from tests.inspections.world import frozen

    task = published(leader.user)
    frozen(leader.user)
    tiles = {q.key: q.count for q in queues(leader)}
    assert tiles == {"inspection_results": task.assignments.count(), "inspection_to_seed": 1}


def test_the_lead_leader_cancels_a_task_with_a_reason(client, city, leader):
    task = draft(leader.user)
    log_in(client, leader)
    response = client.post(url("inspection_cancel", task.pk), {"reason": "范围有误"}, follow=True)
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == (TaskStatus.CANCELLED, "范围有误")
    assert "范围有误" in response.content.decode()
