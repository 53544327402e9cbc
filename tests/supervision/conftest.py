import pytest

from tests.factories import StaffFactory
from warning_system.registry.models import Department
from warning_system.registry.services import reference_data_load


@pytest.fixture
def reference_data(db):
    reference_data_load()


@pytest.fixture
def staff_of(reference_data):
    """`staff_of("SCJG", role="leader")`: a regulator of a real department (reference data loaded)."""

    def make(department_code: str, role: str = "staff"):
        return StaffFactory(department=Department.objects.get(code=department_code), role=role)

    return make
