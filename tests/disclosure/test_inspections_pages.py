"""双随机 on the portal: a task's public page, its files, the zip anyone re-verifies, the verifier."""

import io
import zipfile

import pytest
from django.utils import timezone

from supervision import verify_draw
from tests.inspections.world import InspectorFactory, frozen, leader, published, small_city, subject
from warning_system.inspections import services as core
from warning_system.inspections.models import Assignment
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


def test_the_verifier_served_is_the_file_the_workspace_draws_with(client, settings):
    response = client.get("/inspections/verify_draw.py")
    with open(settings.BASE_DIR / "supervision" / "verify_draw.py", "rb") as stream:
        assert b"".join([response.content]) == stream.read()
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
    assert r"^\d{6}$" in page and r"^\d{1,6}\.\d{2}$" in page
    assert f"{timezone.localdate().isoformat()} 产生" in page


def test_a_cancelled_task_shows_its_reason_on_the_public_page(client, scjg):
    task = core.task_cancel(task=frozen(scjg.user), user=scjg.user, reason="检查人员不足，另行组织")
    page = body(client.get(f"/inspections/{task.number}/"))
    assert "已撤销" in page and "检查人员不足，另行组织" in page
