"""Reads of 联动监管 and 重点监管: the department's inbox, rules, key supervisions and alerts, the
records they point at (one query per kind on a page), and the home tiles."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from supervision.filters.linked import InboxFilter, KeyAlertFilter, KeySupervisionFilter
from supervision.models import InboxItem, KeySupervision, KeySupervisionAlert, LinkedKind, Subscription
from supervision.selectors.queues import Queue
from warning_system.accounts.models import StaffProfile
from warning_system.classification.models import Colour
from warning_system.registry import contract
from warning_system.registry.models import RECORD_MODELS, District, KindRecord, enum_choices

PAGE_SIZE = 30

# The field that names a record in a list, and the date it is about, per kind.
TITLE_FIELDS = {
    "registration": "name", "license": "certificate_name", "penalty": "violation_type",
    "abnormal_listing": "listing_reason", "serious_violation": "listing_reason",
    "court_judgment": "case_number", "dishonest_debtor": "case_number", "arrears": "arrears_type", "property_right": "right_type",
    "complaint": "category", "inspection": "result", "annual_report": "year", "honor": "honor_name",
}  # fmt: skip
DATE_FIELDS = {
    "registration": "approved_on", "license": "decided_on", "penalty": "decided_on",
    "abnormal_listing": "listed_on", "serious_violation": "listed_on", "court_judgment": "judged_on",
    "dishonest_debtor": "published_on", "arrears": "since", "property_right": "registered_on",
    "complaint": "received_on", "inspection": "inspected_on", "annual_report": "submitted_on",
    "honor": "awarded_on",
}  # fmt: skip


@dataclass(frozen=True)
class RecordSummary:
    kind_label: str
    title: str
    day: date | None
    withdrawn: bool


def kind_label(kind: str) -> str:
    return gettext(contract.KINDS[kind].label) if kind in contract.KINDS else kind


def display_value(record: KindRecord, name: str) -> str:
    """A column as people read it: enumeration labels, not codes; '' for no value."""
    value = getattr(record, name)
    if value is None or value == "" or value == []:
        return ""
    field = record._meta.get_field(name)
    choices = dict(getattr(field, "base_field", field).choices or ())
    if isinstance(value, list):
        return gettext("、").join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(choices.get(value, value))


def record_facts(record: KindRecord) -> list[tuple[str, str]]:
    """Label and value of each public column the record fills (personal fields live elsewhere)."""
    facts = [(str(record._meta.get_field("subject_name").verbose_name), record.subject_name or "")]
    for field in record.kind.public_fields:
        facts.append((str(record._meta.get_field(field.key).verbose_name), display_value(record, field.key)))
    return [(label, value) for label, value in facts if value]


def summarise(record: KindRecord) -> RecordSummary:
    key = record.kind.key
    title = display_value(record, TITLE_FIELDS[key]) if key in TITLE_FIELDS else ""
    if not title and hasattr(record, "document_number"):
        title = record.document_number or ""
    return RecordSummary(
        kind_label=gettext(record.kind.label),
        title=title or record.record_id,
        day=getattr(record, DATE_FIELDS.get(key, ""), None),
        withdrawn=record.withdrawn,
    )


def record_of(kind: str, record_pk: int) -> KindRecord | None:
    if kind not in RECORD_MODELS:
        return None
    return RECORD_MODELS[kind].objects.filter(pk=record_pk).first()


def attach_records(rows: Iterable) -> list:
    """Set `.record` and `.summary` on rows carrying `kind` and `record_pk`: one query per kind present."""
    rows = list(rows)
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.kind].add(row.record_pk)
    found: dict[tuple[str, int], KindRecord] = {}
    for kind, pks in wanted.items():
        if kind in RECORD_MODELS:
            for record in RECORD_MODELS[kind].objects.filter(pk__in=sorted(pks)):
                found[kind, record.pk] = record
    for row in rows:
        row.record = found.get((row.kind, row.record_pk))
        row.summary = summarise(row.record) if row.record is not None else None
    return rows


def page_of(rows, number, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(rows, per_page).get_page(number)


def records_page(rows, number, per_page: int = PAGE_SIZE) -> Page:
    """A page of inbox items or alerts, each with its record."""
    page = page_of(rows, number, per_page)
    page.object_list = attach_records(page.object_list)
    return page


# --------------------------------------------------------------------------- subscriptions and the inbox


def subscriptions_exist(kind: str) -> bool:
    """Whether any department follows `kind` at all: a city without rules routes nothing."""
    return Subscription.objects.filter(active=True, kinds__contains=[kind]).exists()


def department_subscriptions(department_id: str) -> QuerySet[Subscription]:
    return Subscription.objects.filter(department_id=department_id).select_related("updated_by")


def subscription_conditions(rule: Subscription, district_names: Mapping[str, str]) -> list[str]:
    """The rule's filters as sentences; an empty list means it takes everything of its kinds."""
    categories = dict(enum_choices("license_category"))
    colours = dict(Colour.choices)
    parts = [
        (_("许可类别"), [categories.get(c, c) for c in rule.licence_categories]),
        (_("证书名称关键词"), rule.certificate_keywords),
        (_("行业代码"), rule.industry_prefixes),
        (_("行政区划"), [district_names.get(c, c) for c in rule.district_codes]),
        (_("主体颜色"), [str(colours.get(c, c)) for c in rule.colours]),
    ]
    return [f"{label}：{'、'.join(values)}" for label, values in parts if values]


def subscription_rows(department_id: str) -> list[Subscription]:
    """The department's rules, each with `kind_labels` and `conditions` to show."""
    district_names = dict(District.objects.values_list("code", "name"))
    kinds = dict(LinkedKind.choices)
    rules = list(department_subscriptions(department_id))
    for rule in rules:
        rule.kind_labels = gettext("、").join(str(kinds.get(k, k)) for k in rule.kinds)
        rule.conditions = subscription_conditions(rule, district_names)
    return rules


def inbox_items(department_id: str | None = None) -> QuerySet[InboxItem]:
    items = InboxItem.objects.select_related(
        "subject", "source_department", "subscription", "read_by", "acknowledged_by"
    )
    return items.filter(department_id=department_id) if department_id else items


def inbox(staff: StaffProfile, params: Mapping) -> tuple[InboxFilter, QuerySet[InboxItem]]:
    filterset = InboxFilter(params or None, queryset=inbox_items(staff.department_id))
    return filterset, filterset.qs


# --------------------------------------------------------------------------- key supervision


def active_q(day: date, prefix: str = "") -> Q:
    return Q(
        **{f"{prefix}ended_at__isnull": True, f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day}
    )


def open_key_supervisions(department_id: str, uscc: str, day: date) -> QuerySet[KeySupervision]:
    """Not ended and not past its end date (including one that starts later)."""
    return KeySupervision.objects.filter(
        department_id=department_id, subject_id=uscc, ended_at__isnull=True, ends_on__gte=day
    )


def under_key_supervision(usccs: Iterable[str], day: date | None = None) -> set[str]:
    """The batch's subjects that some department keeps under key supervision today: the active set
    is small, so it is read whole and intersected here."""
    day = day or timezone.localdate()
    active = set(KeySupervision.objects.filter(active_q(day)).values_list("subject_id", flat=True))
    return active & set(usccs) if active else set()


def active_key_supervisions(usccs: Iterable[str], day: date) -> dict[str, list[int]]:
    """uscc -> ids of the key supervisions active on `day`."""
    watched: dict[str, list[int]] = defaultdict(list)
    rows = KeySupervision.objects.filter(active_q(day), subject_id__in=sorted(set(usccs)))
    for key_id, uscc in rows.values_list("id", "subject_id"):
        watched[uscc].append(key_id)
    return dict(watched)


def key_supervisions(staff: StaffProfile, params: Mapping) -> tuple[KeySupervisionFilter, QuerySet]:
    queryset = (
        KeySupervision.objects.filter(department_id=staff.department_id)
        .select_related("subject", "created_by", "ended_by")
        .annotate(open_alerts=Count("alerts", filter=Q(alerts__acknowledged_at__isnull=True)))
        .order_by("-starts_on", "-id")
    )
    filterset = KeySupervisionFilter(params or None, queryset=queryset)
    return filterset, filterset.qs


def key_alerts(staff: StaffProfile, params: Mapping) -> tuple[KeyAlertFilter, QuerySet]:
    queryset = KeySupervisionAlert.objects.filter(key_supervision__department_id=staff.department_id)
    queryset = queryset.select_related("key_supervision__subject", "source_department", "acknowledged_by")
    filterset = KeyAlertFilter(params or None, queryset=queryset)
    return filterset, filterset.qs


# --------------------------------------------------------------------------- home


def queues(staff: StaffProfile) -> list[Queue]:
    """This area's tiles on the workspace home."""
    unread = InboxItem.objects.filter(department_id=staff.department_id, read_at__isnull=True).count()
    open_alerts = KeySupervisionAlert.objects.filter(
        key_supervision__department_id=staff.department_id, acknowledged_at__isnull=True
    ).count()
    return [
        Queue(
            "linked_unread",
            _("联动监管未读推送"),
            unread,
            reverse("supervision:linked_inbox") + "?state=unread",
        ),
        Queue(
            "key_alerts",
            _("重点监管待处理提醒"),
            open_alerts,
            reverse("supervision:key_alerts") + "?state=open",
        ),
    ]
