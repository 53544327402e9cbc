"""End to end: a generated city, through the real collectors, gets the colours it was built to have."""

from collections import Counter
from datetime import date

import pytest

from collectors.citygen import CityObserver, generate_city
from collectors.services import collect_inbox
from warning_system.classification import selectors, services
from warning_system.classification.models import SubjectColour

AS_OF = date(2026, 11, 27)


class Targets(CityObserver):
    def __init__(self):
        self.colours: dict[str, str] = {}

    def subject(self, info: dict) -> None:
        self.colours[info["uscc"]] = info["colour"]


@pytest.fixture
def city_collected(tmp_path, reference_data, django_capture_on_commit_callbacks):
    targets = Targets()
    generate_city(tmp_path / "inbox", 1_200, 77, AS_OF, observer=targets)
    with django_capture_on_commit_callbacks(execute=False):
        collect_inbox(tmp_path / "inbox")
    return targets


@pytest.mark.django_db
def test_every_generated_subject_gets_its_target_colour(city_collected):
    services.classify(day=AS_OF)
    stored = dict(SubjectColour.objects.values_list("subject_id", "colour"))
    wrong = {u: (c, stored.get(u)) for u, c in city_collected.colours.items() if stored.get(u) != c}
    assert wrong == {}
    assert Counter(stored.values())["red"] > 0


@pytest.mark.django_db
def test_evaluating_another_day_does_not_touch_the_stored_colours(city_collected):
    services.classify(day=AS_OF)
    before = dict(SubjectColour.objects.values_list("subject_id", "colour"))
    later = services.classify(day=date(2028, 1, 1), store=False)
    assert dict(SubjectColour.objects.values_list("subject_id", "colour")) == before
    assert later.counts != services.classify(day=AS_OF, store=False).counts


@pytest.mark.django_db
def test_every_non_green_subject_has_reasons_and_green_ones_none(city_collected):
    services.classify(day=AS_OF)
    for row in SubjectColour.objects.all():
        assert bool(row.explanation["rules"]) == (row.colour != "green")
        if row.explanation["rules"]:
            assert all(rule["records"] for rule in row.explanation["rules"])
    assert selectors.colour_counts()["green"] > 0


@pytest.mark.django_db(transaction=True)
def test_a_recompute_split_across_processes_stores_every_target_colour(
    tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """The forked processes see only committed data and their own USCC range: the city must still come out
    exactly as built, and as one process computes it."""
    from warning_system.registry.services import reference_data_load

    reference_data_load()
    targets = Targets()
    generate_city(tmp_path / "inbox", 600, 78, AS_OF, observer=targets)
    with django_capture_on_commit_callbacks(execute=False):
        collect_inbox(tmp_path / "inbox")
    monkeypatch.setattr(services.colours, "PARALLEL_MIN_SUBJECTS", 1)
    settings.CLASSIFY_WORKERS = 2

    result = services.classify(day=AS_OF)

    stored = dict(SubjectColour.objects.values_list("subject_id", "colour"))
    assert result.evaluated == len(stored) == len(selectors.all_subject_usccs())
    assert {u: stored.get(u) for u in targets.colours} == targets.colours
    settings.CLASSIFY_WORKERS = 1
    assert services.classify(day=AS_OF, store=False).counts == result.counts
