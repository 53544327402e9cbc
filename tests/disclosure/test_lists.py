"""The yellow, orange and red lists and their CSV exports."""

import csv
import io

import pytest
from django.urls import reverse

from disclosure.selectors import statistics
from tests.factories import make_uscc
from warning_system.classification.models import SubjectColour
from warning_system.registry.models import Subject

pytestmark = pytest.mark.django_db


def list_url(colour: str) -> str:
    return reverse("disclosure:colour-list", args=[colour])


def csv_url(colour: str) -> str:
    return reverse("disclosure:colour-list-csv", args=[colour])


def listed(response) -> list[str]:
    return [row.uscc for row in response.context["listing"].rows]


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def clone_subjects(template_uscc: str, count: int) -> None:
    """`count` more subjects with the colour (and reasons) of `template_uscc`, in two statements."""
    subject = Subject.objects.get(uscc=template_uscc)
    stored = SubjectColour.objects.get(subject_id=template_uscc)
    usccs = [make_uscc() for _ in range(count)]
    Subject.objects.bulk_create(
        Subject(uscc=u, name=f"克隆{i}号", subject_type=subject.subject_type, status=subject.status,
                district_code=subject.district_code, industry_code=subject.industry_code,
                registered_by_id=subject.registered_by_id, source_updated_at=subject.source_updated_at)
        for i, u in enumerate(usccs)
    )  # fmt: skip
    SubjectColour.objects.bulk_create(
        SubjectColour(subject_id=u, colour=stored.colour, since=stored.since, evaluated_on=stored.evaluated_on,
                      ruleset_id=stored.ruleset_id, explanation=stored.explanation)
        for u in usccs
    )  # fmt: skip


def test_red_list_shows_only_red_subjects(client, portal_city):
    response = client.get(list_url("red"))
    assert response.status_code == 200
    assert listed(response) == [portal_city.red]


def test_orange_and_yellow_lists_show_only_their_colour(client, portal_city):
    assert listed(client.get(list_url("orange"))) == [portal_city.orange]
    assert listed(client.get(list_url("yellow"))) == [portal_city.yellow]


def test_a_withdrawn_subject_is_not_listed(client, portal_city):
    Subject.objects.filter(uscc=portal_city.red).update(withdrawn=True)
    assert listed(client.get(list_url("red"))) == []


def test_a_row_shows_name_link_code_badge_since_and_reasons(client, portal_city):
    page = client.get(list_url("red")).content.decode()
    assert reverse("disclosure:subject", args=[portal_city.red]) in page
    assert "南昌洪都红色食品有限公司" in page
    assert portal_city.red in page
    assert 'data-colour="red"' in page
    assert "列入严重违法失信名单" in page and "失信被执行人" in page


def test_the_green_list_does_not_exist(client, portal_city):
    assert client.get(list_url("green")).status_code == 404


def test_an_unknown_colour_is_not_found(client, db):
    assert client.get(list_url("purple")).status_code == 404


def test_list_filters_narrow_the_list(client, portal_city):
    assert listed(client.get(list_url("red"), {"district": "360111"})) == []
    assert listed(client.get(list_url("red"), {"district": "360102"})) == [portal_city.red]


def test_an_invalid_filter_is_reported_and_ignored(client, portal_city):
    response = client.get(list_url("red"), {"industry": "Z"})
    assert response.status_code == 200
    assert listed(response) == [portal_city.red]
    assert "已忽略" in response.content.decode()


def test_a_page_past_the_cap_is_not_found_with_a_hint(client, portal_city):
    response = client.get(list_url("red"), {"page": statistics.MAX_PAGES + 1})
    assert response.status_code == 404
    assert "请缩小筛选范围" in response.content.decode()


def test_a_page_past_the_last_is_not_found(client, portal_city):
    assert client.get(list_url("red"), {"page": 2}).status_code == 404


def test_a_page_that_is_not_a_number_is_not_found(client, portal_city):
    assert client.get(list_url("red"), {"page": "abc"}).status_code == 404


def test_a_long_list_pages_by_page_size_up_to_the_cap(client, portal_city, monkeypatch):
    monkeypatch.setattr(statistics, "PAGE_SIZE", 2)
    monkeypatch.setattr(statistics, "MAX_PAGES", 2)
    clone_subjects(portal_city.red, 5)  # 6 red: 3 pages of 2, of which 2 are shown
    first = client.get(list_url("red"))
    assert len(listed(first)) == 2
    assert first.context["listing"].capped
    assert client.get(list_url("red"), {"page": 2}).status_code == 200
    assert client.get(list_url("red"), {"page": 3}).status_code == 404


def test_list_queries_are_bounded(client, portal_city, django_assert_max_num_queries):
    clone_subjects(portal_city.red, 60)
    with django_assert_max_num_queries(6):
        response = client.get(list_url("red"))
    assert len(listed(response)) == statistics.PAGE_SIZE


def test_csv_lists_the_filtered_subjects_with_their_columns(client, portal_city):
    response = client.get(csv_url("red"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = read_csv(response)
    assert header == ["统一社会信用代码", "名称", "颜色", "列入日期", "原因", "行政区划", "主体类型"]
    assert len(rows) == 1
    uscc, name, colour, since, reasons, district, subject_type = rows[0]
    assert (uscc, name, colour, subject_type) == (portal_city.red, "南昌洪都红色食品有限公司", "红色", "企业")
    assert since == SubjectColour.objects.get(subject_id=portal_city.red).since.isoformat()
    assert "失信被执行人" in reasons
    assert district and district != "360102"


def test_csv_applies_the_filters(client, portal_city):
    header, *rows = read_csv(client.get(csv_url("red"), {"district": "360111"}))
    assert rows == []


def test_csv_of_the_green_list_does_not_exist(client, portal_city):
    assert client.get(csv_url("green")).status_code == 404


def test_csv_is_truncated_at_the_limit_with_a_note(client, portal_city, monkeypatch):
    monkeypatch.setattr(statistics, "EXPORT_LIMIT", 3)
    clone_subjects(portal_city.red, 4)
    header, *rows = read_csv(client.get(csv_url("red")))
    assert len(rows) == 4
    assert rows[-1][0].startswith("#") and "请缩小筛选范围" in rows[-1][0]


def test_csv_at_the_limit_exactly_is_not_truncated(client, portal_city, monkeypatch):
    monkeypatch.setattr(statistics, "EXPORT_LIMIT", 5)
    clone_subjects(portal_city.red, 4)
    header, *rows = read_csv(client.get(csv_url("red")))
    assert len(rows) == 5
    assert not rows[-1][0].startswith("#")


def test_csv_queries_are_bounded(client, portal_city, django_assert_max_num_queries):
    clone_subjects(portal_city.red, 60)
    with django_assert_max_num_queries(4):
        header, *rows = read_csv(client.get(csv_url("red")))
    assert len(rows) == 61
