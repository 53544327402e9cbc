from tests.sanctions.conftest import asker, coloured, scjg  # noqa: F401  (fixtures)
from tests.supervision.conftest import reference_data, staff_of  # noqa: F401  (fixtures)
