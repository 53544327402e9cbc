"""`manage.py seed_demo`: a small demo city loaded as `make run` loads it, then given its history. The
pages that were empty on a fresh demo (双随机公示, the statistics trend, the departments' timeliness)
show it, every made-up row is marked as demo data, and a second run adds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.models import DepartmentMonthScore
from supervision.services.assessment import previous_month
from tests import demo_city as city
from tests.auth import log_in
from warning_system.accounts.models import StaffProfile
from warning_system.classification.models import DailyColourCount, RepairApplication
from warning_system.demo.models import DemoRecord
from warning_system.demo.selectors import demo_count
from warning_system.inspections.models import Assignment, InspectionTask, Inspector
from warning_system.registry.models import IngestRun
from warning_system.sanctions.models import JointCheck

pytestmark = pytest.mark.django_db

demo_city = city.demo_city  # the module's city (a fixture)


@pytest.fixture
def seeded(demo_city, db):
    return None


def test_the_public_inspections_page_lists_a_published_task_with_results(seeded, client):
    task = InspectionTask.objects.get(status="published")
    assert Assignment.objects.filter(task=task).exclude(result="").exists()
    assert Assignment.objects.filter(task=task, result="").exists()  # some still to enter
    page = client.get("/inspections/").content.decode()
    assert task.number in page
    assert "暂无公示的抽查任务" not in page


def test_a_frozen_task_waits_for_the_outside_value_of_its_seed(seeded):
    task = InspectionTask.objects.get(status="frozen")
    external = [s for s in task.seed_sources if s["kind"] == "external"]
    assert external and external[0]["known_on"] > timezone.localdate().isoformat()


def test_the_published_task_was_frozen_before_its_seed_value_existed(seeded):
    task = InspectionTask.objects.get(status="published")
    external = next(s for s in task.seed_sources if s["kind"] == "external")
    assert timezone.localtime(task.frozen_at).date().isoformat() < external["known_on"]
    assert timezone.localtime(task.seeded_at).date().isoformat() >= external["known_on"]


def test_the_statistics_page_draws_a_trend_of_sixty_days(seeded, client):
    since = timezone.localdate() - timedelta(days=60)
    assert DailyColourCount.objects.filter(day__gt=since).count() == 60
    page = client.get("/statistics").content.decode()
    assert "暂无法绘制趋势图" not in page
    assert "<polyline" in page


def test_repair_applications_are_pending_approved_and_refused(seeded):
    statuses = set(RepairApplication.objects.values_list("status", flat=True))
    assert statuses == {"pending", "approved", "rejected"}


def test_joint_checks_have_outcomes(seeded):
    assert JointCheck.objects.exclude(reported_action="").exists()


def test_the_departments_timeliness_is_scored(seeded, client):
    """Last month, whose every arrival falls in the moved-back window: the market regulator's scorecard
    shows a timeliness, not “—”."""
    month = previous_month(timezone.localdate())
    log_in(client, StaffProfile.objects.get(user__username="scjg_leader"))
    page = client.get("/supervision/assessment/", {"month": f"{month:%Y-%m}"})
    assert page.status_code == 200
    [row] = page.context["board"].rows
    assert row.score.timed > 0
    assert row.score.timeliness is not None
    assert DepartmentMonthScore.objects.filter(month=month, timeliness__isnull=False).count() >= 3


def test_every_made_up_row_is_marked_as_demo_data(seeded):
    assert demo_count(Inspector) == Inspector.objects.count() > 0
    assert demo_count(InspectionTask) == InspectionTask.objects.count() == 2
    assert demo_count(RepairApplication) == RepairApplication.objects.count()
    assert demo_count(JointCheck) == JointCheck.objects.count()
    made_up = DailyColourCount.objects.exclude(day=timezone.localdate())
    assert demo_count(DailyColourCount) == made_up.count() == 59
    assert demo_count(IngestRun) > 0  # first deliveries moved back


def test_the_admin_filters_demo_rows(seeded, admin_client):
    page = admin_client.get("/admin/inspections/inspector/", {"demo": "yes"})
    assert page.status_code == 200
    assert page.context["cl"].result_count == Inspector.objects.count()
    assert admin_client.get("/admin/inspections/inspector/", {"demo": "no"}).context["cl"].result_count == 0
    assert admin_client.get("/admin/demo/demorecord/").status_code == 200


def test_running_it_twice_creates_nothing_more(seeded):
    models = (Inspector, InspectionTask, Assignment, RepairApplication, JointCheck, DailyColourCount,
              DemoRecord, IngestRun)  # fmt: skip
    before = {model: model.objects.count() for model in models}
    city.seed_demo()
    assert {model: model.objects.count() for model in models} == before
