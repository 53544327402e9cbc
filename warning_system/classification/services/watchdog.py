"""The watchdog: stored colours re-computed on a sample (or all), differences reported and, asked to,
fixed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connections
from django.utils import timezone

from .. import rules, selectors
from ..models import (
    ColourVerification,
    Ruleset,
)
from . import colours  # PARALLEL_MIN_SUBJECTS read at each call
from .colours import (
    _in_forked_ranges,
    _may_fork,
    classify,
    logger,
    ruleset_for,
    stored_explanation,
)

# --------------------------------------------------------------------------- the watchdog

VERIFY_SAMPLE = 200


@dataclass
class VerifyResult:
    as_of: date
    evaluated: int = 0
    differing: int = 0
    transitions: dict[str, int] = field(default_factory=dict)
    subjects: list[dict] = field(default_factory=list)  # every differing subject (the sample is stored)
    fixed: int = 0
    seconds: float = 0.0

    def add(self, other: VerifyResult) -> None:
        self.evaluated += other.evaluated
        self.differing += other.differing
        for key, count in other.transitions.items():
            self.transitions[key] = self.transitions.get(key, 0) + count
        self.subjects.extend(other.subjects)

    def as_dict(self, *, sample: int | None = None) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "evaluated": self.evaluated,
            "differing": self.differing,
            "transitions": dict(sorted(self.transitions.items())),
            "subjects": self.subjects[:sample] if sample else self.subjects,
            "fixed": self.fixed,
            "seconds": self.seconds,
        }


def colours_verify(*, fix: bool = False, day: date | None = None) -> VerifyResult:
    """Recompute every subject's colour and compare it with the one published (colour and reasons).

    Read-only unless `fix`: then the differing subjects are stored anew. Each run is kept
    (ColourVerification) and a difference is logged at ERROR, so a colour lagging its records can
    never go unnoticed. Split across processes like a whole-city pass, so it costs about as much.
    """
    started = time.perf_counter()
    day = day or timezone.localdate()
    ruleset = ruleset_for(day)
    targets = selectors.all_subject_usccs()
    result = VerifyResult(day)
    if settings.CLASSIFY_WORKERS > 1 and len(targets) >= colours.PARALLEL_MIN_SUBJECTS and _may_fork():
        for part in _in_forked_ranges(targets, _verify_range, day, ruleset.pk):
            result.add(part)
    elif targets:
        result.add(_verify_range(sorted(targets), day, ruleset.pk, forked=False))
    if fix and result.differing:
        differing = [s["uscc"] for s in result.subjects]
        result.fixed = classify(None if len(differing) > len(targets) // 2 else differing, day=day).evaluated
        result.fixed = min(result.fixed, result.differing)
    result.seconds = round(time.perf_counter() - started, 3)
    ColourVerification.objects.create(
        as_of=day, evaluated=result.evaluated, differing=result.differing, transitions=result.transitions,
        subjects=result.subjects[:VERIFY_SAMPLE], fixed=result.fixed, seconds=result.seconds,
    )  # fmt: skip
    if result.differing:
        logger.error(
            "colour verification: %d of %d subjects published with a colour or reasons that differ from "
            "their records (%s)%s", result.differing, result.evaluated, result.transitions,
            "; fixed" if result.fixed else "",
        )  # fmt: skip
    return result


def _verify_range(targets: list[str], day: date, ruleset_pk: int, forked: bool = True) -> VerifyResult:
    """Compare the published colours of the sorted, contiguous `targets` with their evaluation."""
    ruleset = Ruleset.objects.get(pk=ruleset_pk)
    span = (targets[0], targets[-1])
    records = selectors.rule_records(ruleset.rules, day, uscc_range=span)
    published = selectors.published_colours(uscc_range=span)
    result = VerifyResult(day)
    green = {"rules": [], "next_change": None}
    for uscc in targets:
        evaluation = rules.evaluate(ruleset.rules, records[uscc], day) if uscc in records else None
        computed = evaluation.colour if evaluation else rules.GREEN
        explained = json.loads(json.dumps(stored_explanation(evaluation))) if evaluation else green
        stored_colour, stored_explained = published.get(uscc, (None, None))
        result.evaluated += 1
        if stored_colour == computed and stored_explained == explained:
            continue
        key = f"{stored_colour or 'none'}→{computed}"
        result.transitions[key] = result.transitions.get(key, 0) + 1
        result.differing += 1
        result.subjects.append({"uscc": uscc, "stored": stored_colour, "computed": computed,
                                "reasons_only": stored_colour == computed})  # fmt: skip
    if forked:
        connections.close_all()
    return result
