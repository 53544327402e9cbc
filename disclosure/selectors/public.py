"""What the public may see. Every page, export and API response of the portal reads through here.

- Personal fields (ID numbers, phones, complainants) are not even in the record tables: they live
  in the private tables beside them, which nothing here touches.
- Withdrawn records and withdrawn registrations never leave this module; repaired records neither.
- Publication windows (docs/rules.md §3) are the core's `rules.is_public`: penalties 3 years (simple
  procedure 1, warning only never), licences while valid and one year after.
- Free text written by departments (violation facts, remarks, …) is redacted of anything shaped
  like a resident ID number or a phone number before it is shown: departments do paste them.
- Individual businesses are natural persons (see `disclose_subject`): their operator's name is
  masked, their address cut to the county, their capital not shown, on every surface.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.db import connections
from django.db.models import Case, Count, F, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Left
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from stdnum.cn import ric

from warning_system import standby
from warning_system.audit import selectors as audit_selectors
from warning_system.classification import rules
from warning_system.classification.models import Colour, RepairApplication, RepairStatus, SubjectColour
from warning_system.classification.selectors import colour_counts, pre_warnings
from warning_system.incentives import catalogue as incentive_catalogue
from warning_system.incentives import selectors as incentive_selectors
from warning_system.registry import contract, subject_types
from warning_system.registry.choices import SubjectType
from warning_system.registry.codes import compact_code
from warning_system.registry.models import RECORD_MODELS, District, Subject
from warning_system.registry.redaction import redact_text
from warning_system.sanctions.measures import decide, uses_of
from warning_system.sanctions.selectors import measures_in_effect

from . import citations

# Columns of a record table that are bookkeeping, not content.
PROVENANCE = frozenset({
    "id", "department", "record_id", "updated_at", "withdrawn", "subject", "uscc", "registration_number",
    "organization_code", "received_via", "run", "content_hash", "received_at", "changed_at", "subject_name",
})  # fmt: skip
# Fields never shown even though they are not personal in the contract: free text that carries
# complainants' own words, and identity-document types (meaningless without the number).
HIDDEN_FIELDS = {
    "complaint": {"summary"},
    "registration": {"legal_rep_id_type"},
    "license": {"legal_rep_id_type"},
    "penalty": {"legal_rep_id_type"},
}
ASSET_FIELDS = ("total_assets", "revenue")

# The six information classes of the national system, in page order (basic data is the subject itself).
CLASSES = (
    ("annual", gettext_noop("年度报告"), ("annual_report",)),
    ("social", gettext_noop("社会监督信息"), ("complaint",)),
    ("regulatory", gettext_noop("监管信息"), ("license", "penalty", "inspection", "abnormal_listing", "serious_violation",
                                "arrears", "honor")),
    ("property", gettext_noop("财产状态信息"), ("property_right",)),
    ("judicial", gettext_noop("司法信息"), ("court_judgment", "dishonest_debtor")),
)  # fmt: skip
PUBLIC_KINDS = tuple(kind for _, _, kinds in CLASSES for kind in kinds)
PER_KIND_LIMIT = 200

# A consumer warning (消费警示): many complaints and poor mediation in the last 12 months.
WARNING_MIN_COMPLAINTS = 5
WARNING_MAX_MEDIATION_RATE = 0.5

COLOUR_LABELS = dict(Colour.choices)


# --------------------------------------------------------------------------- redaction


def is_resident_id(value: str) -> bool:
    """stdnum's checksum test; its birth-place lookup raises KeyError on some 18-digit strings
    (a USCC of digits only, say) instead of saying "not valid"."""
    try:
        return ric.is_valid(value)
    except KeyError:
        return False


def redact(text: str) -> str:
    """Free text as shown: personal numbers in any spelling masked (the loader already stored it
    so; this covers text stored before, and any text a page adds)."""
    return redact_text(text)


# --------------------------------------------------------------------------- natural persons

# What the public sees of an individual business (个体工商户), a natural person trading under a
# licence (民法典 第五十四条), on the strictest reading of what the law makes public:
#
# - 《个人信息保护法》 第六条 (minimum necessary), 第二十五条 (a processor does not make personal
#   information public without separate consent) and 第三十四条 (a state organ processes personal
#   information only within what its statutory duty requires): the platform publishes credit
#   information about the business, not its operator's identity.
# - 《市场主体登记管理条例》 第八条 and 《市场主体登记管理条例实施细则》 第六条 register an individual
#   business's operator name and 住所, which 《个体工商户登记管理办法》 (2011, since replaced by the
#   实施细则) 第七条 defined as the operator's household-registration address: a home, not a shop.
#   The registration is public through the national enterprise credit information system
#   (《企业信息公示暂行条例》 (2014) 第六条 for enterprises; for individual businesses the SAMR's own
#   rules, its 第二十四条); nothing requires this platform to repeat the operator's full name or
#   home address.
# - ID numbers and phones are personal (ID numbers sensitive personal information, GB/T 35273-2020
#   附录 B, which 《个人信息保护法》 第二十八条 lets be processed only for a specific purpose and when
#   sufficiently necessary) and are never public at all (docs/rules.md §3); not even in the public tables.
#
# Hence: the operator's name as 张＊＊ (also where a record or free text repeats it, and as the
# business's name when it trades under the operator's own name, which 《个体工商户名称登记管理办法》
# 第八条 allows); the 住所 only to the county or district; no capital (资金数额 is the operator's
# own money and no registration item); and an operator's name finds nothing in search or batch
# checks, or the mask would be undone by asking. The business's chosen trade name, its code,
# scope, status and credit records stay public.

PERSON_MASK = "＊＊"
# Individual businesses named after their operator: matched by code only, never by name.
OWN_NAME_Q = Q(subject_type=subject_types.INDIVIDUAL_BUSINESS, name=F("legal_representative"))
# public_name (below) in SQL, for lists that annotate a subject's name in the query.
PUBLIC_NAME_SQL = Case(
    When(OWN_NAME_Q, then=Concat(Left("name", 1), Value(PERSON_MASK), output_field=TextField())),
    default="name",
    output_field=TextField(),
)
_COUNTY = re.compile(r"^[^0-9０-９号路街巷弄栋楼室村组]*?(?:自治县|县|区|旗)")


def mask_person_name(name: str | None) -> str | None:
    """张伟 -> 张＊＊: the surname's first character only; the length of the name is hidden too."""
    name = (name or "").strip()
    return name[:1] + PERSON_MASK if name else None


def public_name(name: str, subject_type: str, operator: str | None) -> str:
    """The subject's name as published: an individual business named after its operator is masked."""
    if subject_types.is_natural_person(subject_type) and operator and name.strip() == operator.strip():
        return mask_person_name(name) or name
    return name


def district_level_address(address: str | None, district_name: str | None) -> str | None:
    """江西省南昌市东湖区某某路597号 -> 江西省南昌市东湖区: no street, number, village or room."""
    if not address:
        return district_name or None
    if district_name and district_name in address:
        return address[: address.index(district_name) + len(district_name)]
    match = _COUNTY.match(address)
    return match.group(0) if match else district_name or None


def _loaded(subject: Subject, name: str) -> bool:
    return name in subject.__dict__


@lru_cache(maxsize=1024)
def _type_labels(subject_type: str, enterprise_type: str | None, prefix: str, language: str | None) -> tuple:
    """A type's labels in one language: a search page shows 50 subjects of a handful of types, so
    they are translated once per combination, not per subject."""
    return (
        str(SubjectType(subject_type).label) if subject_type in SubjectType.values else "",
        subject_types.representative_label(subject_type, enterprise_type),
        subject_types.capital_label(subject_type, prefix, enterprise_type),
        subject_types.scope_label(subject_type),
        subject_types.authority_kind(prefix),
        subject_types.authority_label(prefix),
        subject_types.category_label(prefix),
    )


def disclose_subject(subject: Subject, district_name: str | None = None) -> Subject:
    """The subject as the public may see it (an instance to show, never to save): its type's labels,
    and for a natural person the masking above. Only the fields that were loaded are touched, so a
    list that read a few columns does not read the rest."""
    subject_type = subject.subject_type
    enterprise_type = subject.__dict__.get("enterprise_type")
    subject.natural_person = subject_types.is_natural_person(subject_type)
    (
        subject.type_label,
        subject.representative_label,
        subject.capital_label,
        subject.scope_label,
        subject.authority_kind,
        subject.authority_label,
        subject.category_label,
    ) = _type_labels(subject_type, enterprise_type, subject.uscc[:2], translation.get_language())
    if not subject.natural_person or getattr(subject, "disclosed", False):
        subject.disclosed = True
        return subject
    operator = subject.__dict__.get("legal_representative")
    if _loaded(subject, "name"):
        subject.name = public_name(subject.name, subject_type, operator)
    if operator:
        subject.legal_representative = mask_person_name(operator)
        subject.operator_full_name = operator  # to mask it in free text; never rendered
    if _loaded(subject, "address"):
        subject.address = district_level_address(subject.address, district_name)
    if _loaded(subject, "registered_capital"):
        subject.registered_capital = None
    subject.disclosed = True
    return subject


def mask_operator(text: str, operator: str | None) -> str:
    """Free text with the operator's full name masked wherever a department repeated it."""
    if operator and len(operator) > 1 and operator in text:
        return text.replace(operator, mask_person_name(operator))
    return text


def _type_codes_by_label() -> dict[str, str]:
    """Subject type label in the site's language -> code: report snapshots store the label."""
    with translation.override(settings.LANGUAGE_CODE):
        return {str(label): value for value, label in SubjectType.choices}


def report_fact_label(label: str, snapshot_subject: dict) -> str:
    """The label of a report's subject fact for the subject's type (法定代表人 -> 经营者, 注册资本 ->
    开办资金 …), or "" for a fact the type does not have (the report leaves that row out)."""
    subject_type = _type_codes_by_label().get(snapshot_subject.get("type") or "")
    if subject_type is None:
        return label
    if label == gettext("法定代表人"):
        return subject_types.representative_label(subject_type)
    if label == gettext("注册资本(万元)"):
        capital = subject_types.capital_label(subject_type, snapshot_subject.get("uscc") or "")
        return gettext("%(label)s(万元)") % {"label": capital} if capital else ""
    return label


# --------------------------------------------------------------------------- subjects


def public_subjects() -> QuerySet[Subject]:
    return Subject.objects.filter(withdrawn=False)


def looks_like_code(value: str) -> bool:
    code = compact_code(value)
    return code.isascii() and code.isalnum() and len(code) in (9, 15, 18)


def subjects_by_code(code: str, base: QuerySet[Subject] | None = None) -> QuerySet[Subject]:
    """Exact USCC, registration number or organisation code, spelled any way people type them."""
    code = compact_code(code)
    base = public_subjects() if base is None else base
    return base.filter(Q(uscc=code) | Q(registration_number=code) | Q(organization_code=code))


def find_subject(code: str) -> Subject | None:
    return subjects_by_code(code).select_related("colour").first()


# --------------------------------------------------------------------------- colours


@dataclass
class Reason:
    rule: str
    label: str
    colour: str
    ends_on: str | None
    repair: str
    records: list[dict]
    # Filled in by subject_page from the records it shows (never stored): the date the reason took
    # effect and what its records say happened (which of a rule's causes applies).
    since: date | None = None
    causes: list[str] = field(default_factory=list)


@dataclass
class PublicColour:
    """A subject's colour as the public sees it, with the reasons and what happens next."""

    colour: str
    since: date | None
    evaluated_on: date | None
    reasons: list[Reason] = field(default_factory=list)
    next_change: dict | None = None
    # The date the records behind the colour took effect (subject_page); `since` is when the system
    # first published the colour, which is the data-load date for records older than the system.
    effective_since: date | None = None

    @property
    def label(self) -> str:
        return gettext(str(COLOUR_LABELS[self.colour]))

    @property
    def restrictions(self) -> list[str]:
        return restriction_flags(self)

    @property
    def restriction_labels(self) -> list[str]:
        return [restriction_label(flag) for flag in self.restrictions]

    @property
    def next_colour_label(self) -> str:
        return gettext(str(COLOUR_LABELS[self.next_change["colour"]])) if self.next_change else ""

    def as_dict(self) -> dict:
        return {
            "colour": self.colour,
            "since": self.since.isoformat() if self.since else None,
            "as_of": self.evaluated_on.isoformat() if self.evaluated_on else None,
            "reasons": [
                {"rule": r.rule, "label": r.label, "colour": r.colour, "ends_on": r.ends_on, "repair": r.repair,
                 "records": r.records}
                for r in self.reasons
            ],
            "next_change": self.next_change,
            "restrictions": self.restrictions,
        }  # fmt: skip


# Joint punishment (docs/rules.md §7): what the subject is restricted from under the measures catalogue in
# effect today (warning_system.sanctions), so the page and a joint-punishment check never disagree;
# plus the court's consumption ban that comes with being a dishonest judgment debtor.
HIGH_CONSUMPTION_BANNED = "high_consumption_banned"
HIGH_CONSUMPTION_LABEL = gettext_noop("限制高消费（失信被执行人）")


def restriction_flags(colour: PublicColour) -> list[str]:
    catalogue = measures_in_effect(timezone.localdate())
    triggered = [{"rule": reason.rule, "colour": reason.colour} for reason in colour.reasons]
    flags = [use for use in uses_of(catalogue) if decide(catalogue[use], colour.colour, triggered).restricted]
    if any(reason.rule == "dishonest_debtor" for reason in colour.reasons):
        flags.append(HIGH_CONSUMPTION_BANNED)
    return flags


def restriction_label(flag: str) -> str:
    """The measure as the catalogue in effect words it (the use's name when it has none)."""
    if flag == HIGH_CONSUMPTION_BANNED:
        return gettext(HIGH_CONSUMPTION_LABEL)
    entry = measures_in_effect(timezone.localdate()).get(flag) or {}
    # The default measures' wording is in the translation catalogue (measures.DEFAULT_MEASURES).
    return gettext(entry["measure"]) if entry.get("measure") else flag


def _public_record_ref(ref: dict) -> dict:
    return {"kind": ref["kind"], "department": ref["department"], "record_id": ref["record_id"]}


def colour_of(stored: SubjectColour | None) -> PublicColour:
    """The stored evaluation, as shown. A subject not evaluated yet has no record against it: green."""
    if stored is None:
        return PublicColour(rules.GREEN, None, None)
    explanation = stored.explanation or {}
    reasons = [
        Reason(r["rule"], gettext(r.get("label", r["rule"])), r["colour"], r.get("ends_on"),
               gettext(r.get("repair", "")), [_public_record_ref(ref) for ref in r.get("records", [])])
        for r in explanation.get("rules", [])
    ]  # fmt: skip
    return PublicColour(
        stored.colour, stored.since, stored.evaluated_on, reasons, explanation.get("next_change")
    )


def colours_of(usccs: Iterable[str]) -> dict[str, PublicColour]:
    """Colours of many subjects in one query (batch checks, lists)."""
    stored = SubjectColour.objects.filter(subject_id__in=list(usccs))
    found = {row.subject_id: colour_of(row) for row in stored}
    return {uscc: found.get(uscc) or colour_of(None) for uscc in usccs}


def subject_colour(subject: Subject) -> PublicColour:
    try:
        return colour_of(subject.colour)
    except SubjectColour.DoesNotExist:
        return colour_of(None)


# --------------------------------------------------------------------------- records


@dataclass
class RecordCard:
    kind: str
    record_id: str
    department: str
    facts: list[tuple[str, object]]  # (label, display value), empty values left out
    counts_for: str = ""  # the colour this record currently gives the subject, if any
    values: dict[str, object] = field(default_factory=dict)  # field name -> display value
    title: str = ""  # what a person cites: 文书号, 案号, the list's name (citations.citation)
    on: date | None = None  # the date the record took effect
    cause: str = ""  # what it says happened, in words
    details: list[tuple[str, object]] = field(default_factory=list)  # facts not in a table's columns

    @property
    def anchor(self) -> str:
        return f"record-{self.kind}-{self.department}-{self.record_id}"


@dataclass
class RecordSection:
    kind: str
    label: str
    records: list[RecordCard]

    @property
    def folded(self) -> int:
        """How many records the page folds away under "show more"."""
        return max(0, len(self.records) - citations.FOLD_AFTER)


@dataclass
class InfoClass:
    key: str
    label: str
    sections: list[RecordSection]


@dataclass
class ComplaintSummary:
    total: int
    last_12_months: int
    mediated: int
    mediation_success: int
    warning: bool

    @property
    def success_rate(self) -> float | None:
        return self.mediation_success / self.mediated if self.mediated else None


def display_amount(value: Decimal) -> str:
    """万元 amounts as people write them: 1,250.5, not 1250.500000."""
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _display(record, model_field) -> object:
    value = getattr(record, model_field.attname)
    if value is None or value == "" or value == []:
        return None
    if model_field.choices:
        return citations.choice_label(model_field, value)
    if isinstance(value, list):
        base = getattr(model_field, "base_field", None)
        labels = dict(base.flatchoices) if base is not None and base.choices else {}
        return gettext("、").join(gettext(str(labels.get(v, v))) for v in value)
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Decimal):
        return display_amount(value)
    if isinstance(value, str):
        return redact(value)
    return value


def public_fields(kind: str) -> list:
    model = RECORD_MODELS[kind]
    hidden = PROVENANCE | HIDDEN_FIELDS.get(kind, set())
    return [f for f in model._meta.fields if f.name not in hidden]


def _repaired(kind_pks: dict[str, list[int]]) -> set[tuple[str, int]]:
    """(kind, row id) of approved repairs among the given rows, in one query."""
    if not any(kind_pks.values()):
        return set()
    q = Q(pk__in=[])
    for kind, pks in kind_pks.items():
        if pks:
            q |= Q(kind=kind, record_pk__in=pks)
    return set(
        RepairApplication.objects.filter(q, status=RepairStatus.APPROVED).values_list("kind", "record_pk")
    )


def _as_rule_input(record, fields: list) -> dict:
    return {f.attname: getattr(record, f.attname) for f in fields} | {"withdrawn": False}


def _window_candidates(kind: str, day: date) -> Q:
    """A superset of the rows inside their publication window, in SQL, so that the per-kind limit
    counts (nearly) only public rows; `rules.is_public` then decides exactly."""
    if kind == "penalty":
        return Q(decided_on__gt=rules.add_years(day, -3)) | Q(penalty_valid_to__gte=day)
    if kind == "license":
        return Q(valid_to__isnull=True) | Q(valid_to__gte=rules.add_years(day, -1))
    return Q()


def public_record_rows(subject_uscc: str, kinds: Iterable[str], day: date | None = None) -> dict[str, list]:
    """kind -> the subject's public rows (model instances), newest first: one query per kind."""
    day = day or timezone.localdate()
    rows: dict[str, list] = {}
    for kind in kinds:
        fields = public_fields(kind)
        queryset = (
            RECORD_MODELS[kind]
            .objects.filter(_window_candidates(kind, day), subject_id=subject_uscc, withdrawn=False)
            .only("id", "record_id", "department_id", *[f.name for f in fields])
            .order_by("-updated_at", "-id")[:PER_KIND_LIMIT]
        )
        rows[kind] = [r for r in queryset if rules.is_public(kind, _as_rule_input(r, fields), day)]
    repaired = _repaired(
        {k: [r.pk for r in v] for k, v in rows.items() if k in ("penalty", "abnormal_listing")}
    )
    if repaired:
        rows = {k: [r for r in v if (k, r.pk) not in repaired] for k, v in rows.items()}
    return rows


def _card(
    kind: str, record, fields: list, counted: dict[tuple[str, str, str], str], operator: str | None = None
) -> RecordCard:
    """One record as shown; `operator` is a natural person's full name, masked wherever it appears."""
    hidden_assets = kind == "annual_report" and record.assets_public is False
    facts, values = [], {}
    for f in fields:
        if hidden_assets and f.name in ASSET_FIELDS:
            values[f.name] = gettext("企业选择不公示")
            facts.append((gettext(str(f.verbose_name)), values[f.name]))
            continue
        value = _display(record, f)
        if value is not None and operator is not None:
            value = mask_person_name(value) if f.name == "legal_representative" else value
            value = mask_operator(value, operator) if isinstance(value, str) else value
        if value is not None:
            values[f.name] = value
            # Dates as the page, the API and the report write them: 2026-08-28.
            facts.append(
                (gettext(str(f.verbose_name)), value.isoformat() if isinstance(value, date) else value)
            )
    key = (kind, record.department_id, record.record_id)
    return RecordCard(
        kind, record.record_id, record.department_id, facts, counted.get(key, ""), values,
        citations.citation(kind, values), citations.effective_on(kind, values), citations.cause(kind, values),
    )  # fmt: skip


def complaint_summary(complaints: list, day: date) -> ComplaintSummary:
    recent = [c for c in complaints if c.received_on and c.received_on > rules.add_months(day, -12)]
    mediated = [c for c in recent if c.mediation_result in ("success", "failure")]
    success = sum(1 for c in mediated if c.mediation_result == "success")
    rate = success / len(mediated) if mediated else None
    warning = len(recent) >= WARNING_MIN_COMPLAINTS and (rate is None or rate < WARNING_MAX_MEDIATION_RATE)
    return ComplaintSummary(len(complaints), len(recent), len(mediated), success, warning)


def subject_complaint_summary(uscc: str, day: date) -> ComplaintSummary:
    """Counts over all the subject's complaints (one aggregate query), not the cards shown."""
    since = rules.add_months(day, -12)
    recent = Q(received_on__gt=since)
    counts = (
        RECORD_MODELS["complaint"]
        .objects.filter(subject_id=uscc, withdrawn=False)
        .aggregate(
            total=Count("id"),
            recent=Count("id", filter=recent),
            mediated=Count("id", filter=recent & Q(mediation_result__in=("success", "failure"))),
            success=Count("id", filter=recent & Q(mediation_result="success")),
        )
    )
    rate = counts["success"] / counts["mediated"] if counts["mediated"] else None
    warning = counts["recent"] >= WARNING_MIN_COMPLAINTS and (
        rate is None or rate < WARNING_MAX_MEDIATION_RATE
    )
    return ComplaintSummary(counts["total"], counts["recent"], counts["mediated"], counts["success"], warning)


# Free text of the registration a department may have put a phone number into.
SUBJECT_FREE_TEXT = ("address", "business_scope", "registration_authority", "enterprise_type")


# --------------------------------------------------------------------------- regulators' trace


def regulator_trace(uscc: str) -> list[audit_selectors.TraceLine]:
    """Which department claimed, inspected or decided what about the subject, and when: the steps
    the audit trail holds that are public (never key supervision, never the workspace's own
    traffic), without staff names, free text or addresses. One query."""
    return audit_selectors.regulator_trace(uscc)


def shows_in_trace(action: str) -> bool:
    """Whether an audit entry of `action` appears in its subject's public trace."""
    return audit_selectors.shows_in_trace(action)


# --------------------------------------------------------------------------- pre-warnings (预警提醒)

# docs/rules.md §4: reminders shown to the subject and its regulators, never a colour. Each rests on public records.
PRE_WARNING_LABELS = {
    "licence_expiring": gettext_noop("行政许可将在 30 日内到期"),
    "annual_report_missing": gettext_noop("上一年度报告未在 6 月 30 日前报送"),
    "abnormal_three_years": gettext_noop("列入经营异常名录即将满 3 年，届时将列入严重违法失信名单"),
}


@dataclass(frozen=True)
class PreWarningLine:
    code: str
    label: str
    due_on: date


def subject_pre_warnings(uscc: str, day: date) -> list[PreWarningLine]:
    """The subject's pre-warnings on `day`, with translatable labels (the engine's messages are Chinese)."""
    return [
        PreWarningLine(w.code, gettext(PRE_WARNING_LABELS[w.code]), w.due_on)
        for w in pre_warnings(day, uscc=uscc)
        if w.code in PRE_WARNING_LABELS
    ]


@dataclass
class SubjectPage:
    subject: Subject
    colour: PublicColour
    classes: list[InfoClass]
    complaints: ComplaintSummary
    trace: list[audit_selectors.TraceLine] = field(default_factory=list)
    pre_warnings: list[PreWarningLine] = field(default_factory=list)
    # The same records in the national system's classes (行政许可, 行政处罚, 列入名单 …), for the page.
    sections: list[citations.ReportSection] = field(default_factory=list)
    # 守信激励 the subject qualifies for today (none unless green).
    incentives: list[incentive_catalogue.Incentive] = field(default_factory=list)


def subject_page(uscc: str, day: date | None = None) -> SubjectPage | None:
    """Everything the public subject page shows, in 4 + one query per public kind (the incentives
    catalogue comes from the cache)."""
    day = day or timezone.localdate()
    subject = (
        public_subjects()
        .select_related("registered_by", "colour")
        .prefetch_related("former_names")
        .filter(uscc=compact_code(uscc))
        .first()
    )
    if subject is None:
        return None
    district_name = None
    if subject_types.is_natural_person(subject.subject_type):  # its address is cut at the district's name
        district_name = (
            District.objects.filter(code=subject.district_code).values_list("name", flat=True).first()
        )
    disclose_subject(subject, district_name)
    operator = getattr(subject, "operator_full_name", None) if subject.natural_person else None
    for former in subject.former_names.all() if operator else ():  # prefetched: shown, never saved
        former.name = mask_operator(former.name, operator)
    colour = subject_colour(subject)
    counted = {
        (ref["kind"], ref["department"], ref["record_id"]): reason.colour
        for reason in colour.reasons
        for ref in reason.records
    }
    rows = public_record_rows(subject.uscc, PUBLIC_KINDS, day)
    groups: dict[str, RecordSection] = {}
    for kind in PUBLIC_KINDS:
        fields = public_fields(kind)
        cards = [_card(kind, r, fields, counted, operator) for r in rows[kind]]
        if cards:
            groups[kind] = RecordSection(kind, gettext(contract.KINDS[kind].label), cards)
    classes = [
        InfoClass(key, gettext(label), [groups[kind] for kind in kinds if kind in groups])
        for key, label, kinds in CLASSES
    ]
    citations.cite_reasons(colour, groups)
    groups = {kind: citations.as_shown(group) for kind, group in groups.items()}
    for name in SUBJECT_FREE_TEXT:
        if getattr(subject, name):
            setattr(
                subject, name, mask_operator(redact(getattr(subject, name)), operator)
            )  # shown, never saved
    return SubjectPage(
        subject, colour, classes, subject_complaint_summary(subject.uscc, day), regulator_trace(subject.uscc),
        subject_pre_warnings(subject.uscc, day), citations.report_sections(groups),
        incentive_selectors.incentives_for(subject.uscc, day),
    )  # fmt: skip


# --------------------------------------------------------------------------- city


@dataclass
class CityOverview:
    subjects: int
    by_type: list[tuple[str, int]]
    records: int
    colours: list[tuple[str, str, int]]  # (colour, label, count)


def city_overview() -> CityOverview:
    rows = dict(public_subjects().values_list("subject_type").annotate(n=Count("uscc")).order_by())
    by_type = [(label, rows.get(value, 0)) for value, label in SubjectType.choices]
    tables = [m._meta.db_table for m in RECORD_MODELS.values()]
    with connections[standby.read_alias()].cursor() as cursor:
        # Planner estimates: exact counts of millions of rows are not worth a page view.
        cursor.execute(
            "SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class WHERE relname = ANY(%s)",
            [tables],
        )
        records = cursor.fetchone()[0]
    counts = colour_counts()
    colours = [(c, gettext(str(COLOUR_LABELS[c])), counts[c]) for c in rules.COLOURS]
    return CityOverview(sum(rows.values()), by_type, records, colours)


def recent_listings(
    colours: Iterable[str] = (rules.RED, rules.ORANGE), limit: int = 10
) -> list[SubjectColour]:
    """The newest red and orange subjects, for the home page."""
    listings = list(
        SubjectColour.objects.filter(colour__in=list(colours), subject__withdrawn=False)
        .select_related("subject")
        .only("colour", "since", "explanation", "subject__uscc", "subject__name", "subject__subject_type",
              "subject__legal_representative")
        .order_by("-since", "subject_id")[:limit]
    )  # fmt: skip
    for listing in listings:
        disclose_subject(listing.subject)
    return listings


def reasons_by_subject(stored: Iterable[SubjectColour]) -> dict[str, list[str]]:
    """uscc -> the labels of the rules that colour it (lists, exports)."""
    labels: dict[str, list[str]] = defaultdict(list)
    for row in stored:
        for rule in (row.explanation or {}).get("rules", []):
            labels[row.subject_id].append(gettext(rule.get("label", rule["rule"])))
    return labels
