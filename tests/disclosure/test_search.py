"""Search as the public types it: pinyin and initials, the matched characters highlighted, the count
of everything that matched, in one statement."""

import pytest

from disclosure.selectors.search import COUNT_CAP, search_subjects
from tests.disclosure.test_public_selectors import names, registry  # noqa: F401  (fixture)
from warning_system.registry.models import Subject, SubjectSearchName
from warning_system.registry.services import search_names_refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def spelled(registry):  # noqa: F811
    """Register subjects by name and spell their names in pinyin, as the job after a load does."""

    def _register(*names_: str, **fields) -> dict[str, str]:
        usccs = registry(*names_, **fields)
        search_names_refresh()
        return usccs

    return _register


def test_the_initials_of_the_beginning_of_a_name_find_it(spelled):
    spelled("南昌海森建材有限公司", "南昌红谷商贸有限公司")
    assert names(search_subjects("nchs")) == ["南昌海森建材有限公司"]


def test_initials_find_a_name_in_upper_case_too(spelled):
    spelled("南昌海森建材有限公司")
    assert names(search_subjects("NCHS")) == ["南昌海森建材有限公司"]


def test_full_pinyin_finds_the_names_it_begins(spelled):
    spelled("南昌海森建材有限公司", "南京海森建材有限公司")
    assert names(search_subjects("nanchanghai")) == ["南昌海森建材有限公司"]


def test_initials_inside_a_name_find_it_after_those_that_begin_with_them(spelled):
    spelled("南昌海森建材有限公司", "海森建材江西有限公司")
    assert names(search_subjects("hsjc")) == ["海森建材江西有限公司", "南昌海森建材有限公司"]


def test_phrases_are_read_as_people_read_them(spelled):
    spelled("重庆银行南昌分行")
    assert names(search_subjects("cqyh")) == ["重庆银行南昌分行"]


def test_a_renamed_subject_is_spelled_again(spelled):
    usccs = spelled("南昌海森建材有限公司")
    Subject.objects.filter(uscc=usccs["南昌海森建材有限公司"]).update(name="九江红谷商贸有限公司")
    assert search_names_refresh() == 1
    assert SubjectSearchName.objects.get().initials.startswith("jjhg")


@pytest.mark.parametrize(
    ("query", "marked"),
    [("海森", "海森"), ("nchs", "南昌海森"), ("nanchanghai", "南昌海"), ("jcyx", "建材有限")],
)
def test_the_characters_that_matched_are_marked(spelled, query, marked):
    spelled("南昌海森建材有限公司")
    (hit,) = search_subjects(query)
    start, end = hit["match"]
    assert hit["name"][start:end] == marked


def test_the_page_highlights_the_match(spelled, client):
    spelled("南昌海森建材有限公司")
    page = client.get("/search", {"q": "海森"}).content.decode()
    assert "南昌<mark>海森</mark>建材有限公司" in page


def test_the_count_says_how_many_matched_beyond_the_fifty_shown(spelled, client):
    spelled(*(f"南昌赣江{i:03d}贸易有限公司" for i in range(60)))
    result = search_subjects("赣江")
    assert (len(result), result.total, result.more) == (50, 60, False)
    assert "共 60 个主体相符，显示前 50 个" in client.get("/search", {"q": "赣江"}).content.decode()


def test_a_count_past_the_cap_says_more(spelled, monkeypatch):
    from disclosure.selectors import search

    monkeypatch.setattr(search, "COUNT_CAP", 5)
    spelled(*(f"南昌赣江{i:03d}贸易有限公司" for i in range(8)))
    result = search_subjects("赣江")
    assert (result.total, result.more) == (5, True) and COUNT_CAP == 1_000


def test_a_search_is_one_statement(spelled, django_assert_num_queries):
    spelled(*(f"南昌赣江{i:03d}贸易有限公司" for i in range(10)))
    for query in ("赣江", "ncgj", "nanchang"):
        with django_assert_num_queries(1):
            search_subjects(query)


def test_the_api_reports_the_count(spelled, client):
    from disclosure.services.api_keys import api_key_issue

    spelled(*(f"南昌赣江{i:03d}贸易有限公司" for i in range(3)))
    _, key = api_key_issue("南昌农商银行")
    body = client.get("/api/v1/search", {"q": "ncgj"}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert (body["total"], body["more"], len(body["results"])) == (3, False, 3)
