"""The public platform for all five kinds of subjects: each type's subject page and API answer name
its fields as its registration does (法定代表人 / 负责人 / 经营者, 注册资本 / 开办资金 / 注册资金 / none,
登记机关 and the registry behind it), and lists, search and statistics break down by type."""

import pytest

from disclosure.filters import SubjectFilter
from disclosure.selectors import statistics
from disclosure.selectors.public import PUBLIC_KINDS, public_subjects
from disclosure.services.api_keys import api_key_issue
from tests.disclosure.five_types import load_five_types

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_types(db, tmp_path, django_capture_on_commit_callbacks):
    return load_five_types(tmp_path, django_capture_on_commit_callbacks)


# attribute of FiveTypes -> (type label, representative label, capital label or None, registry, scope label)
EXPECTED = {
    "enterprise": ("企业", "法定代表人", "注册资本", "市场监督管理部门", "经营范围"),
    "shop": ("个体工商户", "经营者", None, "市场监督管理部门", "经营范围"),
    "cooperative": ("农民专业合作社", "法定代表人", "成员出资总额", "市场监督管理部门", "经营范围"),
    "association": ("社会组织", "法定代表人", "注册资金", "民政部门", "业务范围"),
    "private_school": ("社会组织", "法定代表人", "开办资金", "民政部门", "业务范围"),
    "foundation": ("社会组织", "法定代表人", "原始基金", "民政部门", "业务范围"),
    "hospital": ("事业单位", "法定代表人", "开办资金", "机构编制部门", "宗旨和业务范围"),
    "agency": ("机关", "负责人", None, "机构编制部门", "主要职责"),
}
AUTHORITY_KINDS = {
    "市场监督管理部门": "market_regulation",
    "民政部门": "civil_affairs",
    "机构编制部门": "establishment_office",
}


def page(client, uscc: str) -> str:
    response = client.get(f"/subjects/{uscc}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("attr", EXPECTED)
def test_the_subject_page_shows_the_type_and_its_representatives_label(client, five_types, attr):
    type_label, representative, *_ = EXPECTED[attr]
    body = page(client, getattr(five_types, attr))

    assert f"<dt>主体类型</dt><dd>{type_label}" in body
    assert f'<dt>{representative}</dt><dd data-field="legal_representative">' in body


@pytest.mark.parametrize("attr", EXPECTED)
def test_the_subject_page_names_the_capital_as_the_type_registers_it(client, five_types, attr):
    capital = EXPECTED[attr][2]
    body = page(client, getattr(five_types, attr))

    if capital is None:
        assert 'data-field="registered_capital"' not in body
    else:
        assert f'<dt>{capital}</dt><dd data-field="registered_capital">' in body


@pytest.mark.parametrize("attr", EXPECTED)
def test_the_subject_page_names_the_registry_behind_the_code_and_the_scope(client, five_types, attr):
    *_, registry, scope = EXPECTED[attr]
    body = page(client, getattr(five_types, attr))

    assert f'data-authority="{AUTHORITY_KINDS[registry]}">{registry}</dd>' in body
    assert f"<dt>{scope}</dt>" in body


def test_the_registration_authority_falls_back_to_the_registry_of_the_code(client, five_types):
    body = page(client, five_types.hospital)  # its registration left 登记机关 empty

    assert '<dt>登记机关</dt><dd data-field="registration_authority">机构编制部门</dd>' in body


@pytest.mark.parametrize("attr", EXPECTED)
def test_each_types_page_runs_a_bounded_number_of_queries(
    client, five_types, attr, django_assert_max_num_queries
):
    with django_assert_max_num_queries(len(PUBLIC_KINDS) + 13):
        page(client, getattr(five_types, attr))


@pytest.mark.parametrize("attr", EXPECTED)
def test_the_api_answers_each_type_with_its_labels(client, five_types, attr):
    type_label, representative, capital, registry, scope = EXPECTED[attr]
    key = api_key_issue("南昌测试银行")[1]
    response = client.get(f"/api/v1/subjects/{getattr(five_types, attr)}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    subject = response.json()["subject"]

    assert subject["subject_type_label"] == type_label
    assert subject["legal_representative_label"] == representative
    assert subject["registered_capital_label"] == capital
    assert subject["registration_authority_kind"] == AUTHORITY_KINDS[registry]
    assert subject["registration_authority_kind_label"] == registry
    assert subject["business_scope_label"] == scope
    assert subject["natural_person"] is (attr == "shop")


def test_the_api_serves_a_capital_only_where_the_type_registers_one(client, five_types):
    key = api_key_issue("南昌测试银行")[1]

    def capital(uscc):
        response = client.get(f"/api/v1/subjects/{uscc}", HTTP_AUTHORIZATION=f"Bearer {key}")
        return response.json()["subject"]["registered_capital"]

    assert capital(five_types.hospital) == "3000"
    assert capital(five_types.shop) is None


def test_the_statistics_break_the_colours_down_by_every_type(five_types):
    rows = {row.key: row for row in statistics.colour_mix("subject_type")}

    assert {key: row.total for key, row in rows.items()} == {
        "enterprise": 1,
        "individual_business": 2,
        "farmer_cooperative": 1,
        "social_organization": 3,
        "public_institution": 1,
        "government_agency": 1,
    }
    assert (rows["individual_business"].yellow, rows["individual_business"].orange) == (1, 1)


def test_the_statistics_page_shows_the_breakdown_by_type(client, five_types):
    body = client.get("/statistics").content.decode()

    assert 'id="mix-subject_type"' in body
    for label in ("企业", "个体工商户", "农民专业合作社", "社会组织", "事业单位", "机关"):
        assert f'<th scope="row">{label}</th>' in body


def test_a_colour_list_filtered_by_type_shows_only_that_type_with_its_label(client, five_types):
    body = client.get("/lists/yellow", {"subject_type": "individual_business"}).content.decode()

    assert five_types.shop in body
    assert '<td data-label="主体类型">个体工商户</td>' in body
    assert (
        client.get("/lists/yellow", {"subject_type": "enterprise"}).content.decode().count(five_types.shop)
        == 0
    )


def test_search_filtered_by_type_finds_only_that_type(client, five_types):
    body = client.get("/search", {"q": "南昌", "subject_type": "social_organization"}).content.decode()

    for uscc in (five_types.association, five_types.private_school, five_types.foundation):
        assert uscc in body
    for uscc in (five_types.enterprise, five_types.hospital, five_types.agency):
        assert uscc not in body


@pytest.mark.parametrize(
    ("authority", "attrs"),
    [
        ("market_regulation", {"enterprise", "shop", "own_name_shop", "cooperative"}),
        ("civil_affairs", {"association", "private_school", "foundation"}),
        ("establishment_office", {"hospital", "agency"}),
    ],
)
def test_the_registry_filter_keeps_the_subjects_that_registry_registered(five_types, authority, attrs):
    kept = SubjectFilter({"authority": authority}, queryset=public_subjects()).qs

    assert set(kept.values_list("uscc", flat=True)) == {getattr(five_types, a) for a in attrs}


def test_an_unknown_registry_is_shown_as_an_invalid_filter_and_ignored(client, five_types):
    body = client.get("/search", {"q": "南昌市餐饮行业协会", "authority": "tax"}).content.decode()

    assert "以下筛选条件无效，已忽略" in body
    assert five_types.association in body


@pytest.mark.parametrize(
    ("attr", "category"),
    [("association", "社会团体"), ("private_school", "民办非企业单位"), ("foundation", "基金会")],
)
def test_a_social_organisation_shows_its_category_from_the_code(client, five_types, attr, category):
    body = page(client, getattr(five_types, attr))

    assert f"<dt>主体类型</dt><dd>社会组织（{category}）</dd>" in body
