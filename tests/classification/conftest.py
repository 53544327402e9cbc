import pytest

from warning_system.registry.services import reference_data_load


@pytest.fixture
def reference_data(db):
    reference_data_load()
