"""The public pages of this issue: home, search, subject page. No personal data, bounded queries."""

import re

import pytest

from collectors.services import collect_inbox
from tests.collectors.conftest import write_csv, write_jsonl
from tests.factories import make_uscc, penalty, registration
from warning_system.registry.services import reference_data_load

pytestmark = pytest.mark.django_db

ID_NUMBER = "360102198502275482"
PHONE = "13800000000"


@pytest.fixture
def city(tmp_path):
    reference_data_load()
    inbox = tmp_path / "inbox"
    usccs = [make_uscc() for _ in range(5)]
    write_csv(
        inbox / "SCJG" / "registration_20261101080000.csv",
        [registration(u, name=f"南昌赣江{i}号餐饮有限公司") for i, u in enumerate(usccs)],
    )
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl",
        [penalty(u, f"P{i}-{j}") for i, u in enumerate(usccs) for j in range(3)],
    )
    write_jsonl(
        inbox / "SCJG" / "complaint_20261102090000.jsonl",
        [
            {
                "record_id": "C1",
                "updated_at": "2026-11-02",
                "uscc": usccs[0],
                "subject_name": "x",
                "received_on": "2026-10-01",
                "category": "质量",
                "handling_status": "办结",
                "complainant_name": "王小明",
                "complainant_phone": "13912345678",
            }
        ],
    )
    collect_inbox(inbox)
    return usccs


def test_home_shows_the_city_counts(client, city):
    response = client.get("/")
    assert response.status_code == 200
    assert "全市主体" in response.content.decode()


def test_search_by_name_finds_every_substring_match(client, city):
    response = client.get("/search", {"q": "赣江"})
    assert len(response.context["results"]) == 5


def test_search_ranks_exact_then_prefix_then_substring(client, tmp_path):
    reference_data_load()
    names = ["南昌洪都餐饮有限公司", "洪都餐饮管理有限公司", "洪都餐饮"]
    write_csv(
        tmp_path / "in" / "SCJG" / "registration_20261101080000.csv",
        [registration(make_uscc(), name=n) for n in names],
    )
    collect_inbox(tmp_path / "in")
    response = client.get("/search", {"q": "洪都餐饮"})
    assert [s["name"] for s in response.context["results"]] == [
        "洪都餐饮",
        "洪都餐饮管理有限公司",
        "南昌洪都餐饮有限公司",
    ]


def test_search_by_code_in_any_spelling_finds_the_subject(client, city):
    response = client.get("/search", {"q": city[2].lower()})
    assert [s["uscc"] for s in response.context["results"]] == [city[2]]


def test_search_with_a_district_chosen_finds_only_that_districts_names(client, tmp_path):
    reference_data_load()
    in_donghu, in_xihu = make_uscc(), make_uscc()
    write_csv(
        tmp_path / "in" / "SCJG" / "registration_20261101080000.csv",
        [
            registration(in_donghu, name="南昌洪都餐饮有限公司", district_code="360102"),
            registration(in_xihu, name="洪都餐饮管理有限公司", district_code="360103"),
        ],
    )
    collect_inbox(tmp_path / "in")

    everywhere = client.get("/search", {"q": "洪都"}).context["results"]
    in_one = client.get("/search", {"q": "洪都", "district": "360103"}).context["results"]

    assert sorted(s["uscc"] for s in everywhere) == sorted([in_donghu, in_xihu])
    assert [s["uscc"] for s in in_one] == [in_xihu]


def test_a_search_runs_one_query(client, city, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/search", {"q": "赣江"})
    assert len(response.context["results"]) == 5


def test_search_results_are_escaped(client, tmp_path):
    reference_data_load()
    write_csv(
        tmp_path / "in" / "SCJG" / "registration_20261101080000.csv",
        [registration(make_uscc(), name="<b>洪都</b>餐饮有限公司", legal_representative="<i>李</i>四")],
    )
    collect_inbox(tmp_path / "in")

    body = client.get("/search", {"q": "洪都"}).content.decode()

    assert "&lt;b&gt;<mark>洪都</mark>&lt;/b&gt;餐饮有限公司" in body
    assert "&lt;i&gt;李&lt;/i&gt;四" in body
    assert "<b>洪都" not in body and "<i>李" not in body


def test_search_of_one_character_asks_for_more(client, city):
    response = client.get("/search", {"q": "南"})
    assert response.context["too_short"] and not response.context["results"]


def test_the_subject_page_shows_its_public_records(client, city):
    response = client.get(f"/subjects/{city[0]}/")
    body = response.content.decode()
    assert "南昌赣江0号餐饮有限公司" in body
    assert "洪市监处罚〔2026〕P0-0号" in body


def test_no_personal_data_on_the_subject_page(client, city):
    body = client.get(f"/subjects/{city[0]}/").content.decode()
    for personal in (ID_NUMBER, PHONE, "王小明", "13912345678"):
        assert personal not in body


def test_the_subject_page_runs_a_bounded_number_of_queries(client, city, django_assert_max_num_queries):
    # 20, the records under an objection (1) and the incentives: the catalogue in force and what the
    # subject qualifies for (2)
    with django_assert_max_num_queries(23):
        client.get(f"/subjects/{city[0]}/")


def test_an_unknown_subject_is_404(client, city):
    assert client.get(f"/subjects/{make_uscc()}/").status_code == 404


def test_the_portal_speaks_chinese_by_default_and_english_on_request(client, city):
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in english


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("20.000000", "20"), ("1250.500000", "1,250.5"), ("0.320000", "0.32"), ("12500", "12,500")],
)
def test_amounts_are_shown_as_people_write_them(stored, shown):
    from decimal import Decimal

    from disclosure.selectors.public import display_amount

    assert display_amount(Decimal(stored)) == shown


def test_the_english_subject_page_translates_labels_kinds_and_values(client, city):
    body = client.get(f"/subjects/{city[0]}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for english in (
        "Registration",
        "Administrative penalties",
        "Penalty decision number",
        "Fine",
        "Ordinary procedure",
    ):
        assert english in body
    assert "行政处罚决定书文号" not in body


def test_the_filter_fields_keep_the_chosen_filter_and_only_for_that_search(client, city):
    chosen = client.get("/search", {"q": "南昌", "district": "360102"}).content.decode()
    unfiltered = client.get("/search", {"q": "南昌"}).content.decode()

    assert re.search(r'<option value="360102" selected>', chosen)
    assert not re.search(r'<option value="360102" selected>', unfiltered)
