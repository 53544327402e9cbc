"""Individual businesses are natural persons: on every public surface (subject page, search page
and API, subject API, batch check page, download and API, colour lists and their CSV, the home
page, credit reports) the operator's name is masked, the home address stops at the district, the
capital is not shown, and the operator's name finds nothing."""

import csv
import io
import json

import pytest
from django.urls import reverse

from disclosure.models import CreditReport
from disclosure.services import reports
from disclosure.services.api_keys import api_key_issue
from disclosure.services.report_pdf import report_pdf
from tests.disclosure.five_types import (
    HOME_DISTRICT,
    MASKED_OPERATOR,
    MASKED_OWN_NAME,
    OPERATOR,
    OWN_NAME_OPERATOR,
    STREET,
    load_five_types,
)
from tests.disclosure.test_reports import _pdf_strings

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_types(db, tmp_path, django_capture_on_commit_callbacks):
    return load_five_types(tmp_path, django_capture_on_commit_callbacks)


FULL_NAMES = (OPERATOR, OWN_NAME_OPERATOR)


@pytest.fixture
def api(client):
    key = api_key_issue("南昌测试银行")[1]

    def call(method: str, path: str, body: dict | None = None, **params):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if method == "post":
            return client.post(
                f"/api/v1/{path}", json.dumps(body), content_type="application/json", **headers
            )
        return client.get(f"/api/v1/{path}", params, **headers)

    return call


def assert_no_operator(text: str) -> None:
    for name in FULL_NAMES:
        assert name not in text
    assert STREET not in text


# --------------------------------------------------------------------------- subject page


def test_the_page_shows_the_operator_masked_under_the_label_operator(client, five_types):
    body = client.get(f"/subjects/{five_types.shop}").content.decode()

    assert f'<dt>经营者</dt><dd data-field="legal_representative">{MASKED_OPERATOR}</dd>' in body
    assert OPERATOR not in body


def test_the_page_shows_the_address_only_to_the_district(client, five_types):
    body = client.get(f"/subjects/{five_types.shop}").content.decode()

    assert f'<dd data-field="address">{HOME_DISTRICT}</dd>' in body
    assert STREET not in body


def test_the_page_shows_no_capital_of_an_individual_business(client, five_types):
    body = client.get(f"/subjects/{five_types.shop}").content.decode()

    assert 'data-field="registered_capital"' not in body


def test_the_page_masks_the_operator_in_records_and_their_free_text(client, five_types):
    body = client.get(f"/subjects/{five_types.shop}").content.decode()

    assert f"当事人{MASKED_OPERATOR}在经营场所销售过期食品" in body
    assert_no_operator(body)


def test_the_page_explains_what_is_withheld_and_why(client, five_types):
    body = client.get(f"/subjects/{five_types.shop}").content.decode()

    assert "natural-person-note" in body and "个人信息保护法" in body


def test_a_shop_named_after_its_operator_is_shown_under_the_masked_name(client, five_types):
    body = client.get(f"/subjects/{five_types.own_name_shop}").content.decode()

    assert f"<h1>{MASKED_OWN_NAME}</h1>" in body
    assert_no_operator(body)


def test_an_enterprises_legal_representative_is_shown_in_full(client, five_types):
    body = client.get(f"/subjects/{five_types.enterprise}").content.decode()

    assert f'<dt>法定代表人</dt><dd data-field="legal_representative">{OPERATOR}</dd>' in body


# --------------------------------------------------------------------------- search


def test_search_shows_the_shop_with_its_operator_masked(client, five_types):
    body = client.get("/search", {"q": "晓彤便利店"}).content.decode()

    assert five_types.shop in body
    assert f'经营者：<span data-field="legal_representative">{MASKED_OPERATOR}</span>' in body
    assert_no_operator(body)


def test_searching_the_operators_name_finds_the_enterprise_but_not_the_shop(client, five_types):
    body = client.get("/search", {"q": OPERATOR}).content.decode()

    assert five_types.enterprise in body
    assert five_types.shop not in body


def test_searching_the_name_of_a_shop_named_after_its_operator_finds_nothing(client, five_types):
    body = client.get("/search", {"q": OWN_NAME_OPERATOR}).content.decode()

    assert five_types.own_name_shop not in body


def test_searching_its_code_finds_it_under_the_masked_name(client, five_types):
    body = client.get("/search", {"q": five_types.own_name_shop}).content.decode()

    assert five_types.own_name_shop in body
    assert_no_operator(body)


def test_the_search_api_neither_finds_by_the_operators_name_nor_shows_it(api, five_types):
    by_operator = api("get", "search", q=OPERATOR).json()["results"]
    by_own_name = api("get", "search", q=OWN_NAME_OPERATOR).json()["results"]
    by_code = api("get", "search", q=five_types.own_name_shop)

    assert [r["uscc"] for r in by_operator] == [five_types.enterprise]
    assert by_own_name == []
    assert by_code.json()["results"][0]["name"] == MASKED_OWN_NAME
    assert_no_operator(by_code.content.decode())


# --------------------------------------------------------------------------- subject API


def test_the_subject_api_serves_the_masked_operator_and_the_district_only(api, five_types):
    response = api("get", f"subjects/{five_types.shop}")
    subject = response.json()["subject"]

    assert subject["legal_representative"] == MASKED_OPERATOR
    assert subject["address"] == HOME_DISTRICT
    assert subject["registered_capital"] is None
    assert_no_operator(response.content.decode())


def test_the_subject_api_masks_the_name_of_a_shop_named_after_its_operator(api, five_types):
    response = api("get", f"subjects/{five_types.own_name_shop}")

    assert response.json()["subject"]["name"] == MASKED_OWN_NAME
    assert_no_operator(response.content.decode())


# --------------------------------------------------------------------------- batch check


def test_the_batch_check_by_code_answers_under_the_masked_name(client, five_types):
    body = client.post("/check", {"codes": five_types.own_name_shop}).content.decode()

    assert MASKED_OWN_NAME in body
    assert_no_operator(body)


def test_the_batch_check_by_the_operators_name_finds_nothing(client, five_types):
    body = client.post("/check", {"codes": f"{OWN_NAME_OPERATOR}\n南昌市东湖区晓彤便利店"}).content.decode()

    assert five_types.own_name_shop not in body
    assert five_types.shop in body  # a trade name is the business's own, and public


def test_the_batch_download_holds_the_masked_name_only(client, five_types):
    response = client.post("/check/download", {"codes": five_types.own_name_shop, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert rows[1][2:4] == [five_types.own_name_shop, MASKED_OWN_NAME]
    assert_no_operator(response.content.decode("utf-8-sig"))


def test_the_batch_check_api_masks_and_does_not_match_the_operators_name(api, five_types):
    response = api("post", "check", {"codes": [five_types.own_name_shop, OWN_NAME_OPERATOR]})
    rows = response.json()["results"]

    assert (rows[0]["status"], rows[0]["name"]) == ("found", MASKED_OWN_NAME)
    assert rows[1]["status"] == "unknown"
    assert_no_operator(json.dumps(rows[0], ensure_ascii=False))  # the second row echoes its entry


# --------------------------------------------------------------------------- lists and home


def test_the_colour_list_and_its_export_show_the_masked_name(client, five_types):
    page = client.get("/lists/orange").content.decode()
    export = b"".join(client.get("/lists/orange.csv").streaming_content).decode("utf-8-sig")

    assert five_types.own_name_shop in page and MASKED_OWN_NAME in page
    assert five_types.own_name_shop in export and MASKED_OWN_NAME in export
    assert_no_operator(page + export)


def test_the_home_page_lists_the_new_orange_shop_under_the_masked_name(client, five_types):
    body = client.get("/").content.decode()

    assert five_types.own_name_shop in body
    assert_no_operator(body)


# --------------------------------------------------------------------------- credit report


def test_the_report_shows_the_operator_masked_under_the_label_operator(client, five_types):
    response = client.post(reverse("disclosure:issue-report", args=[five_types.shop]), follow=True)
    body = response.content.decode()

    assert f"<dt>经营者</dt><dd>{MASKED_OPERATOR}</dd>" in body
    assert f"<dt>住所</dt><dd>{HOME_DISTRICT}</dd>" in body
    assert "注册资本" not in body
    assert_no_operator(body)


def test_the_report_snapshot_and_pdf_hold_no_operator_name_or_home(five_types):
    report = reports.report_issue(five_types.own_name_shop)
    pdf = report_pdf(report, "https://example.test/verify")

    assert report.subject_name == MASKED_OWN_NAME
    assert_no_operator(json.dumps(report.snapshot, ensure_ascii=False))
    assert_no_operator(_pdf_strings(pdf))
    assert CreditReport.objects.filter(uscc=five_types.own_name_shop).count() == 1


# --------------------------------------------------------------------------- monitoring (bank watchlists)


@pytest.fixture
def watching_bank(five_types):
    from datetime import timedelta

    from django.utils import timezone

    from disclosure.models import Institution
    from disclosure.services import monitoring

    watchlist = monitoring.watchlist_create(Institution.objects.create(name="南昌农商银行"), "授信客户")
    monitoring.watchlist_subjects_add(
        watchlist, [five_types.shop, five_types.own_name_shop], now=timezone.now() - timedelta(days=400)
    )
    return watchlist


def test_a_watchlist_shows_a_shop_named_after_its_operator_masked(five_types, watching_bank):
    from disclosure.selectors.monitoring import watchlist_entries

    names = {entry.uscc: entry.subject_name for entry in watchlist_entries(watching_bank)}

    assert names[five_types.own_name_shop] == MASKED_OWN_NAME
    assert names[five_types.shop] == "南昌市东湖区晓彤便利店"


def test_monitoring_events_mask_the_operator_in_names_and_facts(five_types, watching_bank):
    from disclosure.models import MonitorEvent
    from disclosure.services import monitoring

    monitoring.watch_events_record(None)
    payloads = json.dumps([event.payload for event in MonitorEvent.objects.all()], ensure_ascii=False)

    assert "P-SHOP" in payloads and "P-OWN" in payloads
    assert MASKED_OWN_NAME in payloads and MASKED_OPERATOR in payloads
    assert_no_operator(payloads)
