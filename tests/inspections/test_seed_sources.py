"""The seed cannot be chosen by one leader: every announced source has a kind, an exact format and, for
an outside value, the day it becomes known; values are checked and canonicalised before the seed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from supervision.services import inspections as services
from tests.inspections.world import VALUES, draft, freeze, frozen, sources
from warning_system.inspections import services as core
from warning_system.inspections import verify_draw
from warning_system.inspections.models import TaskStatus

pytestmark = pytest.mark.django_db


def tomorrow():
    return timezone.localdate() + timedelta(days=1)


def test_freezing_needs_an_outside_value_that_does_not_exist_yet(city, scjg_leader):
    witnesses = [sources(tomorrow())[0], {**sources(tomorrow())[0], "label": "第二位见证人的六位数字"}]
    with pytest.raises(core.InspectionError, match="至少一个是冻结后才产生的外部数值"):
        services.task_freeze(task=draft(scjg_leader.user), user=scjg_leader.user, seed_sources=witnesses)


def test_an_outside_value_known_today_is_refused_at_freezing(city, scjg_leader):
    with pytest.raises(core.InspectionError, match="须晚于冻结当日"):
        services.task_freeze(
            task=draft(scjg_leader.user), user=scjg_leader.user, seed_sources=sources(timezone.localdate())
        )


def test_a_source_format_must_be_an_anchored_regex(city, scjg_leader):
    bad = sources(tomorrow())
    bad[0]["format"] = r"\d+"
    with pytest.raises(core.InspectionError, match=r"以 \^ 开头"):
        services.task_freeze(task=draft(scjg_leader.user), user=scjg_leader.user, seed_sources=bad)


def test_kind_format_and_day_are_published_with_the_frozen_task(city, scjg_leader):
    task = frozen(scjg_leader.user)
    announced = task.parameters["seed_announcement"]
    assert announced[0] == {"label": sources()[0]["label"], "kind": "witness", "format": r"^\d{6}$",
                            "known_on": None}  # fmt: skip
    assert (announced[1]["kind"], announced[1]["known_on"]) == ("external", timezone.localdate().isoformat())


def test_a_value_that_does_not_match_its_format_is_refused(city, scjg_leader):
    task = frozen(scjg_leader.user)
    with pytest.raises(core.InspectionError, match="不符合冻结时公布的格式"):
        core.task_seed(task=task, user=scjg_leader.user, values=["48291", VALUES[1]])
    task.refresh_from_db()
    assert task.status == TaskStatus.FROZEN


def test_seeding_before_the_outside_value_exists_is_refused(city, scjg_leader):
    task = freeze(draft(scjg_leader.user), scjg_leader.user)
    yesterday = time_machine.travel(timezone.now() - timedelta(days=1))
    with yesterday, pytest.raises(core.InspectionError, match="才产生，之前不能确定随机种子"):
        core.task_seed(task=task, user=scjg_leader.user, values=VALUES)


def test_values_are_canonicalised_before_the_seed(city, scjg_leader):
    task = frozen(scjg_leader.user)
    task = core.task_seed(task=task, user=scjg_leader.user, values=[" ４８２ ９１３ ", "\t3318.27 "])
    assert task.seed_values == VALUES
    assert task.seed == verify_draw.seed_from_sources(VALUES)


def test_a_spaced_format_keeps_one_space_between_groups():
    source = {"format": r"^\d{2}( \d{2}){6}$"}
    assert core.canonical_seed_value(source, " 07  13 21\t24 30 33  09 ") == "07 13 21 24 30 33 09"
