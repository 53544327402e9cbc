"""The subject types and their identifiers (GB 32100-2015 表 1 and 表 2), and the names each type's
registration gives its representative, capital and scope."""

import pytest

from tests.factories import make_uscc
from warning_system.registry import subject_types as st
from warning_system.registry.choices import SubjectType

# USCC characters 1–2 of GB 32100-2015 (with XG1-2016) -> the registration types they admit.
STANDARD = {
    "11": {"government_agency"},
    "12": {"public_institution"},
    "13": {"social_organization", "government_agency"},
    "19": {"government_agency", "public_institution", "social_organization"},
    "51": {"social_organization"},
    "52": {"social_organization"},
    "53": {"social_organization"},
    "59": {"social_organization"},
    "91": {"enterprise"},
    "92": {"individual_business"},
    "93": {"farmer_cooperative"},
}


@pytest.mark.parametrize("prefix", STANDARD)
def test_each_prefix_admits_exactly_its_types(prefix):
    uscc = make_uscc(prefix=prefix)
    admitted = {t for t in SubjectType.values if st.uscc_prefix_contradiction(uscc, t) is None}

    assert admitted == STANDARD[prefix]


def test_every_subject_type_has_a_prefix():
    assert set().union(*st.USCC_PREFIX_TYPES.values()) == set(SubjectType.values)


@pytest.mark.parametrize("prefix", ["31", "71", "81", "94", "10"])
def test_a_code_from_another_registry_or_category_contradicts_every_type(prefix):
    uscc = make_uscc(prefix=prefix)

    assert all(st.uscc_prefix_contradiction(uscc, t) for t in SubjectType.values)


def test_a_contradiction_names_the_characters_and_the_type_they_call_for():
    message = st.uscc_prefix_contradiction(make_uscc(prefix="92"), "enterprise")

    assert "“92”" in message and "个体工商户" in message and "“企业”" in message


@pytest.mark.parametrize(
    ("subject_type", "enterprise_type", "label"),
    [
        ("enterprise", "有限责任公司(自然人投资或控股)", "法定代表人"),
        ("enterprise", "个人独资企业", "投资人"),
        ("enterprise", "有限合伙企业", "执行事务合伙人"),
        ("enterprise", "有限责任公司分公司(自然人投资或控股)", "负责人"),
        ("individual_business", "个体工商户", "经营者"),
        ("farmer_cooperative", None, "法定代表人"),
        ("social_organization", None, "法定代表人"),
        ("public_institution", None, "法定代表人"),
        ("government_agency", None, "负责人"),
    ],
)
def test_the_representative_is_named_as_the_registration_names_it(subject_type, enterprise_type, label):
    assert st.representative_label(subject_type, enterprise_type) == label


@pytest.mark.parametrize(
    ("subject_type", "prefix", "enterprise_type", "label"),
    [
        ("enterprise", "91", "有限责任公司(自然人投资或控股)", "注册资本"),
        ("enterprise", "91", "有限合伙企业", "出资额"),
        ("enterprise", "91", "有限责任公司分公司(自然人投资或控股)", None),
        ("individual_business", "92", None, None),
        ("farmer_cooperative", "93", None, "成员出资总额"),
        ("social_organization", "51", None, "注册资金"),
        ("social_organization", "52", None, "开办资金"),
        ("social_organization", "53", None, "原始基金"),
        ("public_institution", "12", None, "开办资金"),
        ("government_agency", "11", None, None),
    ],
)
def test_the_capital_is_named_as_the_type_registers_it(subject_type, prefix, enterprise_type, label):
    assert st.capital_label(subject_type, make_uscc(prefix=prefix), enterprise_type) == label


@pytest.mark.parametrize(
    ("prefix", "kind", "label"),
    [("11", "establishment_office", "机构编制部门"), ("51", "civil_affairs", "民政部门"),
     ("92", "market_regulation", "市场监督管理部门")],
)  # fmt: skip
def test_the_registry_is_read_from_the_first_character(prefix, kind, label):
    uscc = make_uscc(prefix=prefix)

    assert (st.authority_kind(uscc), st.authority_label(uscc)) == (kind, label)


def test_only_individual_businesses_are_natural_persons():
    assert [t for t in SubjectType.values if st.is_natural_person(t)] == ["individual_business"]
