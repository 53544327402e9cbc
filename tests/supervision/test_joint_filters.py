"""The filters of the 联合惩戒 checks list."""

import pytest

from supervision.filters.joint import JointCheckFilter
from tests.sanctions import world
from warning_system.sanctions import services
from warning_system.sanctions.models import JointCheck
from warning_system.sanctions.services import Requester

pytestmark = pytest.mark.django_db


@pytest.fixture
def checks(staff_of):
    asker = Requester.of_staff(staff_of("SCJG"))
    red, green = world.red(), world.green()
    restricted = services.subject_check(uscc=red, use="procurement", requester=asker).check
    services.outcome_report(check=restricted, action="bid_rejected", requester=asker)
    allowed = services.subject_check(uscc=green, use="financing", requester=asker).check
    batch = services.subjects_check(pairs=[(green, "honour")], requester=asker)
    return {
        "restricted": restricted,
        "allowed": allowed,
        "batch": batch.results[0].check,
        "batch_id": batch.batch,
    }


def found(params: dict) -> set[int]:
    return set(JointCheckFilter(params, queryset=JointCheck.objects.all()).qs.values_list("pk", flat=True))


def test_q_matches_a_code_in_any_spelling_or_part_of_the_name(checks):
    restricted = checks["restricted"]
    assert found({"q": restricted.subject_id.lower()}) == {restricted.pk}
    assert found({"q": restricted.subject_name[2:8]}) == {restricted.pk}


def test_use_outcome_and_channel_narrow_the_list(checks):
    assert found({"use": "financing"}) == {checks["allowed"].pk}
    assert found({"outcome": "restricted"}) == {checks["restricted"].pk}
    assert found({"channel": "batch"}) == {checks["batch"].pk}


def test_reported_separates_answered_checks(checks):
    assert found({"reported": "yes"}) == {checks["restricted"].pk}
    assert found({"reported": "no"}) == {checks["allowed"].pk, checks["batch"].pk}


def test_batch_lists_one_upload(checks):
    assert found({"batch": str(checks["batch_id"])}) == {checks["batch"].pk}
