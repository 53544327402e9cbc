"""An inspector's badge number is their id in the published files: once frozen, it never changes."""

import pytest

from tests.inspections.world import frozen
from warning_system.inspections import services as core
from warning_system.inspections.models import Inspector

pytestmark = pytest.mark.django_db


def save(inspector, user, **changes):
    data = {"name": inspector.name, "badge_number": inspector.badge_number, **changes}
    return core.inspector_save(
        inspector=inspector, department_id=inspector.department_id, user=user, data=data
    )


def test_a_badge_number_in_a_frozen_file_cannot_change(city, scjg_leader):
    frozen(scjg_leader.user)
    inspector = Inspector.objects.order_by("badge_number").first()
    with pytest.raises(core.InspectionError, match="冻结的检查人员名录文件中，不能修改"):
        save(inspector, scjg_leader.user, badge_number="NEW-0001")
    assert Inspector.objects.filter(pk=inspector.pk, badge_number=inspector.badge_number).exists()


def test_a_badge_number_never_frozen_may_be_corrected(city, scjg_leader):
    inspector = Inspector.objects.order_by("badge_number").first()
    assert save(inspector, scjg_leader.user, badge_number="NEW-0002").badge_number == "NEW-0002"
