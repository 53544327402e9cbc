"""The decision on plain dicts: every use × colour of the defaults (docs/rules.md §7), and lists."""

import pytest

from warning_system.sanctions import measures

DEFAULT_RESTRICTED = {
    "red": set(measures.DEFAULT_USES),
    "orange": {"procurement", "bidding", "subsidy", "honour", "licensing"},
    "yellow": {"honour"},
    "green": set(),
}
RULE_OF = {"red": "serious_violation", "orange": "abnormal_listing", "yellow": "penalty"}


def triggered(colour: str) -> list[dict]:
    if colour == "green":
        return []
    return [{"rule": RULE_OF[colour], "label": RULE_OF[colour], "colour": colour, "records": []}]


@pytest.mark.parametrize("colour", ["red", "orange", "yellow", "green"])
@pytest.mark.parametrize("use", measures.DEFAULT_USES)
def test_default_catalogue_restricts_by_colour_as_rules_section_7(use, colour):
    decision = measures.decide(measures.default_measures()[use], colour, triggered(colour))
    expected = measures.RESTRICTED if use in DEFAULT_RESTRICTED[colour] else measures.ALLOWED
    assert decision.outcome == expected


def test_a_restriction_by_colour_gives_the_rules_of_that_colour_as_reasons():
    rules = [{"rule": "abnormal_listing", "colour": "orange", "records": []},
             {"rule": "penalty", "colour": "yellow", "records": []}]  # fmt: skip
    decision = measures.decide(measures.default_measures()["procurement"], "orange", rules)
    assert [(r["rule"], r["basis"]) for r in decision.reasons] == [("abnormal_listing", "colour")]


def test_a_listed_rule_restricts_whatever_the_colour():
    entry = {"colours": [], "lists": ["dishonest_debtor"], "legal_basis": "x"}
    rules = [{"rule": "dishonest_debtor", "colour": "orange", "records": []}]
    decision = measures.decide(entry, "orange", rules)
    assert decision.restricted
    assert decision.reasons[0]["basis"] == "list"


def test_a_rule_not_listed_and_a_colour_not_named_allow():
    entry = {"colours": ["red"], "lists": ["dishonest_debtor"], "legal_basis": "x"}
    rules = [{"rule": "abnormal_listing", "colour": "orange", "records": []}]
    assert measures.decide(entry, "orange", rules).outcome == measures.ALLOWED


def test_every_default_use_names_its_legal_basis():
    for entry in measures.DEFAULT_MEASURES.values():
        assert "国发〔2016〕33号" in entry["legal_basis"]
    assert "第二十二条" in measures.DEFAULT_MEASURES["procurement"]["legal_basis"]
    assert "招标投标法实施条例" in measures.DEFAULT_MEASURES["bidding"]["legal_basis"]


def test_validate_refuses_an_unknown_colour_and_a_blank_basis():
    catalogue = measures.default_measures()
    catalogue["honour"]["colours"] = ["purple"]
    catalogue["financing"]["legal_basis"] = " "
    problems = measures.validate(catalogue)
    assert any("purple" in p for p in problems)
    assert any("financing" in p for p in problems)


def test_validate_accepts_a_new_use_with_a_well_formed_key_and_the_required_fields():
    catalogue = measures.default_measures()
    catalogue["housing_fund"] = {"label": "住房公积金", "colours": ["red"], "lists": [], "measure": "限制",
                                 "legal_basis": "《住房公积金管理条例》"}  # fmt: skip
    assert measures.validate(catalogue) == []


def test_validate_accepts_a_catalogue_without_one_of_the_default_uses():
    catalogue = measures.default_measures()
    del catalogue["listing"]
    assert measures.validate(catalogue) == []


@pytest.mark.parametrize("key", ["Housing", "9fund", "a", "fund-x", "x" * 33, "基金"])
def test_validate_refuses_a_malformed_use_key(key):
    catalogue = measures.default_measures()
    catalogue[key] = {**catalogue["listing"]}
    assert [p for p in measures.validate(catalogue) if "代码" in p] != []


def test_validate_refuses_a_use_without_a_label():
    catalogue = measures.default_measures()
    catalogue["housing_fund"] = {"colours": ["red"], "lists": [], "measure": "", "legal_basis": "x"}
    assert measures.validate(catalogue) == ["事项“housing_fund”须填写名称（label）"]


def test_validate_refuses_an_empty_catalogue():
    assert measures.validate({}) == ["措施清单至少须有一个事项"]


def test_the_uses_follow_each_entrys_order_not_the_keys():
    catalogue = {"zeta": {"order": 1}, "alpha": {"order": 2}, "mid": {}}
    assert measures.uses_of(catalogue) == ["zeta", "alpha", "mid"]


def test_a_use_without_a_label_in_the_catalogue_takes_the_fallback():
    assert measures.label_of({"x_use": {}}, "x_use", "旧名称") == "旧名称"
    assert measures.label_of({}, "x_use") == "x_use"


def test_the_defaults_offer_licensing_restricted_for_red_and_orange():
    entry = measures.DEFAULT_MEASURES["licensing"]
    assert entry["label"] == "行政许可/行政审批"
    assert entry["colours"] == ["red", "orange"]
    assert "告知承诺制" in entry["measure"]
    assert "优化营商环境条例" in entry["legal_basis"]


def test_validate_refuses_a_catalogue_that_is_not_an_object():
    assert measures.validate(-1) == ["措施清单须为按事项分列的 JSON 对象"]
    assert measures.validate(["financing"]) == ["措施清单须为按事项分列的 JSON 对象"]


@pytest.mark.parametrize("key", ["colours", "lists"])
@pytest.mark.parametrize("value", [5, "red", [1, 2], {"red": True}])
def test_validate_refuses_colours_or_lists_that_are_not_lists_of_names(key, value):
    catalogue = measures.default_measures()
    catalogue["financing"][key] = value
    assert measures.validate(catalogue) == ["事项“financing”的颜色和名单须为名称的列表"]


def test_the_defaults_validate():
    assert measures.validate(measures.default_measures()) == []
