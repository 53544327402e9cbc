"""The watchdog: `classify --verify` recomputes every colour and compares it with the published one."""

import json
import logging

import pytest
from django.core.management import call_command

from tests.classification.test_outbox import red_penalty
from tests.factories import make_uscc, registration
from warning_system.classification import rules, services
from warning_system.classification.models import ColourVerification, SubjectColour

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(push_records):
    """Three registered subjects, one with a revoking penalty, all evaluated and published."""
    green, red, other = make_uscc(), make_uscc(), make_uscc()
    push_records("registration", [registration(u) for u in (green, red, other)])
    push_records("penalty", [red_penalty(red, "P1")])
    services.evaluations_drain()
    return {"green": green, "red": red, "other": other}


def test_a_city_published_as_computed_verifies_clean(city):
    result = services.colours_verify()
    assert (result.evaluated, result.differing, result.transitions) == (3, 0, {})


def test_a_planted_wrong_colour_is_found_with_its_transition(city):
    SubjectColour.objects.filter(subject_id=city["red"]).update(colour=rules.GREEN)
    result = services.colours_verify()
    assert result.differing == 1
    assert result.transitions == {"green→red": 1}
    assert result.subjects == [
        {"uscc": city["red"], "stored": "green", "computed": "red", "reasons_only": False}
    ]
    assert SubjectColour.objects.get(subject_id=city["red"]).colour == rules.GREEN  # read-only without fix


def test_a_missing_colour_counts_as_none(city):
    SubjectColour.objects.filter(subject_id=city["other"]).delete()
    assert services.colours_verify().transitions == {"none→green": 1}


def test_reasons_that_differ_under_the_same_colour_are_found_too(city):
    SubjectColour.objects.filter(subject_id=city["red"]).update(
        explanation={"rules": [], "next_change": None}
    )
    result = services.colours_verify()
    assert result.transitions == {"red→red": 1} and result.subjects[0]["reasons_only"]


def test_fix_stores_the_computed_colours_and_a_second_run_is_clean(city):
    SubjectColour.objects.filter(subject_id=city["red"]).update(colour=rules.GREEN)
    first = services.colours_verify(fix=True)
    assert (first.differing, first.fixed) == (1, 1)
    assert SubjectColour.objects.get(subject_id=city["red"]).colour == rules.RED
    assert services.colours_verify().differing == 0


def test_each_run_is_kept_for_the_dashboard(city):
    SubjectColour.objects.filter(subject_id=city["red"]).update(colour=rules.YELLOW)
    services.colours_verify(fix=True)
    kept = ColourVerification.objects.get()
    assert (kept.evaluated, kept.differing, kept.fixed, kept.transitions) == (3, 1, 1, {"yellow→red": 1})


def test_a_mismatch_is_logged_at_error(city, caplog):
    SubjectColour.objects.filter(subject_id=city["red"]).update(colour=rules.GREEN)
    with caplog.at_level(logging.ERROR, logger="warning_system.classification.services"):
        services.colours_verify()
    assert any(r.levelno == logging.ERROR and "1 of 3" in r.getMessage() for r in caplog.records)


def test_the_command_exits_1_and_prints_json_when_colours_differ(city, capsys):
    SubjectColour.objects.filter(subject_id=city["red"]).update(colour=rules.GREEN)
    with pytest.raises(SystemExit) as exit_:
        call_command("classify", "--verify", "--json")
    assert exit_.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    assert (printed["differing"], printed["transitions"]) == (1, {"green→red": 1})


def test_the_command_exits_0_on_a_clean_city(city, capsys):
    call_command("classify", "--verify")
    assert "differing: 0" in capsys.readouterr().out


def test_the_nightly_schedule_runs_the_verification_with_fix(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["verify-colours"]
    assert entry["task"] == "warning_system.classification.tasks.verify_colours"
    assert entry["kwargs"] == {"fix": True}
