"""Rulesets published as new versions (the subjects they affect re-evaluated at once), and the daily
job: the subjects whose colour falls due, then the day's counts."""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from warning_system.audit import chain
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

from .. import rules, selectors
from ..models import (
    DailyColourCount,
    Ruleset,
    SubjectColour,
)
from .colours import (
    ClassifyResult,
    classify,
    ruleset_for,
)


def daily_counts_record(day: date | None = None) -> DailyColourCount:
    day = day or timezone.localdate()
    counts = selectors.colour_counts()
    row, _ = DailyColourCount.objects.update_or_create(day=day, defaults=counts)
    return row


def reclassify_due(day: date | None = None) -> ClassifyResult:
    """The daily job: only subjects whose next change falls due, then the day's counts."""
    day = day or timezone.localdate()
    due = set(selectors.due_subjects(day))
    # A ruleset published ahead of time takes effect today: its subjects are due too.
    for ruleset in Ruleset.objects.filter(effective_from=day, version__gt=1):
        previous = Ruleset.objects.filter(version__lt=ruleset.version).order_by("-version").first()
        due |= affected_subjects(previous.rules if previous else [], ruleset.rules)
    result = classify(due, day=day)
    daily_counts_record(day)
    return result


def ruleset_publish(
    *, rules_data: list[dict], repair: dict | None = None, effective_from: date | None = None,
    author=None, note: str = "",
) -> tuple[Ruleset, ClassifyResult | None]:  # fmt: skip
    """A new version (never an edit in place); recompute the subjects whose records the change affects.

    One transaction: the version, the colours it gives and its audit entry commit together. The
    entry is written last, because the audit chain's lock is held from then until the commit.
    """
    previous = ruleset_for(effective_from or timezone.localdate())
    with transaction.atomic():
        latest = Ruleset.objects.select_for_update().order_by("-version").first()
        ruleset = Ruleset.objects.create(
            version=(latest.version + 1) if latest else 1,
            rules=rules_data,
            repair=repair if repair is not None else (previous.repair if previous else rules.DEFAULT_REPAIR),
            effective_from=effective_from or timezone.localdate(),
            author=author,
            note=note,
        )
        result = None
        if ruleset.effective_from <= timezone.localdate():
            result = classify(affected_subjects(previous.rules if previous else [], rules_data))
        audit_record(
            action=Action.RULESET_CHANGE, actor=author, obj=ruleset,
            before=_ruleset_facts(latest) if latest else None, after=_ruleset_facts(ruleset),
        )  # fmt: skip
    return ruleset, result


def _ruleset_facts(ruleset: Ruleset) -> dict:
    """What the trail keeps of a version: the rules themselves by digest (the version row holds them)."""
    return {
        "version": ruleset.version,
        "effective_from": ruleset.effective_from,
        "author": ruleset.author.get_username() if ruleset.author else "",
        "note": ruleset.note,
        "rules_sha256": hashlib.sha256(chain.canonical(ruleset.rules).encode()).hexdigest(),
        "repair_sha256": hashlib.sha256(chain.canonical(ruleset.repair).encode()).hexdigest(),
    }


def affected_subjects(old_rules: list[dict], new_rules: list[dict]) -> set[str]:
    """Subjects with records of a kind whose rules changed, under the old or the new rules."""

    def by_kind(rule_list):
        grouped: dict[str, list] = {}
        for rule in rule_list:
            grouped.setdefault(rules._rule_kind(rule), []).append(rule)
        return grouped

    old, new = by_kind(old_rules), by_kind(new_rules)
    changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
    day = timezone.localdate()
    touched: set[str] = set()
    for rule_list in (old_rules, new_rules):
        relevant = [r for r in rule_list if rules._rule_kind(r) in changed]
        touched.update(selectors.rule_records(relevant, day).keys())
    touched.update(SubjectColour.objects.exclude(colour=rules.GREEN).values_list("subject_id", flat=True))
    return touched
