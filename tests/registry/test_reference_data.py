import pytest
from django.core.management import call_command

from warning_system.registry import contract
from warning_system.registry.choices import RegistrationStatus, SubjectType
from warning_system.registry.models import RECORD_MODELS, Department, District, PostLicenceCatalogEntry

pytestmark = pytest.mark.django_db


def test_loading_reference_data_twice_changes_nothing(capsys):
    call_command("load_reference_data")
    first = (
        list(Department.objects.values()),
        list(District.objects.values()),
        list(PostLicenceCatalogEntry.objects.values()),
    )
    call_command("load_reference_data")
    second = (
        list(Department.objects.values()),
        list(District.objects.values()),
        list(PostLicenceCatalogEntry.objects.values()),
    )
    assert first == second
    assert (len(first[0]), len(first[1]), len(first[2])) == (33, 9, 32)
    assert Department.objects.get(code="ZY").kinds == ["court_judgment", "dishonest_debtor", "property_right"]


def test_the_model_enumerations_are_the_contracts():
    assert set(SubjectType.values) == set(contract.ENUMS["subject_type"])
    assert set(RegistrationStatus.values) == set(contract.ENUMS["registration_status"])


def test_every_kind_has_a_table_with_its_public_fields_and_none_of_its_personal_ones():
    assert set(RECORD_MODELS) == set(contract.KINDS)
    for key, model in RECORD_MODELS.items():
        columns = {f.name for f in model._meta.fields}
        kind = contract.KINDS[key]
        assert {f.key for f in kind.public_fields} <= columns
        assert not {f.key for f in kind.personal_fields} & columns
