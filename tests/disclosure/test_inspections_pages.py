"""双随机 on the portal: a task's public page, its files, the zip anyone re-verifies, the verifier."""

import io
import zipfile
from pathlib import Path

import pytest
from django.utils import timezone

from disclosure.selectors import inspections as public_selectors
from tests.inspections.world import InspectorFactory, frozen, leader, published, small_city, subject
from warning_system.inspections import selectors as core_selectors
from warning_system.inspections import services as core
from warning_system.inspections import verify_draw
from warning_system.inspections.models import Assignment, DrawFile, Inspector
from warning_system.registry.models import Subject
from warning_system.registry.services import reference_data_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def scjg(db):
    reference_data_load()
    small_city()
    return leader("SCJG")


def body(response) -> str:
    return response.content.decode()


def test_the_downloaded_zip_verifies_as_match(client, scjg, tmp_path):
    task = published(scjg.user)
    response = client.get(f"/inspections/{task.number}/files.zip")
    assert response["Content-Type"] == "application/zip"
    path = tmp_path / f"{task.number}.zip"
    path.write_bytes(response.content)
    report = verify_draw.verify(str(path))
    assert report.match, report.summary()
    assert "MATCH" in report.summary()


def test_a_changed_file_in_the_zip_does_not_verify(client, scjg, tmp_path):
    task = published(scjg.user)
    original = zipfile.ZipFile(io.BytesIO(client.get(f"/inspections/{task.number}/files.zip").content))
    path = tmp_path / "changed.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name in original.namelist():
            data = original.read(name)
            archive.writestr(
                name, data.replace(b",green", b",yellow", 1) if name.endswith("subjects.csv") else data
            )
    assert not verify_draw.verify(str(path)).match


def test_the_task_page_publishes_hashes_seed_sources_and_the_result(client, scjg):
    task = published(scjg.user)
    page = body(client.get(f"/inspections/{task.number}/"))
    for text in (task.subjects_sha256, task.inspectors_sha256, task.seed, verify_draw.ALGORITHM,
                 "公开抽签会现场见证人输入的六位数字", "482913", "/inspections/verify_draw.py",
                 f"/inspections/{task.number}/files.zip", f"/inspections/{task.number}/files/subjects.csv"):  # fmt: skip
        assert text in page
    for assignment in (
        Assignment.objects.filter(task=task).select_related("subject").prefetch_related("inspectors")
    ):
        assert assignment.subject.name in page and assignment.subject_id in page
        assert all(i.name in page for i in assignment.inspectors.all())


def test_conflicts_never_show_in_clear(client, scjg):
    target = subject(colour="green")
    InspectorFactory(conflicts=[target.uscc])
    task = published(scjg.user)
    for name in ("inspectors.csv", "task.json"):
        assert target.uscc not in body(client.get(f"/inspections/{task.number}/files/{name}"))


def test_a_frozen_task_shows_its_hashes_but_no_result_yet(client, scjg):
    task = frozen(scjg.user)
    page = body(client.get(f"/inspections/{task.number}/"))
    assert task.subjects_sha256 in page
    assert client.get(f"/inspections/{task.number}/files/subjects.csv").status_code == 200
    assert client.get(f"/inspections/{task.number}/files/result.csv").status_code == 404
    assert client.get(f"/inspections/{task.number}/files.zip").status_code == 404


def test_a_draft_task_is_not_public(client, scjg):
    from tests.inspections.world import draft

    task = draft(scjg.user)
    assert client.get(f"/inspections/{task.number}/").status_code == 404
    assert task.number not in body(client.get("/inspections/"))


def test_an_entered_result_shows_on_the_task_and_the_subject_page(
    client, scjg, django_capture_on_commit_callbacks
):
    task = published(scjg.user)
    assignment = Assignment.objects.filter(task=task).first()
    with django_capture_on_commit_callbacks(execute=True):
        core.result_record(assignment=assignment, user=scjg.user, department_id="SCJG",
                           inspected_on=timezone.localdate(), result="undisclosed", note="内部说明不公示")  # fmt: skip
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "未按规定公示应当公示的信息" in page and "内部说明不公示" not in page
    subject_page = body(client.get(f"/subjects/{assignment.subject_id}"))
    assert "未按规定公示应当公示的信息" in subject_page
    assert task.name in subject_page


def test_the_verifier_served_is_the_file_the_system_draws_with(client):
    response = client.get("/inspections/verify_draw.py")
    assert response.content == Path(verify_draw.__file__).read_bytes()
    assert 'filename="verify_draw.py"' in response["Content-Disposition"]


def test_the_list_answers_in_a_bounded_number_of_queries(client, scjg, django_assert_max_num_queries):
    numbers = [published(scjg.user).number for _ in range(3)]
    with django_assert_max_num_queries(5):
        page = body(client.get("/inspections/"))
    assert all(number in page for number in numbers)


def test_the_public_list_never_reads_the_rejections_log(client, scjg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    published(scjg.user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/inspections/").status_code == 200
    assert not [q["sql"] for q in queries if '"rejections"' in q["sql"]]


def test_the_task_page_answers_in_a_bounded_number_of_queries(client, scjg, django_assert_max_num_queries):
    task = published(scjg.user)
    with django_assert_max_num_queries(8):
        client.get(f"/inspections/{task.number}/")


def test_the_frozen_task_page_publishes_each_sources_kind_format_and_day(client, scjg):
    task = frozen(scjg.user)
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "公开抽签会现场见证人输入的数值" in page and "冻结时尚不存在的外部数值" in page
    assert "六位数字，例如 482913" in page and "带两位小数的数值（如指数收盘点位），例如 3318.27" in page
    assert r"^\d{6}$" not in page  # the regular expressions stay in task.json, for the verifier
    assert f"{timezone.localdate().isoformat()} 产生" in page


def test_a_cancelled_task_shows_its_reason_on_the_public_page(client, scjg):
    task = core.task_cancel(task=frozen(scjg.user), user=scjg.user, reason="检查人员不足，另行组织")
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "已撤销" in page and "检查人员不足，另行组织" in page


def test_the_task_page_prints_the_verify_command_with_the_hashes_of_freezing(client, scjg):
    task = published(scjg.user)
    page = body(client.get(f"/inspections/{task.number}/"))
    assert (
        f"python3 verify_draw.py {task.number}.zip --expect-subjects-sha256 {task.subjects_sha256} "
        f"--expect-inspectors-sha256 {task.inspectors_sha256} --expect-previous-sha256 {task.previous_sha256}"
    ) in page


def test_the_printed_command_verifies_the_downloaded_zip(client, scjg, tmp_path):
    task = published(scjg.user)
    path = tmp_path / f"{task.number}.zip"
    path.write_bytes(client.get(f"/inspections/{task.number}/files.zip").content)
    frozen_hashes = {"subjects.csv": task.subjects_sha256, "inspectors.csv": task.inspectors_sha256,
                     "previous.csv": task.previous_sha256}  # fmt: skip
    assert verify_draw.verify(str(path), frozen_hashes).match


def test_the_zip_is_built_once_at_publication_and_served_as_stored(client, scjg, monkeypatch):
    task = published(scjg.user)
    stored = bytes(DrawFile.objects.get(task=task, name="published.zip").content)
    monkeypatch.setattr(core_selectors, "files_zip", lambda task: pytest.fail("rebuilt per request"))
    assert client.get(f"/inspections/{task.number}/files.zip").content == stored
    assert "published.zip" not in body(client.get(f"/inspections/{task.number}/"))


def test_the_picks_are_paginated(client, scjg, monkeypatch):
    monkeypatch.setattr(public_selectors, "PICKS_PER_PAGE", 2)
    task = published(scjg.user)
    usccs = list(
        Assignment.objects.filter(task=task).order_by("position", "id").values_list("subject_id", flat=True)
    )
    first, second = (body(client.get(f"/inspections/{task.number}/", {"page": n})) for n in (1, 2))
    assert all(uscc in first for uscc in usccs[:2]) and usccs[2] not in first
    assert usccs[2] in second and usccs[0] not in second
    assert "?page=2" in first


def test_a_corrected_result_shows_the_current_result_and_the_day_it_was_corrected(
    client, scjg, django_capture_on_commit_callbacks
):
    task = published(scjg.user)
    assignment = Assignment.objects.filter(task=task).first()
    inspector = assignment.inspectors.first()
    core.result_record(assignment=assignment, user=scjg.user, department_id="SCJG", inspector=inspector,
                       proxy=True, inspected_on=timezone.localdate(), result="undisclosed")  # fmt: skip
    core.result_correct(assignment=assignment, user=scjg.user, department_id="SCJG", inspector=inspector,
                        proxy=True, inspected_on=timezone.localdate(), result="no_problem", reason="误录")  # fmt: skip
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "未发现问题" in page and "未按规定公示应当公示的信息" not in page
    assert f"已于 {timezone.localdate().isoformat()} 更正" in page
    assert "误录" not in page  # the reason and the previous result stay with the staff


def test_a_manual_assignment_is_marked_as_manual_with_its_reason(client, scjg):
    red = subject(colour="red")
    for inspector in Inspector.objects.all():
        inspector.conflicts = [red.uscc]
        inspector.save()
    InspectorFactory.create_batch(1)
    task = published(scjg.user)
    assignment = Assignment.objects.get(task=task, subject_id=red.uscc)
    assert assignment.short
    newcomer = InspectorFactory(name="指派检查员")
    core.manual_assignment_create(
        assignment=assignment, user=scjg.user, inspector=newcomer, reason="回避后人员不足"
    )
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "人工指派（不属于随机抽取）：指派检查员（" in page and "：回避后人员不足" in page


def test_a_drawn_shop_named_after_its_operator_shows_masked(client, scjg):
    shop = subject(colour="red", legal_representative="蔺大伟")  # red: drawn at 100 %
    Subject.objects.filter(uscc=shop.uscc).update(name="蔺大伟", subject_type="individual_business")
    task = published(scjg.user)

    page = body(client.get(f"/inspections/{task.number}/"))

    assert shop.uscc in page and "蔺＊＊" in page
    assert "蔺大伟" not in page


def test_the_task_page_says_the_ratios_strata_and_algorithm_in_words(client, scjg):
    task = published(scjg.user)
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "红色 100%，橙色 100%，黄色 50%，绿色 50%" in page
    stratum = task.strata["red"]
    assert f"红色：{stratum['N']} 家中抽取 {stratum['k']} 家" in page
    assert "Rivest 抽样法" in page
    assert "N = " not in page and "red 1.0" not in page
