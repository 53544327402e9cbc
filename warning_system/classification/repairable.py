"""Which of a subject's counted records it may apply to repair, and where its applications stand.

Read by the enterprise's own pages: beside each record behind its colour, whether the rules in force
today allow an application (the engine's own `repair_eligibility`, the test the decision repeats),
the conditions in words, and the newest application with its outcome.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from warning_system.classification import rules
from warning_system.classification.models import RepairApplication, RepairStatus, SubjectColour
from warning_system.classification.selectors import RULE_FIELDS, repair_eligibility, ruleset_for
from warning_system.registry import contract
from warning_system.registry.models import RECORD_MODELS


@dataclass
class RepairOption:
    kind: str
    kind_label: str
    record_pk: int
    record_id: str
    department_id: str
    rule_label: str
    colour: str
    conditions: str
    eligible: bool
    why_not: str
    application: RepairApplication | None
    open_objection: object | None = None  # set by the enterprise's pages (an objection under way)

    @property
    def may_apply(self) -> bool:
        return self.eligible and (self.application is None or self.application.status != RepairStatus.PENDING)


def repair_options(uscc: str, day: date | None = None) -> list[RepairOption]:
    """One line per record behind the subject's colour, in the colour's order; a query per kind."""
    day = day or timezone.localdate()
    stored = SubjectColour.objects.filter(subject_id=uscc).first()
    if stored is None:
        return []
    refs = [
        (reason, ref)
        for reason in (stored.explanation or {}).get("rules", [])
        for ref in reason.get("records", [])
        if ref.get("id") is not None and ref["kind"] in RECORD_MODELS
    ]
    by_kind: dict[str, list[int]] = defaultdict(list)
    for _reason, ref in refs:
        by_kind[ref["kind"]].append(ref["id"])
    records = {}
    for kind, pks in by_kind.items():
        fields = ("id", "department_id", "record_id", "subject_id", *RULE_FIELDS.get(kind, ()))
        for row in RECORD_MODELS[kind].objects.filter(pk__in=pks, subject_id=uscc).values(*fields):
            records[(kind, row["id"])] = row
    latest = {}
    for application in RepairApplication.objects.filter(subject_id=uscc).order_by("submitted_at", "id"):
        latest[(application.kind, application.record_pk)] = application
    ruleset = ruleset_for(day)
    repair = (ruleset.repair if ruleset is not None else None) or rules.DEFAULT_REPAIR
    options, seen = [], set()
    for reason, ref in refs:
        key = (ref["kind"], ref["id"])
        record = records.get(key)
        if record is None or key in seen:
            continue
        seen.add(key)
        eligible, why = repair_eligibility(ref["kind"], record, day, repair)
        options.append(
            RepairOption(
                kind=ref["kind"], kind_label=str(contract.KINDS[ref["kind"]].label), record_pk=record["id"],
                record_id=record["record_id"], department_id=record["department_id"],
                rule_label=reason.get("label", reason["rule"]), colour=reason["colour"],
                conditions=reason.get("repair", ""), eligible=eligible, why_not=why,
                application=latest.get(key),
            )
        )  # fmt: skip
    return options


def repair_option(uscc: str, kind: str, record_pk: int, day: date | None = None) -> RepairOption | None:
    return next((o for o in repair_options(uscc, day) if (o.kind, o.record_pk) == (kind, record_pk)), None)


def subject_applications(uscc: str):
    return (
        RepairApplication.objects.filter(subject_id=uscc)
        .select_related("department")
        .prefetch_related("steps", "evidence")
    )
