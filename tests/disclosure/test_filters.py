"""SubjectFilter: every field narrows the public subjects; bad values are reported, not obeyed."""

import pytest
from django.utils import translation

from disclosure.filters import SubjectFilter
from disclosure.selectors.public import public_subjects
from warning_system.classification.models import SubjectColour

pytestmark = pytest.mark.django_db


def filtered(data: dict) -> set[str]:
    return set(SubjectFilter(data, queryset=public_subjects()).qs.values_list("uscc", flat=True))


def test_district_keeps_only_subjects_of_that_district(portal_city):
    assert filtered({"district": "360102"}) == {portal_city.yellow, portal_city.red}


def test_district_choices_are_labelled_with_district_names(portal_city):
    choices = dict(SubjectFilter().form.fields["district"].choices)
    assert choices["360102"] and choices["360102"] != "360102"


def test_industry_section_matches_codes_starting_with_its_letter(portal_city):
    assert filtered({"industry": "C"}) == {portal_city.orange, portal_city.red}


def test_industry_choices_carry_chinese_section_names(db):
    with translation.override("zh-hans"):  # not whatever language an earlier request left active
        assert dict(SubjectFilter().form.fields["industry"].choices)["F"] == "批发和零售业"


def test_colour_keeps_only_subjects_of_that_colour(portal_city):
    assert filtered({"colour": "orange"}) == {portal_city.orange}


def test_green_includes_subjects_without_a_stored_colour(portal_city):
    assert SubjectColour.objects.filter(subject_id=portal_city.green).delete()[0] == 1
    assert filtered({"colour": "green"}) == {portal_city.green}


def test_subject_type_keeps_only_that_type(portal_city):
    public_subjects().filter(uscc=portal_city.red).update(subject_type="individual_business")
    assert filtered({"subject_type": "individual_business"}) == {portal_city.red}


def test_fields_combine(portal_city):
    assert filtered({"district": "360102", "industry": "F"}) == {portal_city.yellow}


def test_no_data_keeps_every_public_subject(portal_city):
    assert filtered({}) == set(portal_city.registered)


@pytest.mark.parametrize(
    ("field", "value"),
    [("district", "999999"), ("industry", "Z"), ("colour", "purple"), ("subject_type", "alien")],
)
def test_an_invalid_value_makes_the_form_invalid(portal_city, field, value):
    filterset = SubjectFilter({field: value}, queryset=public_subjects())
    assert not filterset.is_valid()
    assert field in filterset.form.errors


def test_an_invalid_value_is_ignored_while_valid_ones_apply(portal_city):
    filterset = SubjectFilter({"colour": "purple", "district": "360111"}, queryset=public_subjects())
    assert set(filterset.qs.values_list("uscc", flat=True)) == {portal_city.green, portal_city.orange}
