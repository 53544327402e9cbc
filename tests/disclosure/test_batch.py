"""The bank / procurement batch check: parsing what people paste or upload, matching it set-wise
against the public registry, the page and its CSV / Excel downloads."""

import csv
import io
import json
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from disclosure.selectors.batch import (
    AMBIGUOUS,
    FOUND,
    INVALID,
    UNKNOWN,
    BatchInputError,
    check_entries,
    entries_from_text,
    entries_from_upload,
    to_csv,
    to_xlsx,
)
from tests.factories import DepartmentFactory, make_uscc, wrong_check
from warning_system.registry.models import Subject

URL = "/check"
DOWNLOAD_URL = "/check/download"
COLUMNS = ["输入", "状态", "统一社会信用代码", "名称", "颜色", "原因", "限制措施", "查询日期", "备注"]


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def department(db):
    return DepartmentFactory()


@pytest.fixture
def make_subject(department):
    def make(uscc: str | None = None, name: str | None = None, **fields) -> Subject:
        uscc = uscc or make_uscc()
        return Subject.objects.create(
            uscc=uscc,
            name=name or f"南昌测试{uscc[-6:]}有限公司",
            subject_type="enterprise",
            status="existing",
            district_code="360102",
            registered_by=department,
            source_updated_at=timezone.now(),
            **fields,
        )

    return make


def statuses(result) -> list[str]:
    return [row.status for row in result.rows]


# --------------------------------------------------------------------------- text


def test_text_splits_on_lines_commas_tabs_and_semicolons():
    assert entries_from_text("A1\nB2,C3\tD4;E5\r\nF6，G7；H8") == [
        "A1", "B2", "C3", "D4", "E5", "F6", "G7", "H8",
    ]  # fmt: skip


def test_text_strips_and_drops_blank_entries():
    assert entries_from_text("  A1  \n\n , ;\n\tB2 ") == ["A1", "B2"]


def test_text_keeps_input_order_and_repeats_once():
    assert entries_from_text("C3\nA1\nC3\nB2\nA1") == ["C3", "A1", "B2"]


def test_text_without_entries_is_refused():
    with pytest.raises(BatchInputError):
        entries_from_text(" \n , \n")


def test_text_of_the_maximum_is_accepted(settings):
    assert len(entries_from_text("\n".join(f"E{i}" for i in range(settings.BATCH_CHECK_MAX_CODES)))) == 10_000


def test_text_over_the_maximum_is_refused_saying_how_many():
    with pytest.raises(BatchInputError) as info:
        entries_from_text("\n".join(f"E{i}" for i in range(10_001)))
    assert "10,001" in info.value.message
    assert "10,000" in info.value.message


# --------------------------------------------------------------------------- uploads


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_is_read_in_utf8_with_or_without_bom_and_gb18030(encoding):
    data = csv_bytes([["企业名称"], ["南昌洪都红色食品有限公司"], ["南昌赣江绿色餐饮有限公司"]], encoding)
    assert entries_from_upload("客户.csv", data) == ["南昌洪都红色食品有限公司", "南昌赣江绿色餐饮有限公司"]


def test_csv_column_headed_as_code_is_taken_before_the_name_column():
    code = make_uscc()
    data = csv_bytes([["序号", "企业名称", "统一社会信用代码"], ["1", "南昌某公司", code]])
    assert entries_from_upload("list.csv", data) == [code]


def test_csv_column_headed_name_is_taken():
    data = csv_bytes([["序号", "name", "备注"], ["1", "南昌某公司", "x"], ["2", "南昌另一公司", ""]])
    assert entries_from_upload("list.csv", data) == ["南昌某公司", "南昌另一公司"]


def test_csv_without_header_reads_every_row_of_the_first_column():
    codes = [make_uscc(), make_uscc()]
    data = csv_bytes([[codes[0], "甲"], [codes[1], "乙"]])
    assert entries_from_upload("list.csv", data) == codes


def test_csv_unknown_header_above_codes_is_skipped():
    codes = [make_uscc(), make_uscc()]
    data = csv_bytes([["客户代码"], *[[c] for c in codes]])
    assert entries_from_upload("list.csv", data) == codes


def test_csv_header_below_a_title_row_is_found():
    code = make_uscc()
    data = csv_bytes(
        [["2026年贷款客户名单", ""], ["客户", "统一社会信用代码（必填）*"], ["南昌某公司", code]]
    )
    assert entries_from_upload("list.csv", data) == [code]


def test_csv_separated_by_semicolons_is_read_by_column():
    code = make_uscc()
    data = f"名称;统一社会信用代码\r\n南昌某公司;{code}\r\n".encode()
    assert entries_from_upload("list.csv", data) == [code]


def test_csv_extension_is_case_insensitive():
    assert entries_from_upload("LIST.CSV", b"A1\r\n") == ["A1"]


def test_xlsx_headed_column_is_read():
    code = make_uscc()
    data = xlsx_bytes(
        [["企业名称", "统一社会信用代码"], ["南昌某公司", code], [None, None], ["另一公司", " "]]
    )
    assert entries_from_upload("list.xlsx", data) == [code]


def test_xlsx_without_header_reads_the_first_column():
    names = ["南昌某公司", "南昌另一公司"]
    assert entries_from_upload("list.xlsx", xlsx_bytes([[n] for n in names])) == names


def test_xlsx_number_cells_are_read_as_typed():
    data = xlsx_bytes([["注册号"], [360102000012345], [360102000012346.0]])
    assert entries_from_upload("list.xlsx", data) == ["360102000012345", "360102000012346"]


def test_unreadable_xlsx_is_refused():
    with pytest.raises(BatchInputError) as info:
        entries_from_upload("list.xlsx", b"not a zip file")
    assert "Excel" in info.value.message


def test_undecodable_csv_is_refused():
    with pytest.raises(BatchInputError):
        entries_from_upload("list.csv", b"\x81\x20\x81\x20\xff\xff")


def test_csv_with_a_control_character_is_refused_naming_its_line():
    with pytest.raises(BatchInputError) as info:
        entries_from_upload("list.csv", f"代码\r\n{make_uscc()}\r\n南昌\x00某公司\r\n".encode())
    assert "第 3 行含有控制字符" in info.value.message


def test_unsupported_extension_is_refused():
    with pytest.raises(BatchInputError) as info:
        entries_from_upload("list.xls", b"whatever")
    assert ".xlsx" in info.value.message


def test_file_without_entries_is_refused():
    with pytest.raises(BatchInputError) as info:
        entries_from_upload("list.csv", csv_bytes([["统一社会信用代码"], [""]]))
    assert "没有" in info.value.message


def test_file_over_the_maximum_is_refused_saying_how_many():
    data = xlsx_bytes([["代码"], *[[f"E{i}"] for i in range(10_002)]])
    with pytest.raises(BatchInputError) as info:
        entries_from_upload("list.xlsx", data)
    assert "10,002" in info.value.message


# --------------------------------------------------------------------------- matching


def test_statuses_follow_the_input_order(make_subject):
    found = make_subject()
    shared = "南昌同名商行"
    make_subject(name=shared)
    make_subject(name=shared)
    entries = [make_uscc(), found.uscc, wrong_check(make_uscc()), shared, found.name]
    result = check_entries(entries)
    assert [row.entry for row in result.rows] == entries
    assert statuses(result) == [UNKNOWN, FOUND, INVALID, AMBIGUOUS, FOUND]


def test_code_typed_in_any_spelling_is_found(make_subject):
    subject = make_subject()
    spellings = [subject.uscc.lower(), f" {subject.uscc[:6]} {subject.uscc[6:]} ", subject.uscc.translate(
        {ord(c): ord(c) + 0xFEE0 for c in "0123456789"}
    )]  # fmt: skip
    result = check_entries(spellings)
    assert [row.uscc for row in result.rows] == [subject.uscc] * 3
    assert [row.entry for row in result.rows] == spellings


def test_code_with_a_wrong_check_character_is_invalid(db):
    row = check_entries([wrong_check(make_uscc())]).rows[0]
    assert row.status == INVALID
    assert row.note


@pytest.mark.parametrize(
    "entry", ["91360102MA0000011", "91360102MA00000111X", "12345", "9136010@MA000001", "ABCDEFGHJKLMNPQRTU"]
)
def test_code_shaped_entry_of_wrong_length_or_characters_is_invalid(db, entry):
    assert check_entries([entry]).rows[0].status == INVALID


def test_well_formed_code_of_no_subject_is_unknown(db):
    result = check_entries([make_uscc(), "360102000099999", "MA0000019"])
    assert statuses(result) == [UNKNOWN, UNKNOWN, UNKNOWN]


def test_name_matches_only_exactly(make_subject):
    subject = make_subject(name="南昌洪都精密机械有限公司")
    result = check_entries(["  南昌洪都精密机械有限公司 ", "洪都精密机械", "南昌洪都精密机械有限公司分公司"])
    assert statuses(result) == [FOUND, UNKNOWN, UNKNOWN]
    assert result.rows[0].uscc == subject.uscc


def test_shared_name_is_ambiguous_listing_the_usccs(make_subject):
    first, second = make_subject(name="南昌同名商行"), make_subject(name="南昌同名商行")
    row = check_entries(["南昌同名商行"]).rows[0]
    assert row.status == AMBIGUOUS
    assert row.candidates == sorted([first.uscc, second.uscc])
    assert first.uscc in row.note and second.uscc in row.note


def test_legacy_registration_number_finds_the_subject(make_subject):
    subject = make_subject(registration_number="360102000012345")
    row = check_entries(["3601 0200 0012 345"]).rows[0]
    assert (row.status, row.uscc, row.name) == (FOUND, subject.uscc, subject.name)


def test_organisation_code_finds_the_subject(make_subject):
    subject = make_subject()
    organisation_code = subject.uscc[8:17]
    row = check_entries([f"{organisation_code[:8]}-{organisation_code[8]}"]).rows[0]
    assert (row.status, row.uscc) == (FOUND, subject.uscc)


def test_withdrawn_subject_is_not_found_by_code_or_name(make_subject):
    subject = make_subject(name="南昌已撤回登记有限公司", withdrawn=True)
    result = check_entries([subject.uscc, subject.name])
    assert statuses(result) == [UNKNOWN, UNKNOWN]
    assert result.rows[0].name is None


def test_withdrawn_namesake_does_not_make_a_name_ambiguous(make_subject):
    subject = make_subject(name="南昌同名商行")
    make_subject(name="南昌同名商行", withdrawn=True)
    row = check_entries(["南昌同名商行"]).rows[0]
    assert (row.status, row.uscc) == (FOUND, subject.uscc)


def test_unevaluated_subject_is_green(make_subject):
    row = check_entries([make_subject().uscc]).rows[0]
    assert (row.colour, row.reasons, row.restrictions) == ("green", [], [])


def test_portal_city_subjects_have_their_colours(portal_city):
    result = check_entries([*portal_city.registered, portal_city.unregistered])
    assert [row.colour for row in result.rows] == ["green", "yellow", "orange", "red", None]
    assert result.rows[4].status == UNKNOWN
    assert result.rows[3].colour_label == "红色"


def test_portal_city_coloured_subjects_give_their_reasons(portal_city):
    rows = check_entries(portal_city.registered).rows
    assert rows[0].reasons == []
    assert all(row.reasons for row in rows[1:])


def test_red_subject_is_banned_from_procurement(portal_city):
    row = check_entries([portal_city.red]).rows[0]
    assert "procurement" in row.restrictions
    assert "限制参加政府采购活动" in row.restriction_labels
    assert len(row.restriction_labels) == len(row.restrictions)


def test_green_subjects_carry_no_restriction_and_yellow_ones_only_honours(portal_city):
    rows = check_entries([portal_city.green, portal_city.yellow]).rows
    assert [row.restrictions for row in rows] == [[], ["honour"]]


def test_subject_found_by_name_has_its_colour(portal_city):
    row = check_entries(["南昌洪都红色食品有限公司"]).rows[0]
    assert (row.status, row.uscc, row.colour) == (FOUND, portal_city.red, "red")


def test_counts_cover_every_status(make_subject):
    subject = make_subject()
    result = check_entries([subject.uscc, make_uscc(), "123"])
    assert result.counts == {FOUND: 1, UNKNOWN: 1, INVALID: 1, AMBIGUOUS: 0}


def test_every_row_carries_the_check_day(db):
    day = timezone.localdate()
    result = check_entries([make_uscc(), "x"], day=day)
    assert result.checked_on == day
    assert {row.checked_on for row in result.rows} == {day}


def test_row_as_dict_is_json_ready(portal_city):
    row = check_entries([portal_city.red]).rows[0]
    data = json.loads(json.dumps(row.as_dict(), ensure_ascii=False))
    assert data["status"] == "found"
    assert data["uscc"] == portal_city.red
    assert data["colour"] == "red"
    assert "procurement" in data["restrictions"]
    assert data["checked_on"] == timezone.localdate().isoformat()


def test_checking_more_than_the_maximum_is_refused(db):
    with pytest.raises(BatchInputError):
        check_entries([f"E{i}" for i in range(10_001)])


@pytest.mark.parametrize("size", [6, 100, 10_000])
def test_query_count_does_not_grow_with_the_entries(make_subject, django_assert_max_num_queries, size):
    subjects = [make_subject(name=f"南昌批量{i}号商行") for i in range(3)]
    entries = [s.uscc for s in subjects] + [s.name for s in subjects]
    entries += [make_uscc(500_000 + i) if i % 2 else f"南昌不存在{i}号商行" for i in range(size - 6)]
    with django_assert_max_num_queries(4):  # codes, names, colours, the measures catalogue
        result = check_entries(entries)
    assert result.counts[FOUND] == 6


def test_ten_thousand_entries_are_all_found(department):
    """Ten thousand entries in one call (the speed is measured by bench/portal, not here)."""
    now = timezone.now()
    subjects = [
        Subject(uscc=make_uscc(600_000 + i), name=f"南昌速度{i}号商行", subject_type="enterprise",
                status="existing", district_code="360102", registered_by=department, source_updated_at=now)
        for i in range(10_000)
    ]  # fmt: skip
    Subject.objects.bulk_create(subjects)
    entries = [s.uscc if i % 2 else s.name for i, s in enumerate(subjects)]
    result = check_entries(entries)
    assert result.counts[FOUND] == 10_000


# --------------------------------------------------------------------------- exports


def test_csv_export_opens_in_excel_with_chinese_columns(portal_city):
    result = check_entries([portal_city.red, "123"])
    rows = read_csv(to_csv(result))
    assert rows[0] == COLUMNS
    assert rows[1][:5] == [portal_city.red, "已查到", portal_city.red, "南昌洪都红色食品有限公司", "红色"]
    assert "限制参加政府采购活动" in rows[1][6]
    assert rows[1][7] == timezone.localdate().isoformat()
    assert rows[2][:3] == ["123", "代码有误", ""]


def test_xlsx_export_has_the_same_table(portal_city):
    result = check_entries([portal_city.orange, make_uscc()])
    rows = read_xlsx(to_xlsx(result))
    assert rows == read_csv(to_csv(result))


def test_exports_never_write_formulas(db):
    result = check_entries(["=HYPERLINK(1)", "@SUM(1)"])
    assert [row[0] for row in read_csv(to_csv(result))[1:]] == ["'=HYPERLINK(1)", "'@SUM(1)"]
    assert [row[0] for row in read_xlsx(to_xlsx(result))[1:]] == ["'=HYPERLINK(1)", "'@SUM(1)"]


# --------------------------------------------------------------------------- page


def test_page_shows_the_form(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="codes"' in html
    assert 'type="file"' in html and 'name="upload"' in html
    assert "batch.css" in html


def test_page_lists_every_entry_with_its_status(client, portal_city):
    text = "\n".join([portal_city.red, portal_city.green, "123", make_uscc()])
    response = client.post(URL, {"codes": text})
    assert response.status_code == 200
    result = response.context["result"]
    assert statuses(result) == [FOUND, FOUND, INVALID, UNKNOWN]
    html = response.content.decode()
    assert 'data-colour="red"' in html and 'data-colour="green"' in html
    assert "限制参加政府采购活动" in html
    assert html.count('<tr class="status-') == 4
    assert 'data-label="限制措施"' in html  # each cell labelled for the phone's cards


def test_page_shows_the_counts_per_status(client, portal_city):
    response = client.post(URL, {"codes": f"{portal_city.red}\n123"})
    html = response.content.decode()
    assert 'data-status="found">已查到 <strong>1</strong>' in html
    assert 'data-status="invalid">代码有误 <strong>1</strong>' in html


def test_page_offers_downloads_of_the_same_entries(client, portal_city):
    response = client.post(URL, {"codes": f"{portal_city.red}, 123"})
    html = response.content.decode()
    assert 'action="/check/download"' in html
    assert f'name="codes" value="{portal_city.red}\n123"' in html
    assert 'name="format" value="csv"' in html and 'name="format" value="xlsx"' in html


def test_page_reads_an_uploaded_csv(client, portal_city):
    upload = io.BytesIO(
        csv_bytes([["统一社会信用代码"], [portal_city.yellow], [portal_city.orange]], "gb18030")
    )
    upload.name = "客户名单.csv"
    response = client.post(URL, {"codes": "", "upload": upload})
    assert response.status_code == 200
    assert [row.colour for row in response.context["result"].rows] == ["yellow", "orange"]


def test_page_checks_typed_and_uploaded_entries_together(client, portal_city):
    upload = io.BytesIO(xlsx_bytes([[portal_city.red]]))
    upload.name = "list.xlsx"
    response = client.post(URL, {"codes": portal_city.green, "upload": upload})
    assert [row.uscc for row in response.context["result"].rows] == [portal_city.green, portal_city.red]


def test_page_without_input_is_400_asking_for_it(client, db):
    response = client.post(URL, {"codes": "  "})
    assert response.status_code == 400
    assert "请输入代码或名称，或上传文件。" in response.content.decode()


def test_bad_upload_is_400_with_the_message_and_keeps_the_typed_text(client, db):
    upload = io.BytesIO(b"not a workbook")
    upload.name = "list.xlsx"
    response = client.post(URL, {"codes": "南昌某公司", "upload": upload})
    assert response.status_code == 400
    html = response.content.decode()
    assert "无法读取 Excel 文件" in html
    assert "南昌某公司</textarea>" in html
    assert "result" not in response.context


def test_too_many_entries_is_400_saying_how_many(client, db):
    response = client.post(URL, {"codes": "\n".join(f"E{i}" for i in range(10_001))})
    assert response.status_code == 400
    assert "10,001" in response.content.decode()


def test_page_refuses_other_methods(client, db):
    assert client.put(URL).status_code == 405


# --------------------------------------------------------------------------- downloads


def test_csv_download_is_an_attachment_named_for_the_day(client, portal_city):
    response = client.post(DOWNLOAD_URL, {"codes": portal_city.red, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = f"批量查询-{timezone.localdate():%Y%m%d}.csv"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"


def test_csv_download_holds_every_entry(client, portal_city):
    codes = f"{portal_city.red}\n{portal_city.green}\n123\n{portal_city.unregistered}"
    response = client.post(DOWNLOAD_URL, {"codes": codes, "format": "csv"})
    rows = read_csv(response.content)
    assert rows[0] == COLUMNS
    assert [(r[0], r[1], r[4]) for r in rows[1:]] == [
        (portal_city.red, "已查到", "红色"),
        (portal_city.green, "已查到", "绿色（正常）"),
        ("123", "代码有误", ""),
        (portal_city.unregistered, "未查到", ""),
    ]


def test_xlsx_download_holds_every_entry(client, portal_city):
    response = client.post(
        DOWNLOAD_URL, {"codes": f"{portal_city.orange}\n{portal_city.yellow}", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith(quote(f"批量查询-{timezone.localdate():%Y%m%d}.xlsx"))
    rows = read_xlsx(response.content)
    assert rows[0] == COLUMNS
    assert [(r[2], r[4]) for r in rows[1:]] == [(portal_city.orange, "橙色"), (portal_city.yellow, "黄色")]


def test_download_refuses_get(client, db):
    assert client.get(DOWNLOAD_URL).status_code == 405


def test_download_without_entries_is_400_on_the_form_page(client, db):
    response = client.post(DOWNLOAD_URL, {"codes": "", "format": "csv"})
    assert response.status_code == 400
    assert "请输入代码或名称，或上传文件。" in response.content.decode()


def test_download_of_an_unknown_format_is_400_keeping_the_entries(client, db):
    response = client.post(DOWNLOAD_URL, {"codes": "南昌某公司", "format": "pdf"})
    assert response.status_code == 400
    assert "南昌某公司</textarea>" in response.content.decode()
