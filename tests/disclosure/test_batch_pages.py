"""A batch check's result read a page at a time: kept server-side under a token, summarised by
colour and status, filtered to the non-green rows (or one colour or status), 100 rows a page."""

import re

import pytest

from disclosure.selectors.batch import check_entries
from disclosure.selectors.batch_pages import PAGE_SIZE
from disclosure.services.batch_results import batch_result_store
from tests.factories import make_uscc, wrong_check

URL = "/check"


def token_of(html: str) -> str:
    return re.search(r'href="/check/results/([A-Za-z0-9_-]+)\?show=', html).group(1)


def table_rows(html: str) -> list[str]:
    return re.findall(r'<tr class="status-(\w+)" data-status', html)


def row_numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'class="batch-number" data-label="[^"]+"><div>(\d+)</div>', html)]


@pytest.fixture
def checked(client, portal_city):
    """The four coloured subjects, an unknown code and an invalid one, checked through the page."""
    entries = [portal_city.green, portal_city.yellow, portal_city.orange, portal_city.red, make_uscc(),
               wrong_check(make_uscc())]  # fmt: skip
    response = client.post(URL, {"codes": "\n".join(entries)})
    assert response.status_code == 200
    return token_of(response.content.decode())


def share_count(html: str, show: str) -> int:
    found = re.search(rf'data-show="{show}"[^>]*>\s*<span class="batch-share-label">[^<]+</span> '
                      r'<strong class="batch-share-count">([\d,]+)</strong>', html)  # fmt: skip
    return int(found.group(1).replace(",", ""))


def test_summary_counts_each_colour_unknown_and_invalid(client, checked):
    html = client.get(f"/check/results/{checked}").content.decode()
    counts = {show: share_count(html, show) for show in ("all", "not-green", "red", "orange", "yellow",
                                                         "green", "unknown", "invalid", "ambiguous")}  # fmt: skip
    assert counts == {"all": 6, "not-green": 3, "red": 1, "orange": 1, "yellow": 1, "green": 1,
                      "unknown": 1, "invalid": 1, "ambiguous": 0}  # fmt: skip


def test_summary_is_shown_on_the_submitted_page(client, portal_city):
    html = client.post(URL, {"codes": f"{portal_city.red}\n{portal_city.green}"}).content.decode()
    assert share_count(html, "not-green") == 1
    assert share_count(html, "green") == 1


def test_not_green_shows_only_the_yellow_orange_and_red_rows(client, checked):
    html = client.get(f"/check/results/{checked}?show=not-green").content.decode()
    assert table_rows(html) == ["found"] * 3
    assert re.findall(r'<span class="badge badge-(\w+)" data-colour', html) == ["yellow", "orange", "red"]


def test_filtered_rows_keep_their_input_numbers(client, checked):
    html = client.get(f"/check/results/{checked}?show=red").content.decode()
    assert row_numbers(html) == [4]


def test_status_filter_shows_the_invalid_entries(client, checked):
    html = client.get(f"/check/results/{checked}?show=invalid").content.decode()
    assert table_rows(html) == ["invalid"]


def test_filter_with_no_rows_says_so(client, checked):
    html = client.get(f"/check/results/{checked}?show=ambiguous").content.decode()
    assert "没有符合条件的结果。" in html


def test_unknown_filter_is_400_with_the_message(client, checked):
    response = client.get(f"/check/results/{checked}?show=purple")
    assert response.status_code == 400
    assert "purple" in response.content.decode()


def test_page_number_that_is_not_a_number_is_400(client, checked):
    assert client.get(f"/check/results/{checked}?page=x").status_code == 400


def test_unknown_or_expired_result_is_404_asking_to_check_again(client, db):
    response = client.get("/check/results/" + "A" * 22)
    assert response.status_code == 404
    assert "该查询结果已过期或不存在" in response.content.decode()
    assert 'name="codes"' in response.content.decode()


def test_rows_come_a_hundred_per_page(client, db):
    entries = [make_uscc(700_000 + i) for i in range(250)]
    html = client.post(URL, {"codes": "\n".join(entries)}).content.decode()
    assert len(table_rows(html)) == PAGE_SIZE
    token = token_of(html)
    assert f'href="/check/results/{token}?show=all&amp;page=2" rel="next"' in html
    last = client.get(f"/check/results/{token}?page=3").content.decode()
    assert row_numbers(last) == list(range(201, 251))
    assert "第 3 / 3 页" in last


def test_page_past_the_end_shows_the_last_page(client, db):
    entries = [make_uscc(710_000 + i) for i in range(150)]
    token = token_of(client.post(URL, {"codes": "\n".join(entries)}).content.decode())
    assert row_numbers(client.get(f"/check/results/{token}?page=9").content.decode())[0] == 101


def test_downloads_of_a_filtered_page_still_hold_every_entry(client, checked):
    html = client.get(f"/check/results/{checked}?show=red").content.decode()
    codes = re.search(r'name="codes" value="([^"]*)"', html).group(1)
    assert len(codes.split("\n")) == 6


@pytest.mark.parametrize("size", [20, 2_000])
def test_a_page_costs_the_same_queries_whatever_the_number_of_rows(
    client, portal_city, django_assert_max_num_queries, size
):
    entries = [portal_city.red, portal_city.yellow] + [make_uscc(720_000 + i) for i in range(size - 2)]
    token = batch_result_store(result=check_entries(entries))
    with django_assert_max_num_queries(1):
        response = client.get(f"/check/results/{token}?show=all&page=2")
    assert response.status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get(f"/check/results/{token}?show=not-green").status_code == 200


def test_restriction_tags_are_labelled_cells_of_the_card_layout(client, checked):
    html = client.get(f"/check/results/{checked}?show=red").content.decode()
    assert (
        '<td class="batch-restrictions" data-label="限制措施"><div><span class="restriction batch-tag">'
        in html
    )
