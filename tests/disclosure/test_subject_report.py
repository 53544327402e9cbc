"""The subject page read as a credit report: the national system's classes with their counts, reasons
that name the record a person cites and link to it, the records' own dates, labels instead of codes,
annual reports one row a year; and the API's reasons carrying the same citations."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from disclosure.services.api_keys import api_key_issue
from tests.disclosure.conftest import ingest as file_ingest
from tests.disclosure.test_subject_page import page


@pytest.fixture
def ingest(django_capture_on_commit_callbacks):
    """Collect a feed file as production does: colours and cached pages follow when it commits."""

    def collect(*args):
        with django_capture_on_commit_callbacks(execute=True):
            return file_ingest(*args)

    return collect


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def nav_of(body: str) -> str:
    return re.search(r'<nav class="report-nav".*?</nav>', body, re.S).group(0)


def verdict_of(body: str) -> str:
    return re.search(r'<section class="report-verdict.*?</section>', body, re.S).group(0)


def nav_count(nav: str, key: str) -> int:
    return int(re.search(rf'href="#{key}"[^>]*>[^<]*<span class="report-count">(\d+)</span>', nav).group(1))


def license_record(uscc: str, record_id: str, status: str) -> dict:
    return {
        "record_id": record_id, "updated_at": "2026-11-02", "uscc": uscc, "subject_name": "x",
        "document_number": f"洪市监许〔2026〕{record_id}号", "decided_on": _day(50), "valid_from": _day(50),
        "authority": "南昌市市场监督管理局", "status": status,
    }  # fmt: skip


def inspection(uscc: str, record_id: str, result: str, days_ago: int = 15) -> dict:
    return {
        "record_id": record_id, "updated_at": "2026-11-02", "uscc": uscc, "subject_name": "x",
        "inspected_on": _day(days_ago), "authority": "南昌市市场监督管理局", "inspection_type": "双随机",
        "task_name": f"2026年食品经营双随机抽查{record_id}", "result": result,
    }  # fmt: skip


def annual(uscc: str, year: int) -> dict:
    return {
        "record_id": f"AR-{year}-{uscc}", "updated_at": "2026-11-02", "uscc": uscc, "subject_name": "x",
        "year": str(year), "submitted_on": f"{year + 1}-05-20", "employees": "12", "total_assets": "100",
        "revenue": "50", "assets_public": "是", "website": f"www.example-{year}.cn",
    }  # fmt: skip


# --------------------------------------------------------------------------- navigation


def test_the_navigation_lists_the_national_classes_in_order(client, portal_city):
    nav = nav_of(page(client, portal_city.yellow))

    keys = re.findall(r'href="#(\w+)"', nav)

    assert keys == ["basic", "license", "penalty", "lists", "judicial", "arrears", "property", "inspection",
                    "annual", "social"]  # fmt: skip


def test_the_navigation_counts_the_records_of_each_class(client, portal_city):
    nav = nav_of(page(client, portal_city.yellow))

    assert nav_count(nav, "penalty") == 1
    assert nav_count(nav, "social") == 6
    assert nav_count(nav, "license") == 0


def test_the_lists_class_counts_every_list_the_subject_is_on(client, portal_city):
    body = page(client, portal_city.red)

    assert nav_count(nav_of(body), "lists") == 2
    assert "严重违法失信名单" in body and "失信被执行人" in body


def test_the_honours_class_shows_only_when_the_subject_has_one(client, portal_city, tmp_path, ingest):
    assert 'href="#honor"' not in nav_of(page(client, portal_city.green))
    ingest(tmp_path, "SCJG", "honor", [{"record_id": "H-1", "updated_at": "2026-11-02", "uscc": portal_city.green,
           "subject_name": "x", "honor_name": "守合同重信用企业", "awarded_on": _day(30), "authority": "南昌市市场监督管理局"}])  # fmt: skip

    assert nav_count(nav_of(page(client, portal_city.green)), "honor") == 1


# --------------------------------------------------------------------------- reasons


def test_a_penalty_reason_names_the_decision_number_and_links_to_its_record(client, portal_city):
    body = page(client, portal_city.yellow)

    assert '<a href="#record-penalty-SCJG-PY-1">洪市监处罚〔2026〕PY-1号</a>' in verdict_of(body)
    assert 'id="record-penalty-SCJG-PY-1"' in body


def test_a_court_listing_reason_names_the_case_number(client, portal_city):
    verdict = verdict_of(page(client, portal_city.red))

    assert '<a href="#record-dishonest_debtor-ZY-DD-1">（2026）赣01执123号</a>' in verdict


def test_a_listing_without_a_decision_number_is_named_by_its_list_and_date(client, portal_city):
    verdict = verdict_of(page(client, portal_city.red))

    assert re.search(rf'<a href="#record-serious_violation-SCJG-SV-1">严重违法失信名单</a> <span class="muted">{_day(100)}</span>', verdict)  # fmt: skip


def test_no_reason_shows_an_internal_record_id(client, portal_city):
    verdict = verdict_of(page(client, portal_city.red))

    assert ">SV-1<" not in verdict and ">DD-1<" not in verdict


def test_a_yellow_inspection_reason_says_which_of_its_causes_applies(client, portal_city, tmp_path, ingest):
    ingest(tmp_path, "SCJG", "inspection", [inspection(portal_city.green, "IN-1", "发现问题已责令改正")])

    reason = re.search(r'<li class="report-reason" data-rule="inspection_finding">.*?</li>',
                       verdict_of(page(client, portal_city.green)), re.S).group(0)  # fmt: skip

    assert '<span class="report-reason-cause" data-field="cause">发现问题已责令改正</span>' in reason
    assert "未按规定公示应当公示的信息" not in reason
    assert '<a href="#record-inspection-SCJG-IN-1">2026年食品经营双随机抽查IN-1</a>' in reason


# --------------------------------------------------------------------------- dates and labels


def test_the_colour_is_dated_from_the_listing_not_from_the_data_load(client, portal_city):
    verdict = verdict_of(page(client, portal_city.red))

    # Listed as seriously dishonest 100 days ago, as a dishonest debtor 40 days ago; loaded today.
    assert f'<span data-field="since">自 {_day(100)} 起</span>' in verdict
    assert f"自 {timezone.localdate().isoformat()} 起" not in verdict


def test_a_green_subject_gives_no_since_date(client, portal_city):
    assert 'data-field="since"' not in verdict_of(page(client, portal_city.green))


def test_a_reason_is_dated_from_its_record(client, portal_city):
    reason = re.search(
        r'data-rule="dishonest_debtor">.*?</li>', verdict_of(page(client, portal_city.red)), re.S
    )

    assert f"自 {_day(40)} 起" in reason.group(0)


def test_a_listing_shows_its_own_listing_date(client, portal_city):
    body = page(client, portal_city.red)
    record = re.search(
        r'<article[^>]*id="record-serious_violation-SCJG-SV-1">.*?</article>', body, re.S
    ).group(0)

    assert f'<span class="report-record-date">{_day(100)}</span>' in record


def test_a_status_code_is_shown_as_its_label(client, portal_city, tmp_path, ingest):
    ingest(tmp_path, "SCJG", "license", [license_record(portal_city.green, "L-1", "1")])

    body = page(client, portal_city.green)
    record = re.search(r'<article[^>]*id="record-license-SCJG-L-1">.*?</article>', body, re.S).group(0)

    assert "<dt>当前状态</dt><dd>有效</dd>" in record
    assert "<dd>1</dd>" not in record


# --------------------------------------------------------------------------- long histories


def test_annual_reports_are_one_table_row_per_year_newest_first(client, portal_city, tmp_path, ingest):
    ingest(
        tmp_path, "SCJG", "annual_report", [annual(portal_city.green, year) for year in (2022, 2024, 2023)]
    )

    body = page(client, portal_city.green)
    table = re.search(r'<table class="report-table report-annual">.*?</table>', body, re.S).group(0)

    assert re.findall(r'<tr id="record-annual_report-[^"]+" data-year="(\d+)">', table) == [
        "2024",
        "2023",
        "2022",
    ]
    assert "www.example-2023.cn" in table  # the rest of a year's report, on demand


def test_a_long_history_folds_all_but_the_first_five_records(client, portal_city, tmp_path, ingest):
    ingest(tmp_path, "SCJG", "inspection",
           [inspection(portal_city.green, f"IN-{i}", "未发现问题", days_ago=20 + i) for i in range(8)])  # fmt: skip

    section = re.search(
        r'<section id="inspection".*?</section>', page(client, portal_city.green), re.S
    ).group(0)
    shown, folded = section.split('<details class="report-more">')

    assert shown.count("<article") == 5 and folded.count("<article") == 3
    assert "另有 3 条" in folded


# --------------------------------------------------------------------------- API


def test_the_api_reason_cites_its_records_and_keeps_the_old_fields(client, portal_city):
    key = api_key_issue("南昌测试银行")[1]
    response = client.get(f"/api/v1/subjects/{portal_city.red}", HTTP_AUTHORIZATION=f"Bearer {key}")

    reasons = {r["rule"]: r for r in response.json()["reasons"]}
    ref = reasons["dishonest_debtor"]["records"][0]
    assert {"kind", "department", "record_id"} <= ref.keys()
    assert ref["cite"] == "（2026）赣01执123号"
    assert ref["effective_on"] == _day(40)
    assert reasons["dishonest_debtor"]["since"] == _day(40)
    assert reasons["dishonest_debtor"]["causes"] == ["全部未履行"]
