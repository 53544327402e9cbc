"""Reads of 联合惩戒: the catalogue in effect, what a check needs to know of its subjects (set-wise),
the checks a requester may list, and the statistics (disqualified enterprises per use and year)."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext

from warning_system.classification import rules
from warning_system.classification.models import SubjectColour
from warning_system.classification.selectors import repaired_records
from warning_system.registry import contract
from warning_system.registry.codes import compact_code
from warning_system.registry.models import RECORD_MODELS, Department, Subject

from . import measures
from .models import JointCheck, MeasuresCatalogue, Outcome, ReportedAction, RequesterKind, Use

# The labels of the shipped uses, for checks stored under a catalogue that gave none.
STORED_LABELS = dict(Use.choices)
FIND_LIMIT = 10

# What a reason shows of each record: its date and its public reference (document or case number).
RECORD_DATE = {
    "registration": "approved_on", "penalty": "decided_on", "abnormal_listing": "listed_on",
    "serious_violation": "listed_on", "dishonest_debtor": "published_on", "court_judgment": "judged_on",
    "inspection": "inspected_on", "arrears": "since", "complaint": "received_on",
}  # fmt: skip
RECORD_REFERENCE = {
    "penalty": "document_number", "serious_violation": "document_number", "dishonest_debtor": "case_number",
    "court_judgment": "case_number", "abnormal_listing": "listing_document_number",
}  # fmt: skip
# What rules.is_public reads of a penalty.
PENALTY_PUBLICATION = ("penalty_categories", "procedure", "decided_on", "penalty_valid_to")


# --------------------------------------------------------------------------- catalogue


def catalogue_for(day: date) -> MeasuresCatalogue | None:
    """The newest version in effect on `day` (the seed version is effective from the start)."""
    found = MeasuresCatalogue.objects.filter(effective_from__lte=day).order_by("-effective_from", "-version")
    return found.first() or MeasuresCatalogue.objects.order_by("version").first()


MEASURES_TOKEN_KEY = "sanctions:measures:token"
# Each process also keeps what it read for a few seconds: a 10,000-code batch check asks for the
# measures once per subject, and two cache round trips each would cost seconds.
_LOCAL_SECONDS = 10
_local: dict[date, tuple[float, dict]] = {}


def measures_in_effect(day: date) -> dict[str, dict]:
    """The measures of the version in effect on `day`, from the cache (shared, then this
    process's for `_LOCAL_SECONDS`). A published version changes the shared token (services) and
    forgets this process's copies; other processes see it within `_LOCAL_SECONDS`."""
    held = _local.get(day)
    if held is not None and time.monotonic() - held[0] < _LOCAL_SECONDS:
        return held[1]
    token = cache.get(MEASURES_TOKEN_KEY, "0")
    key = f"sanctions:measures:{token}:{day.isoformat()}"
    found = cache.get(key)
    if found is None:
        catalogue = catalogue_for(day)
        found = catalogue.measures if catalogue is not None else measures.default_measures()
        cache.set(key, found, timeout=24 * 3600)
    _local.clear()
    _local[day] = (time.monotonic(), found)
    return found


def use_label(use: str, catalogue_measures: dict | None = None) -> str:
    """A use's label: the catalogue's (in force today unless given), else the shipped one, else its key."""
    if catalogue_measures is None:
        catalogue_measures = measures_in_effect(timezone.localdate())
    return measures.label_of(catalogue_measures, use, str(STORED_LABELS.get(use, "")))


def uses_in_effect(day: date | None = None) -> list[tuple[str, str]]:
    """(use, label) of every use of the catalogue in force, in its order: what a check may ask for."""
    found = measures_in_effect(day or timezone.localdate())
    return [(use, use_label(use, found)) for use in measures.uses_of(found)]


def use_filter_choices() -> list[tuple[str, str]]:
    """What a list of stored checks can be filtered by: the uses in force, then shipped ones dropped since."""
    in_force = uses_in_effect()
    known = {use for use, _label in in_force}
    return in_force + [(use, str(label)) for use, label in STORED_LABELS.items() if use not in known]


def forget_local_measures() -> None:
    _local.clear()


def catalogue_versions() -> QuerySet[MeasuresCatalogue]:
    return MeasuresCatalogue.objects.select_related("author").order_by("-version")


def catalogue_version(version: int) -> MeasuresCatalogue | None:
    return catalogue_versions().filter(version=version).first()


def rule_choices() -> list[tuple[str, str]]:
    """The list rules a use may name, with the labels of the colour engine's defaults."""
    labels = {rule["key"]: gettext(rule["label"]) for rule in rules.DEFAULT_RULES}
    return [(key, labels.get(key, key)) for key in measures.LIST_RULES]


# --------------------------------------------------------------------------- subjects


def find_subjects(text: str) -> list[tuple[str, str]]:
    """(uscc, name) of the subjects a user means: a code in any spelling (USCC, registration number,
    organisation code), else an exact name. At most FIND_LIMIT."""
    text = (text or "").strip()
    if not text:
        return []
    code = compact_code(text)
    query = Q(uscc=code) | Q(registration_number=code) | Q(organization_code=code) | Q(name=text)
    rows = Subject.objects.filter(query, withdrawn=False).order_by("uscc").values_list("uscc", "name")
    return list(rows[:FIND_LIMIT])


@dataclass(frozen=True)
class SubjectState:
    uscc: str
    name: str
    colour: str
    triggered: list[dict]  # the engine's explanation of its rules


def subject_states(usccs: Iterable[str]) -> dict[str, SubjectState]:
    """The registered (not withdrawn) subjects among `usccs` with their stored colour and rules, in
    one query. A subject the engine has not evaluated has nothing against it: green."""
    rows = (
        Subject.objects.filter(uscc__in=sorted(set(usccs)), withdrawn=False)
        .select_related("colour")
        .only("uscc", "name", "colour__colour", "colour__explanation")
    )
    states = {}
    for subject in rows:
        try:
            stored: SubjectColour | None = subject.colour
        except SubjectColour.DoesNotExist:
            stored = None
        colour = stored.colour if stored else rules.GREEN
        triggered = list((stored.explanation or {}).get("rules", [])) if stored else []
        states[subject.uscc] = SubjectState(subject.uscc, subject.name, colour, triggered)
    return states


def record_details(refs: Iterable[dict], day: date) -> dict[tuple[str, int], dict]:
    """(kind, id) -> what a reason shows of the record, for the records that are public on `day`
    (withdrawn, repaired and out-of-window records are left out). One query per kind, plus the
    department names."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for ref in refs:
        if ref.get("kind") in RECORD_MODELS and ref.get("id") is not None:
            by_kind[ref["kind"]].add(ref["id"])
    details: dict[tuple[str, int], dict] = {}
    departments = dict(Department.objects.values_list("code", "name")) if by_kind else {}
    for kind, ids in by_kind.items():
        date_field, reference_field = RECORD_DATE.get(kind), RECORD_REFERENCE.get(kind)
        fields = {"id", "department_id", "record_id", "withdrawn"}
        fields.update(f for f in (date_field, reference_field) if f)
        if kind == "penalty":
            fields.update(PENALTY_PUBLICATION)
        rows = list(RECORD_MODELS[kind].objects.filter(pk__in=sorted(ids)).values(*sorted(fields)))
        repaired = repaired_records(kind, ids) if kind in ("penalty", "abnormal_listing") else set()
        kind_label = contract.KINDS[kind].label if kind in contract.KINDS else kind
        for row in rows:
            if row["id"] in repaired or not rules.is_public(kind, row, day):
                continue
            happened = row.get(date_field) if date_field else None
            details[kind, row["id"]] = {
                "kind": kind,
                "kind_label": kind_label,
                "department": row["department_id"],
                "department_name": departments.get(row["department_id"], row["department_id"]),
                "record_id": row["record_id"],
                "date": happened.isoformat() if happened else None,
                "reference": (row.get(reference_field) or "") if reference_field else "",
            }
    return details


# --------------------------------------------------------------------------- checks


def checks() -> QuerySet[JointCheck]:
    return JointCheck.objects.select_related("subject", "catalogue", "department", "user", "reported_by")


def checks_visible_to(department_id: str, sees_all: bool) -> QuerySet[JointCheck]:
    """A department's own checks; the city's for its leaders' view (leaders and administrators)."""
    found = checks()
    return found if sees_all else found.filter(department_id=department_id)


def institution_checks(institution_id: int) -> QuerySet[JointCheck]:
    return checks().filter(requester_kind=RequesterKind.INSTITUTION, institution_id=institution_id)


# --------------------------------------------------------------------------- statistics

APPLIED = ~Q(reported_action__in=["", ReportedAction.NONE])


@dataclass
class YearRow:
    year: int
    counts: dict[str, int]  # use -> distinct enterprises
    uses: list[str] = field(default_factory=list)  # the columns: the uses in force, then any others stored

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(use, 0) for use in self.uses]


def _columns(stored: Iterable[str]) -> list[str]:
    """The uses in force, then the uses of stored checks a later catalogue dropped (sorted)."""
    in_force = [use for use, _label in uses_in_effect()]
    return in_force + sorted(set(stored) - set(in_force))


def disqualified_by_year(base: QuerySet[JointCheck] | None = None) -> list[YearRow]:
    """Distinct subjects per use and year (of the measure's date) against which the asker reported
    applying a restriction, newest year first. One grouped query."""
    base = JointCheck.objects.all() if base is None else base
    rows = (
        base.filter(APPLIED, reported_on__isnull=False)
        .annotate(year=ExtractYear("reported_on"))
        .values("year", "use")
        .annotate(n=Count("subject_id", distinct=True))
        .order_by()
    )
    years: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        years[row["year"]][row["use"]] = row["n"]
    columns = _columns(use for counts in years.values() for use in counts)
    return [YearRow(year, years[year], columns) for year in sorted(years, reverse=True)]


def use_headings(rows: list[YearRow] | None = None) -> list[str]:
    """The statistics' column labels: those of `rows` (or the uses in force when there are none)."""
    columns = rows[0].uses if rows else _columns(())
    return [use_label(use) for use in columns]


@dataclass
class UseRow:
    use: str
    label: str
    allowed: int
    restricted: int
    reported: int
    applied: int

    @property
    def total(self) -> int:
        return self.allowed + self.restricted


def checks_by_use(base: QuerySet[JointCheck]) -> list[UseRow]:
    """Checks per use: allowed, restricted, answered, and restrictions applied. One query."""
    rows = {
        row["use"]: row
        for row in base.values("use")
        .annotate(
            allowed=Count("pk", filter=Q(outcome=Outcome.ALLOWED)),
            restricted=Count("pk", filter=Q(outcome=Outcome.RESTRICTED)),
            reported=Count("pk", filter=~Q(reported_action="")),
            applied=Count("pk", filter=APPLIED),
        )
        .order_by()
    }
    empty = {"allowed": 0, "restricted": 0, "reported": 0, "applied": 0}
    return [
        UseRow(use, use_label(use), **{k: rows.get(use, empty)[k] for k in empty}) for use in _columns(rows)
    ]


@dataclass
class RequesterRow:
    label: str
    kind: str
    checks: int
    restricted: int
    applied: int


def checks_by_requester(base: QuerySet[JointCheck]) -> list[RequesterRow]:
    """Per asking department or institution, most checks first. One query."""
    rows = (
        base.values("requester_kind", "requester_label")
        .annotate(
            checks=Count("pk"),
            restricted=Count("pk", filter=Q(outcome=Outcome.RESTRICTED)),
            applied=Count("pk", filter=APPLIED),
        )
        .order_by("-checks", "requester_label")
    )
    kinds = dict(RequesterKind.choices)
    return [
        RequesterRow(r["requester_label"], str(kinds.get(r["requester_kind"], r["requester_kind"])),
                     r["checks"], r["restricted"], r["applied"])
        for r in rows
    ]  # fmt: skip
