"""Freeze and draw run as Celery tasks (a 1,000,000-subject freeze is not a web request's work): the
task shows them in progress, a refusal is kept on the task, a redelivered message does nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supervision.services import inspections as services
from supervision.tasks import inspections as jobs
from tests.inspections.world import VALUES, draft, frozen, sources
from warning_system.inspections import services as core
from warning_system.inspections.models import InspectionTask, TaskJob, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    """A broker: the message is kept instead of running in-process."""
    sent = []
    monkeypatch.setattr(jobs.inspection_freeze, "delay", lambda *args: sent.append(("freeze", args)))
    monkeypatch.setattr(jobs.inspection_draw, "delay", lambda *args: sent.append(("draw", args)))
    return sent


def later_sources() -> list[dict]:
    return sources(timezone.localdate() + timedelta(days=1))


def test_without_a_broker_the_freeze_runs_in_process(city, scjg_leader):
    task = draft(scjg_leader.user)
    services.task_freeze_queue(task=task, user=scjg_leader.user, seed_sources=later_sources())
    task.refresh_from_db()
    assert (task.status, task.job, task.job_error) == (TaskStatus.FROZEN, "", "")


def test_a_queued_freeze_shows_in_progress_until_the_worker_runs_it(city, scjg_leader, queued):
    task = draft(scjg_leader.user)
    services.task_freeze_queue(task=task, user=scjg_leader.user, seed_sources=later_sources())
    task.refresh_from_db()
    assert (task.status, task.job) == (TaskStatus.DRAFT, TaskJob.FREEZE)
    [(_, args)] = queued
    assert jobs.inspection_freeze(*args) == "done"
    task.refresh_from_db()
    assert (task.status, task.job) == (TaskStatus.FROZEN, "")


def test_a_second_start_while_one_runs_is_refused(city, scjg_leader, queued):
    task = draft(scjg_leader.user)
    services.task_freeze_queue(task=task, user=scjg_leader.user, seed_sources=later_sources())
    with pytest.raises(core.InspectionError, match="正在冻结名录"):
        services.task_freeze_queue(task=task, user=scjg_leader.user, seed_sources=later_sources())
    assert len(queued) == 1


def test_a_refused_background_freeze_keeps_its_reason_on_the_task(city, scjg_leader):
    task = draft(scjg_leader.user, inspectors_per_subject=5)
    services.task_freeze_queue(task=task, user=scjg_leader.user, seed_sources=later_sources())
    task.refresh_from_db()
    assert (task.status, task.job) == (TaskStatus.DRAFT, "")
    assert "不足每户所需的 5 人" in task.job_error


def test_a_redelivered_message_after_the_job_ended_does_nothing(city, scjg_leader, queued):
    task = draft(scjg_leader.user)
    services.task_freeze_queue(task=task, user=scjg_leader.user, seed_sources=later_sources())
    [(_, args)] = queued
    assert jobs.inspection_freeze(*args) == "done"
    assert jobs.inspection_freeze(*args) == "ended"
    assert InspectionTask.objects.get(pk=task.pk).job_error == ""


def test_a_queued_draw_runs_in_the_worker(city, scjg_leader, queued):
    task = core.task_seed(task=frozen(scjg_leader.user), user=scjg_leader.user, values=VALUES)
    services.task_draw_queue(task=task, user=scjg_leader.user)
    assert InspectionTask.objects.get(pk=task.pk).job == TaskJob.DRAW
    [(_, args)] = queued
    assert jobs.inspection_draw(*args) == "done"
    task.refresh_from_db()
    assert (task.status, task.job) == (TaskStatus.DRAWN, "")
