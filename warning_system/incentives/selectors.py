"""Reads of 守信激励: the catalogue in effect and the incentives subjects qualify for.

`incentives_for` costs one query (the catalogue comes from the cache): the subject's stored colour,
the latest colour change touching a colour other than green and the names of its honours in force are
read together. Continuous green is taken from the change history: green now and no change from or
to another colour in the last N years.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import CharField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from warning_system.classification.models import ColourChange, SubjectColour
from warning_system.classification.rules import GREEN
from warning_system.registry.models import Honor, Subject

from . import catalogue
from .models import IncentivesCatalogue

TOKEN_KEY = "incentives:catalogue:token"


def catalogue_for(day: date) -> IncentivesCatalogue | None:
    """The newest version in effect on `day` (the seed version is effective from the start)."""
    found = IncentivesCatalogue.objects.filter(effective_from__lte=day).order_by(
        "-effective_from", "-version"
    )
    return found.first() or IncentivesCatalogue.objects.order_by("version").first()


def catalogue_versions():
    return IncentivesCatalogue.objects.select_related("author").order_by("-version")


def incentives_in_effect(day: date) -> dict[str, dict]:
    """The incentives of the version in effect on `day`, cached until a version is published."""
    key = f"incentives:catalogue:{cache.get(TOKEN_KEY, '0')}:{day.isoformat()}"
    found = cache.get(key)
    if found is None:
        version = catalogue_for(day)
        found = version.incentives if version is not None else catalogue.default_incentives()
        cache.set(key, found, timeout=24 * 3600)
    return found


def standings(usccs: Iterable[str], day: date) -> dict[str, catalogue.Standing]:
    """The registered subjects among `usccs` with what qualification reads, in one query."""
    not_green = ColourChange.objects.filter(subject=OuterRef("pk"), effective_on__lte=day).filter(
        ~Q(to_colour=GREEN) | ~Q(from_colour__in=["", GREEN])
    )
    honours = Honor.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        Q(revoked_on__isnull=True) | Q(revoked_on__gt=day),
        subject=OuterRef("pk"),
        withdrawn=False,
        awarded_on__lte=day,
    ).values("honor_name")
    colour = SubjectColour.objects.filter(subject=OuterRef("pk")).values("colour")
    rows = (
        Subject.objects.filter(uscc__in=sorted(set(usccs)), withdrawn=False)
        .annotate(
            stored_colour=Coalesce(Subquery(colour), Value(GREEN, output_field=CharField())),
            last_not_green=Subquery(
                not_green.order_by().values("subject").annotate(last=Max("effective_on")).values("last")
            ),
            honour_names=ArraySubquery(honours),
        )
        .values_list("uscc", "stored_colour", "last_not_green", "honour_names")
    )
    return {
        uscc: catalogue.Standing(colour, last, catalogue.honour_names(names or ()))
        for uscc, colour, last, names in rows
    }


def incentives_for_many(usccs: Iterable[str], day: date) -> dict[str, list[catalogue.Incentive]]:
    """uscc -> the incentives it qualifies for on `day` (registered subjects only), in one query."""
    entries = incentives_in_effect(day)
    return {
        uscc: catalogue.incentives_of(entries, standing, day)
        for uscc, standing in standings(usccs, day).items()
    }


def incentives_for(uscc: str, day: date) -> list[catalogue.Incentive]:
    """The incentives one subject qualifies for on `day` (none for an unknown subject)."""
    return incentives_for_many([uscc], day).get(uscc, [])


def holders_of(key: str, usccs: Iterable[str], day: date) -> set[str]:
    """Which of `usccs` hold the incentive `key` on `day`."""
    return {
        uscc for uscc, found in incentives_for_many(usccs, day).items() if any(i.key == key for i in found)
    }
