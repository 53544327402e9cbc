"""How the public page names a record: what a person would cite (文书号, 案号, the list and its date),
the record's own effective date, and its cause in words; plus the information classes of the national
enterprise credit information system (GSXT) that the subject page is laid out in.

Pure functions over a record's display values (already redacted and masked by `selectors.public`), so
they add no query and nothing a page does not already show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext, gettext_noop

from warning_system.classification import rules
from warning_system.registry import contract
from warning_system.registry.models import RECORD_MODELS

# The field that holds the number a person cites, per kind (the first one filled in wins).
CITATION_FIELDS = {
    "license": ("document_number", "license_number"),
    "penalty": ("document_number",),
    "abnormal_listing": ("listing_document_number",),
    "serious_violation": ("document_number",),
    "court_judgment": ("case_number",),
    "dishonest_debtor": ("case_number",),
    "property_right": ("registration_no",),
    "honor": ("honor_name",),
    "inspection": ("task_name",),
}
# The date the record took effect: a listing's 列入日期, a decision's date, a court's publication.
EFFECTIVE_DATE_FIELDS = {
    "license": "decided_on",
    "penalty": "decided_on",
    "abnormal_listing": "listed_on",
    "serious_violation": "listed_on",
    "court_judgment": "judged_on",
    "dishonest_debtor": "published_on",
    "arrears": "since",
    "property_right": "registered_on",
    "complaint": "received_on",
    "inspection": "inspected_on",
    "annual_report": "submitted_on",
    "honor": "awarded_on",
}
# What the record says happened, in the contract's words (e.g. an inspection's result).
CAUSE_FIELDS = {
    "penalty": "penalty_categories",
    "abnormal_listing": "listing_reason",
    "serious_violation": "listing_reason",
    "dishonest_debtor": "performance",
    "arrears": "arrears_type",
    "property_right": "right_type",
    "complaint": "mediation_result",
    "inspection": "result",
    "license": "status",
    "court_judgment": "cause",
}
# Names of the lists, for a listing without a decision number.
LIST_NAMES = {
    "abnormal_listing": gettext_noop("经营异常名录"),
    "serious_violation": gettext_noop("严重违法失信名单"),
    "dishonest_debtor": gettext_noop("失信被执行人名单"),
}
COURT_REFUSAL = gettext_noop("有履行能力而拒不履行生效裁判")

# The information classes of the national system, in page order, as its users know them.
REPORT_SECTIONS = (
    ("license", gettext_noop("行政许可"), ("license",)),
    ("penalty", gettext_noop("行政处罚"), ("penalty",)),
    ("lists", gettext_noop("列入名单"), ("abnormal_listing", "serious_violation", "dishonest_debtor")),
    ("judicial", gettext_noop("司法信息"), ("court_judgment",)),
    ("arrears", gettext_noop("欠款信息"), ("arrears",)),
    ("property", gettext_noop("财产状态"), ("property_right",)),
    ("inspection", gettext_noop("抽查检查"), ("inspection",)),
    ("annual", gettext_noop("年度报告"), ("annual_report",)),
    ("social", gettext_noop("社会监督"), ("complaint",)),
    ("honor", gettext_noop("荣誉信息"), ("honor",)),
)
OPTIONAL_SECTIONS = frozenset({"honor"})  # shown only when the subject has such records
FOLD_AFTER = 5  # records shown before the rest of a long history is folded


@lru_cache(maxsize=256)
def _enum_labels(kind: str, name: str) -> dict[str, str]:
    """Code -> the label a person reads: the contract's first spelling that is a word, not a code
    (license status `valid` is spelled "1" or "有效" by departments; the page says 有效)."""
    spec = contract.KINDS.get(kind)
    found = next((f for f in spec.fields if f.key == name), None) if spec else None
    if found is None or not found.enum:
        return {}
    labels = {}
    for code, spellings in contract.ENUMS[found.enum].items():
        words = [s for s in spellings if not s.isdigit()]
        labels[code] = words[0] if words else (spellings[0] if spellings else code)
    return labels


def choice_label(model_field, value: str) -> str:
    """The translated label of an enumerated value of a record table's column."""
    table = model_field.model._meta.db_table
    kind = table.removeprefix("registry_")
    label = _enum_labels(kind, model_field.name).get(value)
    if label is None:
        label = str(dict(model_field.flatchoices).get(value, value))
    return gettext(label)


def citation(kind: str, values: dict) -> str:
    """What a person would cite for the record: its number, else the list's or the record's name."""
    for name in CITATION_FIELDS.get(kind, ()):
        if values.get(name):
            return str(values[name])
    if kind in LIST_NAMES:
        return gettext(LIST_NAMES[kind])
    if kind == "annual_report" and values.get("year"):
        return gettext("%(year)s 年度报告") % {"year": values["year"]}
    if kind == "arrears":
        return " ".join(str(v) for v in (values.get("arrears_type"), values.get("creditor")) if v)
    if kind == "complaint" and values.get("category"):
        return gettext("投诉：%(category)s") % {"category": values["category"]}
    if kind == "inspection" and values.get("inspection_type"):
        return gettext("%(type)s检查") % {"type": values["inspection_type"]}
    return gettext(contract.KINDS[kind].label)


def effective_on(kind: str, values: dict) -> date | None:
    value = values.get(EFFECTIVE_DATE_FIELDS.get(kind, ""))
    return value if isinstance(value, date) else None


def cause(kind: str, values: dict) -> str:
    if kind == "court_judgment" and values.get("refuses_to_perform") == gettext("是"):
        return gettext(COURT_REFUSAL)
    value = values.get(CAUSE_FIELDS.get(kind, ""))
    return str(value) if value else ""


@dataclass
class ReportSection:
    """One information class of the page: its groups (a record kind each) and how many records."""

    key: str
    label: str
    groups: list = field(default_factory=list)  # selectors.public.RecordSection

    @property
    def count(self) -> int:
        return sum(len(group.records) for group in self.groups)


def report_sections(groups: dict[str, object]) -> list[ReportSection]:
    """kind -> RecordSection (only kinds with records) into the national classes, in page order."""
    sections = []
    for key, label, kinds in REPORT_SECTIONS:
        section = ReportSection(key, gettext(label), [groups[kind] for kind in kinds if kind in groups])
        if section.groups or key not in OPTIONAL_SECTIONS:
            sections.append(section)
    return sections


# The annual reports' table columns; the other facts of a year are shown on demand.
ANNUAL_COLUMNS = ("year", "submitted_on", "employees", "total_assets", "revenue")


def one_per_year(cards: list) -> list:
    """Annual reports newest year first, one per year (the newest delivery of a year wins), each
    with `details`: its facts other than the table's columns."""
    model = RECORD_MODELS["annual_report"]
    in_columns = {gettext(str(model._meta.get_field(name).verbose_name)) for name in ANNUAL_COLUMNS}
    seen, kept = set(), []
    for card in sorted(cards, key=lambda c: -(c.values.get("year") or 0)):
        year = card.values.get("year")
        if year in seen:
            continue
        seen.add(year)
        card.details = [(label, value) for label, value in card.facts if label not in in_columns]
        kept.append(card)
    return kept


def as_shown(group):
    """A RecordSection in the page's order (the API keeps the delivery order): records that count for the colour
    first, so that a reason's link never points into a folded history, then newest first; annual
    reports one row a year."""
    if group.kind == "annual_report":
        return replace(group, records=one_per_year(group.records))
    records = sorted(group.records, key=lambda c: (not c.counts_for, -(c.on.toordinal() if c.on else 0)))
    return replace(group, records=records)


def _reason_since(rule: str, dates: list[date]) -> date | None:
    """The day a reason took effect: its earliest record's date; failed mediations apply from the
    count-th failure in the window on (the default ruleset's count: the page reads no ruleset)."""
    if not dates:
        return None
    if rule == "failed_mediations":
        count = next((r.get("count", 1) for r in rules.DEFAULT_RULES if r["key"] == rule), 1)
        return sorted(dates)[min(count, len(dates)) - 1]
    return min(dates)


def cite_reasons(colour, groups: dict) -> None:
    """Each reason's records named as a person cites them, with their dates, causes and anchors on
    the page, from the cards the page shows (no query). A record the page does not show (a rule
    reading the registration, say) is named by its kind, never by its internal id."""
    cards = {(c.kind, c.department, c.record_id): c for g in groups.values() for c in g.records}
    for reason in colour.reasons:
        dates, causes = [], []
        for ref in reason.records:
            card = cards.get((ref["kind"], ref["department"], ref["record_id"]))
            if card is None:
                ref |= {
                    "cite": gettext(contract.KINDS[ref["kind"]].label),
                    "on": None,
                    "cause": "",
                    "anchor": None,
                }
                continue
            ref |= {"cite": card.title, "on": card.on, "cause": card.cause, "anchor": card.anchor}
            if card.on:
                dates.append(card.on)
            if card.cause and card.cause not in causes and card.cause != reason.label:
                causes.append(card.cause)
        reason.since = _reason_since(reason.rule, dates)
        reason.causes = causes
    # Green with nothing against the subject dates from no record: the day it was first evaluated
    # (the data-load day) would read as an event, so none is given.
    top = [r.since for r in colour.reasons if r.colour == colour.colour and r.since]
    colour.effective_since = min(top) if top else (colour.since if colour.reasons else None)
