"""Everything the public portal reads goes through here: this module decides what is public.

Personal fields are not even in the record tables (see the private tables beside them); withdrawn records
and withdrawn registrations never leave this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils.translation import gettext

from warning_system.registry import contract
from warning_system.registry.choices import SubjectType
from warning_system.registry.codes import compact_code
from warning_system.registry.models import RECORD_MODELS, Subject

SEARCH_LIMIT = 50
PROVENANCE = {
    "id",
    "department",
    "record_id",
    "updated_at",
    "withdrawn",
    "subject",
    "uscc",
    "registration_number",
    "organization_code",
    "received_via",
    "run",
    "content_hash",
    "received_at",
    "changed_at",
}
PUBLIC_KINDS = [k for k in contract.KINDS if k != "registration"]


def public_subjects():
    return Subject.objects.filter(withdrawn=False)


@dataclass
class CityOverview:
    subjects: int
    by_type: list[tuple[str, int]]
    records: int


def city_overview() -> CityOverview:
    rows = dict(public_subjects().values_list("subject_type").annotate(n=Count("uscc")).order_by())
    by_type = [(label, rows.get(value, 0)) for value, label in SubjectType.choices]
    tables = [m._meta.db_table for m in RECORD_MODELS.values()]
    with connection.cursor() as cursor:
        # Planner estimates: exact counts of millions of rows are not worth a page view.
        cursor.execute(
            "SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
        records = cursor.fetchone()[0]
    return CityOverview(sum(rows.values()), by_type, records)


def search_subjects(query: str):
    """Exact code (USCC, registration number or organisation code) or name: exact > prefix > substring."""
    query = (query or "").strip()
    if len(query) < 2:
        return public_subjects().none()
    code = compact_code(query)
    if code.isalnum() and len(code) in (9, 15, 18) and code.isascii():
        by_code = public_subjects().filter(
            Q(uscc=code) | Q(registration_number=code) | Q(organization_code=code)
        )
        if by_code.exists():
            return by_code[:SEARCH_LIMIT]
    rank = Case(
        When(name=query, then=Value(0)),
        When(name__startswith=query, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        public_subjects()
        .filter(Q(name__contains=query) | Q(legal_representative=query))
        .annotate(rank=rank)
        .order_by("rank", "name")[:SEARCH_LIMIT]
    )


@dataclass
class RecordCard:
    facts: list[tuple[str, object]]  # (label, display value), empty values left out


@dataclass
class RecordSection:
    kind: str
    label: str
    records: list[RecordCard]


def display_amount(value: Decimal) -> str:
    """万元 amounts as people write them: 1,250.5, not 1250.500000."""
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _display(record, field) -> object:
    value = getattr(record, field.attname)
    if value is None or value == "":
        return None
    if field.choices:
        return gettext(str(dict(field.flatchoices).get(value, value)))
    if isinstance(value, list):
        labels = dict(field.base_field.flatchoices) if getattr(field, "base_field", None) else {}
        return gettext("、").join(gettext(str(labels.get(v, v))) for v in value)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Decimal):
        return display_amount(value)
    return value


def subject_records(subject: Subject) -> list[RecordSection]:
    """The subject's public records, one section per kind (one query per kind, never per record)."""
    sections = []
    for kind in PUBLIC_KINDS:
        model = RECORD_MODELS[kind]
        public = [f for f in model._meta.fields if f.name not in PROVENANCE and f.name != "subject_name"]
        records = model.objects.filter(subject=subject, withdrawn=False).only(*[f.name for f in public])
        cards = []
        for record in records.order_by("-updated_at")[:200]:
            facts = [(gettext(str(f.verbose_name)), _display(record, f)) for f in public]
            cards.append(RecordCard([(label, value) for label, value in facts if value is not None]))
        if cards:
            sections.append(RecordSection(kind, gettext(contract.KINDS[kind].label), cards))
    return sections


def subject_detail(uscc: str) -> Subject | None:
    return (
        public_subjects()
        .select_related("registered_by")
        .prefetch_related("former_names")
        .filter(uscc=compact_code(uscc))
        .first()
    )
