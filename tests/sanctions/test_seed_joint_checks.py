"""`manage.py seed_joint_checks`: demo checks and outcomes through the services, once."""

import io

import pytest
from django.core.management import call_command

from tests.sanctions import world
from warning_system.audit.models import Action, AuditEntry
from warning_system.sanctions.models import JointCheck
from warning_system.sanctions.selectors import disqualified_by_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_city(reference_data):
    call_command("create_demo_staff", "--force", stdout=io.StringIO())
    return [world.red(), world.red(), world.orange(), world.yellow(), world.green()]


def test_the_demo_checks_fill_the_pages_with_restrictions_and_outcomes(demo_city):
    call_command("seed_joint_checks", "--checks", "60", stdout=io.StringIO())
    checks = JointCheck.objects.all()
    assert checks.count() >= 30
    assert {c.subject_id for c in checks} <= set(demo_city)
    assert checks.filter(outcome="restricted").exclude(reported_action__in=["", "none"]).exists()
    assert disqualified_by_year()
    assert checks.filter(
        requester_kind="institution", use__in=["financing", "listing"], channel="api"
    ).exists()
    assert (
        AuditEntry.objects.filter(action=Action.JOINT_OUTCOME).count()
        == checks.exclude(reported_action="").count()
    )


def test_the_demo_checks_are_seeded_once(demo_city):
    call_command("seed_joint_checks", "--checks", "10", stdout=io.StringIO())
    count = JointCheck.objects.count()
    call_command("seed_joint_checks", "--checks", "10", stdout=io.StringIO())
    assert JointCheck.objects.count() == count
