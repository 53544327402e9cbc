"""Known answers of the joint-punishment decision: for each colour, the exact set of restricted uses.

The subject page, the bank batch check, the credit report and the API all show what `decide`
answers, so a change here silently changes what the public is told a subject may not do. Two
catalogues: the default one (docs/rules.md §7), and one naming every colour for every use, which an
administrator may save: green still restricts nothing, because a green subject has nothing against it.
"""

import pytest

from warning_system.classification.rules import COLOURS
from warning_system.sanctions import measures

ALL_USES = frozenset(measures.DEFAULT_USES)

DEFAULT_ANSWERS = {
    "red": ALL_USES,
    "orange": frozenset({"procurement", "bidding", "subsidy", "honour", "licensing"}),
    "yellow": frozenset({"honour"}),
    "green": frozenset(),
}

EVERY_COLOUR_NAMED_ANSWERS = {"red": ALL_USES, "orange": ALL_USES, "yellow": ALL_USES, "green": frozenset()}

# A rule of each colour, as the engine explains it; a green subject triggers none.
TRIGGERED = {
    "red": [{"rule": "court_refusal", "colour": "red", "records": []}],
    "orange": [{"rule": "heavy_penalty", "colour": "orange", "records": []}],
    "yellow": [{"rule": "penalty", "colour": "yellow", "records": []}],
    "green": [],
}


def restricted_uses(catalogue: dict, colour: str, triggered: list[dict]) -> frozenset[str]:
    return frozenset(
        use for use in measures.DEFAULT_USES if measures.decide(catalogue[use], colour, triggered).restricted
    )


def every_colour_named() -> dict:
    catalogue = measures.default_measures()
    for entry in catalogue.values():
        entry["colours"], entry["lists"] = list(COLOURS), []
    return catalogue


@pytest.mark.parametrize("colour", COLOURS)
def test_the_default_catalogue_restricts_exactly_these_uses(colour):
    assert restricted_uses(measures.default_measures(), colour, TRIGGERED[colour]) == DEFAULT_ANSWERS[colour]


def test_the_answers_cover_every_colour():
    assert set(DEFAULT_ANSWERS) == set(EVERY_COLOUR_NAMED_ANSWERS) == set(COLOURS)


def test_a_catalogue_that_names_green_may_be_saved():
    assert measures.validate(every_colour_named()) == []


@pytest.mark.parametrize("colour", COLOURS)
def test_a_catalogue_naming_every_colour_still_restricts_nothing_for_green(colour):
    answer = restricted_uses(every_colour_named(), colour, TRIGGERED[colour])
    assert answer == EVERY_COLOUR_NAMED_ANSWERS[colour]


@pytest.mark.parametrize("colour", ["orange", "yellow"])
def test_a_dishonest_debtor_is_restricted_from_every_default_use_whatever_its_colour(colour):
    # A listing restricts by itself (the catalogue's "lists"), even under a ruleset that colours it less.
    listed = [*TRIGGERED[colour], {"rule": "dishonest_debtor", "colour": colour, "records": []}]
    assert restricted_uses(measures.default_measures(), colour, listed) == ALL_USES
