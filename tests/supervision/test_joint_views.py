"""联合惩戒 in the workspace: the check page and its printable answer, the outcome form, a batch
upload, the checks list by department, the statistics and the catalogue editor."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from tests.auth import log_in
from tests.factories import make_uscc
from tests.sanctions import world
from warning_system.audit.models import Action, AuditEntry
from warning_system.registry.models import Subject
from warning_system.sanctions.models import JointCheck, MeasuresCatalogue

pytestmark = pytest.mark.django_db

CHECK = reverse("supervision:joint_check")
BATCH = reverse("supervision:joint_batch")
CHECKS = reverse("supervision:joint_checks")


@pytest.fixture
def scjg(client, staff_of):
    staff = staff_of("SCJG")
    log_in(client, staff)
    return staff


@pytest.fixture
def red(reference_data):
    return world.red()


def check_via_page(client, subject: str, use: str = "procurement"):
    return client.post(CHECK, {"subject": subject, "use": use})


def test_a_check_of_a_red_subject_for_procurement_shows_restricted_with_reasons_and_basis(client, scjg, red):
    response = check_via_page(client, red)
    check = JointCheck.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:joint_check_detail", args=[check.pk])
    page = client.get(response.url).content.decode()
    assert 'data-outcome="restricted"' in page
    assert "列入严重违法失信名单" in page
    assert "《中华人民共和国政府采购法》第二十二条" in page
    assert check.reasons[0]["records"][0]["record_id"] in page


def test_a_check_by_exact_name_finds_the_subject(client, scjg, red):
    name = Subject.objects.get(uscc=red).name
    assert check_via_page(client, name).status_code == 302
    assert JointCheck.objects.get().subject_id == red


def test_an_unknown_subject_is_a_clear_error_and_nothing_is_stored(client, scjg, reference_data):
    response = check_via_page(client, make_uscc())
    assert response.status_code == 400
    assert "未找到该主体" in response.content.decode()
    assert not JointCheck.objects.exists()


def test_the_check_is_audited_with_the_department(client, scjg, red):
    check_via_page(client, red, "bidding")
    entry = AuditEntry.objects.get(action=Action.JOINT_CHECK)
    assert (entry.department_id, entry.subject_uscc, entry.actor_id) == ("SCJG", red, scjg.user.pk)


def test_the_department_reports_the_outcome(client, scjg, red):
    check_via_page(client, red)
    check = JointCheck.objects.get()
    response = client.post(reverse("supervision:joint_outcome", args=[check.pk]),
                           {"action": "bid_rejected", "on": timezone.localdate().isoformat(), "note": "取消中标资格"})  # fmt: skip
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.reported_action, check.reported_note) == ("bid_rejected", "取消中标资格")
    assert AuditEntry.objects.filter(action=Action.JOINT_OUTCOME, object_id=str(check.pk)).exists()
    page = client.get(reverse("supervision:joint_check_detail", args=[check.pk])).content.decode()
    assert 'data-action="bid_rejected"' in page


def test_an_outcome_form_with_a_future_date_is_refused_and_kept(client, scjg, red):
    check_via_page(client, red)
    check = JointCheck.objects.get()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(reverse("supervision:joint_outcome", args=[check.pk]),
                           {"action": "bid_rejected", "on": future, "note": "保留的说明"})  # fmt: skip
    assert response.status_code == 400
    assert "措施日期不能晚于今天" in response.content.decode()
    assert "保留的说明" in response.content.decode()
    check.refresh_from_db()
    assert check.reported_action == ""


def test_an_allowed_check_offers_only_no_measure(client, scjg, reference_data):
    check_via_page(client, world.green())
    check = JointCheck.objects.get()
    page = client.get(reverse("supervision:joint_check_detail", args=[check.pk])).content.decode()
    assert 'value="none"' in page and 'value="bid_rejected"' not in page


# --------------------------------------------------------------------------- batches


def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    data.name = "核查名单.xlsx"
    return data


def test_an_uploaded_sheet_is_checked_per_line_with_its_use(client, scjg, red):
    green = world.green()
    sheet = xlsx([["企业核查名单"], ["统一社会信用代码", "事项"], [red, "融资授信"], [green, ""]])
    response = client.post(BATCH, {"use": "honour", "upload": sheet})
    assert response.status_code == 302
    checks = {c.subject_id: (c.use, c.outcome, c.channel) for c in JointCheck.objects.all()}
    assert checks == {red: ("financing", "restricted", "batch"), green: ("honour", "allowed", "batch")}
    listing = client.get(response.url).content.decode()
    assert red in listing and green in listing


def test_a_gb18030_csv_from_chinese_excel_is_read(client, scjg, red):
    upload = io.BytesIO(f"序号,统一社会信用代码（必填）,事项\r\n1,{red},招投标\r\n".encode("gb18030"))
    upload.name = "名单.csv"
    response = client.post(BATCH, {"use": "honour", "upload": upload})
    assert response.status_code == 302
    assert JointCheck.objects.get().use == "bidding"


def test_a_pasted_csv_batch_works_too(client, scjg, red):
    response = client.post(BATCH, {"use": "bidding", "entries": f"{red}\n"})
    assert response.status_code == 302
    assert JointCheck.objects.get().use == "bidding"


def test_a_batch_with_a_bad_code_names_the_line_and_checks_nothing(client, scjg, red):
    response = client.post(BATCH, {"use": "bidding", "entries": f"{red}\n91360100BAD\n{red},抽奖"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "第 2 行" in body and "第 3 行" in body and "抽奖" in body
    assert not JointCheck.objects.exists()


def test_a_file_that_is_not_a_sheet_is_refused(client, scjg, reference_data):
    upload = io.BytesIO(b"not a zip")
    upload.name = "list.xlsx"
    response = client.post(BATCH, {"use": "bidding", "upload": upload})
    assert response.status_code == 400
    assert "无法读取 Excel 文件" in response.content.decode()


def test_a_sheet_with_a_control_character_is_refused_naming_its_line(client, scjg, red):
    upload = io.BytesIO(f"统一社会信用代码\r\n{red}\r\n南昌\x00某公司\r\n".encode())
    upload.name = "名单.csv"
    response = client.post(BATCH, {"use": "bidding", "upload": upload})
    assert response.status_code == 400
    assert "第 3 行含有控制字符" in response.content.decode()
    assert not JointCheck.objects.exists()


# --------------------------------------------------------------------------- who sees what


def test_staff_list_their_departments_checks_and_leaders_the_citys(client, staff_of, red):
    scjg, wglj, leader = staff_of("SCJG"), staff_of("WGLJ"), staff_of("WGLJ", role="leader")
    log_in(client, scjg)
    check_via_page(client, red)
    log_in(client, wglj)
    assert red not in client.get(CHECKS).content.decode()
    log_in(client, leader)
    assert red in client.get(CHECKS).content.decode()


def test_the_checks_list_reads_a_fixed_number_of_queries(client, scjg, red, django_assert_max_num_queries):
    for use in ("procurement", "bidding", "honour", "financing"):
        check_via_page(client, red, use)
    with django_assert_max_num_queries(12):
        response = client.get(CHECKS)
    assert response.content.decode().count('data-outcome="restricted"') == 4


def test_the_detail_page_reads_a_fixed_number_of_queries(client, scjg, red, django_assert_max_num_queries):
    check_via_page(client, red)
    with django_assert_max_num_queries(10):
        client.get(reverse("supervision:joint_check_detail", args=[JointCheck.objects.get().pk]))


# --------------------------------------------------------------------------- statistics


def test_statistics_count_disqualified_enterprises_per_use_and_year(client, staff_of, reference_data):
    leader = staff_of("SCJG", role="leader")
    log_in(client, leader)
    red, other = world.red(), world.red()
    for uscc in (red, red, other):
        check_via_page(client, uscc, "bidding")
    for check in JointCheck.objects.all():
        client.post(reverse("supervision:joint_outcome", args=[check.pk]),
                    {"action": "bid_rejected", "on": timezone.localdate().isoformat()})  # fmt: skip
    stats = client.get(reverse("supervision:joint_statistics")).context["stats"]
    (year,) = stats.years
    assert year.year == timezone.localdate().year
    assert year.counts == {"bidding": 2}


def test_the_statistics_page_reads_a_fixed_number_of_queries(
    client, scjg, red, django_assert_max_num_queries
):
    check_via_page(client, red)
    with django_assert_max_num_queries(10):  # session, user, profile, department; then three grouped queries
        assert client.get(reverse("supervision:joint_statistics")).status_code == 200


# --------------------------------------------------------------------------- catalogue


def catalogue_post(**changes) -> dict:
    from warning_system.sanctions.measures import default_measures

    data = {"effective_from": timezone.localdate().isoformat(), "note": "融资从严"}
    for use, entry in default_measures().items():
        data[f"{use}_colours"] = entry["colours"]
        data[f"{use}_lists"] = entry["lists"]
        data[f"{use}_measure"] = entry["measure"]
        data[f"{use}_legal_basis"] = entry["legal_basis"]
    data.update(changes)
    return data


def test_an_administrator_publishes_a_new_catalogue_version(client, staff_of, reference_data):
    admin = staff_of("SCJG", role="admin")
    log_in(client, admin)
    response = client.post(reverse("supervision:joint_catalogue_edit"),
                           catalogue_post(financing_colours=["red", "orange"]))  # fmt: skip
    assert response.status_code == 302
    latest = MeasuresCatalogue.objects.get(version=2)
    assert (latest.measures["financing"]["colours"], latest.author) == (["red", "orange"], admin.user)
    assert AuditEntry.objects.filter(action=Action.MEASURES_CHANGE).count() == 1


def test_a_catalogue_without_a_legal_basis_is_refused(client, staff_of, reference_data):
    log_in(client, staff_of("SCJG", role="admin"))
    response = client.post(reverse("supervision:joint_catalogue_edit"), catalogue_post(honour_legal_basis=""))
    assert response.status_code == 400
    assert MeasuresCatalogue.objects.count() == 1


def test_everyone_reads_the_catalogue_with_its_legal_basis(client, scjg):
    page = client.get(reverse("supervision:joint_catalogue")).content.decode()
    assert "国发〔2016〕33号" in page and "v1" in page


def test_a_name_shared_by_two_subjects_asks_for_the_code_and_lists_them(client, scjg, reference_data):
    from tests.supervision.feeds import register

    first, second = register(name="南昌同名贸易有限公司"), register(name="南昌同名贸易有限公司")
    response = check_via_page(client, "南昌同名贸易有限公司")
    body = response.content.decode()
    assert response.status_code == 400
    assert "对应多个主体" in body and first in body and second in body
    assert not JointCheck.objects.exists()
