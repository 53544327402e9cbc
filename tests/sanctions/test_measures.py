"""The decision on plain dicts: every use × colour of the defaults (docs/rules.md §7), and lists."""

import pytest

from warning_system.sanctions import measures

DEFAULT_RESTRICTED = {
    "red": set(measures.USES),
    "orange": {"procurement", "bidding", "subsidy", "honour"},
    "yellow": {"honour"},
    "green": set(),
}
RULE_OF = {"red": "serious_violation", "orange": "abnormal_listing", "yellow": "penalty"}


def triggered(colour: str) -> list[dict]:
    if colour == "green":
        return []
    return [{"rule": RULE_OF[colour], "label": RULE_OF[colour], "colour": colour, "records": []}]


@pytest.mark.parametrize("colour", ["red", "orange", "yellow", "green"])
@pytest.mark.parametrize("use", measures.USES)
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


def test_validate_refuses_a_missing_use_an_unknown_colour_and_a_blank_basis():
    catalogue = measures.default_measures()
    del catalogue["listing"]
    catalogue["honour"]["colours"] = ["purple"]
    catalogue["financing"]["legal_basis"] = " "
    problems = measures.validate(catalogue)
    assert any("listing" in p for p in problems)
    assert any("purple" in p for p in problems)
    assert any("financing" in p for p in problems)


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
