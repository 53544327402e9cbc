import pytest

from tests.sanctions import world
from tests.supervision.conftest import reference_data, staff_of  # noqa: F401  (fixtures)
from warning_system.sanctions.services import Requester


@pytest.fixture
def coloured(reference_data):  # noqa: F811
    """`coloured("red")`: a registered subject of that colour (engine-coloured)."""
    return lambda colour: world.MAKERS[colour]()


@pytest.fixture
def scjg(staff_of):  # noqa: F811
    return staff_of("SCJG")


@pytest.fixture
def asker(scjg) -> Requester:
    return Requester.of_staff(scjg)
