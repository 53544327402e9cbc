"""双随机 in the workspace: each step a POST of the lead department's leader, department-scoped,
results entered by the drawn inspectors' department, list pages with bounded queries."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from supervision.selectors import inspections as selectors
from tests.auth import log_in
from tests.factories import make_uscc
from tests.inspections.world import (
    VALUES,
    InspectorFactory,
    draft,
    drawn,
    published,
    seeded,
    small_city,
    subject,
)
from warning_system.audit.models import Action, AuditEntry
from warning_system.inspections.models import Assignment, Attachment, InspectionTask, Inspector, TaskStatus
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


CONFIRM = {"confirm": "yes"}  # the tick an irreversible step asks for


def freeze_data(known_on) -> dict:
    """The freeze form: a witness number (preset six digits) and an outside value (custom format)."""
    return {"label_0": "见证人输入的六位数字", "kind_0": "witness", "format_0": r"^\d{6}$",
            "label_1": "指数收盘点位", "kind_1": "external", "format_1": "custom",
            "pattern_1": r"^\d{1,6}\.\d{2}$", "known_on_1": known_on.isoformat(), **CONFIRM}  # fmt: skip


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
    client.post(url("inspection_draw", task.pk), CONFIRM)
    client.post(url("inspection_publish", task.pk), CONFIRM)
    task.refresh_from_db()
    assert task.status == TaskStatus.PUBLISHED
    assert task.assignments.exists()


def test_an_irreversible_step_without_its_confirmation_changes_nothing(client, city, leader):
    task = seeded(leader.user)
    log_in(client, leader)
    response = client.post(url("inspection_draw", task.pk), follow=True)
    assert "请先勾选确认" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.SEEDED


def test_the_publish_step_says_what_becomes_public(client, city, leader):
    task = drawn(leader.user)
    log_in(client, leader)
    page = client.get(url("inspection_task", task.pk)).content.decode()
    assert "我确认公示：抽中的市场主体名称" in page and 'name="confirm"' in page


def test_a_refused_step_shows_why_and_changes_nothing(client, city, leader):
    task = draft(leader.user)
    log_in(client, leader)
    response = client.post(url("inspection_draw", task.pk), CONFIRM, follow=True)
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


def drawn_as(staff, assignment) -> Inspector:
    """Link the staff account to the subject's first drawn inspector."""
    inspector = assignment.inspectors.order_by("badge_number").first()
    inspector.staff = staff
    inspector.save(update_fields=["staff"])
    return inspector


def test_a_drawn_inspector_enters_a_result_on_the_form(client, city, leader, staff_of):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    staff = staff_of("SCJG")
    drawn_as(staff, assignment)
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


def test_staff_of_the_department_not_drawn_for_the_subject_may_not_enter_its_result(
    client, city, leader, staff_of
):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    staff = staff_of("SCJG")
    log_in(client, staff)
    response = client.post(url("inspection_result", assignment.pk),
                           {"inspected_on": timezone.localdate().isoformat(), "result": "no_problem"})  # fmt: skip
    assert response.status_code == 403
    assert not Assignment.objects.get(pk=assignment.pk).result
    assert AuditEntry.objects.filter(action=Action.DENIED, actor_id=staff.user.pk).exists()


def test_a_leader_enters_a_result_as_proxy_naming_the_inspector_audited_and_shown(client, city, leader):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    inspector = assignment.inspectors.order_by("badge_number").first()
    log_in(client, leader)
    response = client.post(url("inspection_result", assignment.pk), {
        "inspected_on": timezone.localdate().isoformat(), "result": "no_problem", "proxy_for": inspector.pk,
    })  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.result_inspector_id, assignment.result_proxy) == (inspector.pk, True)
    entry = AuditEntry.objects.get(action=Action.RESULT, object_id=str(assignment.pk))
    assert (entry.after["proxy"], entry.after["inspector"]) == (True, inspector.badge_number)
    page = client.get(url("inspection_result", assignment.pk)).content.decode()
    assert "代检查人员" in page and inspector.name in page


def test_a_leader_not_naming_the_inspector_is_refused(client, city, leader):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    log_in(client, leader)
    response = client.post(url("inspection_result", assignment.pk),
                           {"inspected_on": timezone.localdate().isoformat(), "result": "no_problem"})  # fmt: skip
    assert response.status_code == 200
    assert "proxy_for" in response.context["form"].errors
    assert not Assignment.objects.get(pk=assignment.pk).result


class _NeverRead(SimpleUploadedFile):
    """An upload that claims 11 MB and fails the test if anything reads it."""

    size = 11 * 1024 * 1024

    def read(self, *args, **kwargs):
        raise AssertionError("an oversized attachment was read")

    def chunks(self, *args, **kwargs):
        raise AssertionError("an oversized attachment was read")


def test_an_attachment_over_10_mb_is_refused_before_it_is_read():
    from supervision.forms.inspections import ResultForm

    upload = _NeverRead("大.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    upload.size = 11 * 1024 * 1024
    form = ResultForm({"inspected_on": timezone.localdate().isoformat(), "result": "no_problem"},
                      {"attachments": [upload]})  # fmt: skip
    assert not form.is_valid()
    assert "超过 10 MB" in str(form.errors["attachments"])


def result_post(client, assignment, *files):
    return client.post(url("inspection_result", assignment.pk), {
        "inspected_on": timezone.localdate().isoformat(), "result": "no_problem", "attachments": list(files),
    })  # fmt: skip


def test_an_attachment_declared_an_image_but_not_one_is_refused_with_a_form_error(
    client, city, leader, staff_of
):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    staff = staff_of("SCJG")
    drawn_as(staff, assignment)
    log_in(client, staff)
    response = result_post(client, assignment, SimpleUploadedFile("现场.jpg", b"MZ\x90\x00exe", "image/jpeg"))
    assert response.status_code == 200
    assert "不是 JPEG、PNG 图片或 PDF 文件" in str(response.context["form"].errors["attachments"])
    assert not Assignment.objects.get(pk=assignment.pk).result


def test_an_attachment_is_stored_with_the_type_its_bytes_show(client, city, leader, staff_of):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    staff = staff_of("SCJG")
    drawn_as(staff, assignment)
    log_in(client, staff)
    png = SimpleUploadedFile("现场.jpg", b"\x89PNG\r\n\x1a\nimage", "image/jpeg")
    assert result_post(client, assignment, png).status_code == 302
    assert Attachment.objects.get(assignment=assignment).content_type == "image/png"


@pytest.fixture
def attachment(city, leader, staff_of):
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    from warning_system.inspections import services as core

    core.result_record(assignment=assignment, user=leader.user, department_id="SCJG",
                       inspected_on=timezone.localdate(), result="no_problem",
                       attachments=[core.UploadedAttachment("笔录.pdf", "application/pdf", b"%PDF-1.7 x")])  # fmt: skip
    return Attachment.objects.get(assignment=assignment)


def test_a_participating_department_downloads_an_attachment_and_the_download_is_audited(
    client, attachment, staff_of
):
    staff = staff_of("SCJG")
    log_in(client, staff)
    response = client.get(url("inspection_attachment", attachment.pk))
    assert response.status_code == 200
    assert (response.content, response["Content-Type"]) == (b"%PDF-1.7 x", "application/pdf")
    assert AuditEntry.objects.filter(
        action=Action.EXPORT, actor_id=staff.user.pk, object_id=str(attachment.pk)
    ).exists()


def test_another_department_may_not_download_an_attachment(client, attachment, staff_of):
    log_in(client, staff_of("WGLJ"))
    assert client.get(url("inspection_attachment", attachment.pk)).status_code == 403


def test_the_result_page_links_its_attachments(client, attachment, leader):
    log_in(client, leader)
    page = client.get(url("inspection_result", attachment.assignment_id)).content.decode()
    assert url("inspection_attachment", attachment.pk) in page


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


def test_a_frozen_badge_number_is_read_only_on_the_inspector_form(client, city, leader):
    from tests.inspections.world import frozen

    frozen(leader.user)
    inspector = Inspector.objects.order_by("badge_number").first()
    log_in(client, leader)
    response = client.get(url("inspection_inspector_edit", inspector.pk))
    assert response.context["form"].fields["badge_number"].disabled
    client.post(url("inspection_inspector_edit", inspector.pk), {
        "name": inspector.name, "badge_number": "CHANGED-1", "qualifications": ["food"], "active": "on",
    })  # fmt: skip
    assert Inspector.objects.get(pk=inspector.pk).badge_number == inspector.badge_number


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


def test_the_task_list_never_reads_the_rejections_log(client, city, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    published(leader.user)
    log_in(client, leader)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("inspection_tasks")).status_code == 200
    assert not [q["sql"] for q in queries if '"rejections"' in q["sql"]]


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


# --------------------------------------------------------------------------- corrections, manual assignment


def entered_by_proxy(client, leader) -> Assignment:
    task = published(leader.user)
    assignment = Assignment.objects.filter(task=task).first()
    inspector = assignment.inspectors.order_by("badge_number").first()
    log_in(client, leader)
    client.post(url("inspection_result", assignment.pk), {
        "inspected_on": timezone.localdate().isoformat(), "result": "undisclosed", "proxy_for": inspector.pk,
    })  # fmt: skip
    return Assignment.objects.get(pk=assignment.pk)


def test_a_leader_corrects_a_result_and_the_previous_one_shows_to_staff(client, city, leader):
    assignment = entered_by_proxy(client, leader)
    inspector = assignment.inspectors.order_by("badge_number").first()
    response = client.post(url("inspection_result_correct", assignment.pk), {
        "inspected_on": timezone.localdate().isoformat(), "result": "no_problem", "reason": "误选结果类别",
        "proxy_for": inspector.pk,
    })  # fmt: skip
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.result == "no_problem" and assignment.corrected_at is not None
    page = client.get(url("inspection_result", assignment.pk)).content.decode()
    assert "更正记录" in page and "未按规定公示应当公示的信息" in page and "误选结果类别" in page
    entry = AuditEntry.objects.get(action=Action.RESULT_CORRECT, object_id=str(assignment.pk))
    assert (entry.after["proxy"], entry.after["inspector"]) == (True, inspector.badge_number)


def test_a_correction_without_a_reason_shows_the_form_again_and_changes_nothing(client, city, leader):
    assignment = entered_by_proxy(client, leader)
    inspector = assignment.inspectors.order_by("badge_number").first()
    response = client.post(url("inspection_result_correct", assignment.pk), {
        "inspected_on": timezone.localdate().isoformat(), "result": "no_problem", "reason": "",
        "proxy_for": inspector.pk,
    })  # fmt: skip
    assert response.status_code == 400
    assert "correction-form" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).result == "undisclosed"


def short_subject(leader) -> Assignment:
    """A red subject (drawn whole) with which every inspector but one declared a conflict."""
    red = subject(colour="red")
    for inspector in Inspector.objects.order_by("badge_number")[1:]:
        inspector.conflicts = [red.uscc]
        inspector.save()
    task = published(leader.user)
    return Assignment.objects.get(task=task, subject_id=red.uscc)


def test_the_lead_leader_assigns_an_inspector_to_a_short_subject(client, city, leader):
    assignment = short_subject(leader)
    newcomer = InspectorFactory(name="补充检查员")
    log_in(client, leader)
    task_page = client.get(url("inspection_task", assignment.task_id)).content.decode()
    assert url("inspection_assign", assignment.task_id, assignment.pk) in task_page
    form = client.get(url("inspection_assign", assignment.task_id, assignment.pk)).content.decode()
    assert "补充检查员" in form
    response = client.post(url("inspection_assign", assignment.task_id, assignment.pk),
                           {"inspector": newcomer.pk, "reason": "回避后人员不足"})  # fmt: skip
    assert response.status_code == 302
    assert assignment.inspectors.filter(pk=newcomer.pk).exists()
    task_page = client.get(url("inspection_task", assignment.task_id)).content.decode()
    assert "人工指派：补充检查员" in task_page and "回避后人员不足" in task_page


def test_a_conflicted_inspector_is_not_offered_for_manual_assignment(client, city, leader):
    assignment = short_subject(leader)
    conflicted = Inspector.objects.filter(conflicts__contains=[assignment.subject_id]).first()
    log_in(client, leader)
    response = client.post(url("inspection_assign", assignment.task_id, assignment.pk),
                           {"inspector": conflicted.pk, "reason": "试图指派"})  # fmt: skip
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not assignment.inspectors.filter(pk=conflicted.pk).exists()


def test_the_task_page_paginates_its_picks(client, city, leader, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    task = published(leader.user)
    usccs = list(
        Assignment.objects.filter(task=task).order_by("position", "id").values_list("subject_id", flat=True)
    )
    log_in(client, leader)
    first = client.get(url("inspection_task", task.pk)).content.decode()
    second = client.get(url("inspection_task", task.pk), {"page": 2}).content.decode()
    assert usccs[0] in first and usccs[2] not in first
    assert usccs[2] in second and usccs[0] not in second


# --------------------------------------------------------------------------- policy


def test_an_administrator_saves_a_new_policy_version_shown_in_the_history(client, reference_data, staff_of):
    log_in(client, staff_of("SCJG", role="admin"))
    response = client.post(url("inspection_policy"), {
        "ratio_green": 3, "ratio_yellow": 6, "ratio_orange": 20, "ratio_red": 100, "inspectors_per_subject": 2,
        "result_workdays": 18, "note": "年度计划调整",
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(url("inspection_policy")).content.decode()
    assert "v1" in page and "年度计划调整" in page and "green 3%" in page
    assert "policy-form" in page


def test_a_leader_reads_the_policy_without_a_form_to_change_it(client, reference_data, leader):
    log_in(client, leader)
    page = client.get(url("inspection_policy")).content.decode()
    assert "current-policy" in page and "policy-form" not in page


def test_the_new_task_form_shows_the_default_ratios_as_plain_percentages(client, city, leader):
    log_in(client, leader)
    page = client.get(url("inspection_task_create")).content.decode()
    assert 'name="ratio_orange" value="20"' in page and 'name="ratio_red" value="100"' in page
    assert "E+" not in page
