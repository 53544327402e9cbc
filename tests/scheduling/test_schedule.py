"""Without a broker the schedule runs in-process: time-driven changes happen day after day."""

from datetime import datetime, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from tests.factories import make_uscc, penalty, registration
from warning_system.classification import rules, services
from warning_system.classification.models import SubjectColour
from warning_system.scheduling.models import ScheduledJob
from warning_system.scheduling.services import schedule_tick

pytestmark = pytest.mark.django_db

CHINA = timezone.get_fixed_timezone(8 * 60)


@pytest.fixture(autouse=True)
def inbox_in_tmp(settings, tmp_path):
    settings.FEED_INBOX = tmp_path / "inbox"


def at(day, hour: int, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA)


def test_a_colour_changes_when_its_window_ends_with_no_broker_and_no_new_data(push_records):
    today = timezone.localdate()
    uscc = make_uscc()
    # A simple-procedure penalty counts (yellow) for one year from its decision: it ends tomorrow.
    decided = today + timedelta(days=1) - relativedelta(years=1)
    with time_machine.travel(at(today, 10, 0), tick=False):
        push_records("registration", [registration(uscc)])
        push_records("penalty", [penalty(uscc, "P1", procedure="简易程序", decided_on=decided.isoformat())])
        services.evaluations_drain()
        assert SubjectColour.objects.get(subject_id=uscc).colour == rules.YELLOW
        schedule_tick()  # the scheduler starts: every job's clock starts now
    tomorrow = today + timedelta(days=1)
    with time_machine.travel(at(tomorrow, 0, 3), tick=False):
        tick = schedule_tick()
        assert "reclassify-due" not in tick.ran  # due at 00:05
        assert SubjectColour.objects.get(subject_id=uscc).colour == rules.YELLOW
    with time_machine.travel(at(tomorrow, 0, 6), tick=False):
        tick = schedule_tick()
    assert "reclassify-due" in tick.ran
    assert SubjectColour.objects.get(subject_id=uscc).colour == rules.GREEN
    assert ScheduledJob.objects.get(name="reclassify-due").runs == 1


def test_interval_jobs_run_every_minute_and_a_failing_job_does_not_stop_the_others(settings, monkeypatch):
    from warning_system.classification import tasks

    def broken():
        raise RuntimeError("the database is busy")

    monkeypatch.setattr(tasks.services, "evaluations_drain", broken)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        schedule_tick()
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        tick = schedule_tick()
    assert "drain-evaluations" in tick.failed and "the database is busy" in tick.failed["drain-evaluations"]
    assert "collect-inbox" in tick.ran
    assert ScheduledJob.objects.get(name="drain-evaluations").last_error.startswith("RuntimeError")


def test_a_job_missed_while_the_scheduler_was_down_runs_at_the_next_start():
    today = timezone.localdate()
    with time_machine.travel(at(today, 22, 0), tick=False):
        schedule_tick()
    # Down over midnight; started again at 09:00 the day after next.
    with time_machine.travel(at(today + timedelta(days=2), 9, 0), tick=False):
        tick = schedule_tick()
    assert {"reclassify-due", "verify-colours", "anchor-audit-trail"} <= set(tick.ran)


def test_the_command_refuses_to_run_beside_a_broker(settings):
    from django.core.management import CommandError, call_command

    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    with pytest.raises(CommandError, match="Celery beat"):
        call_command("run_schedule")
