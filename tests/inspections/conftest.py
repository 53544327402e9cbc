import pytest

from tests.inspections.world import leader, small_city
from warning_system.registry.services import reference_data_load


@pytest.fixture
def reference_data(db):
    reference_data_load()


@pytest.fixture
def scjg_leader(reference_data):
    return leader("SCJG")


@pytest.fixture
def city(reference_data):
    return small_city()
