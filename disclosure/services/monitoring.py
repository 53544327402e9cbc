"""Monitoring (监测) for banks and procurement offices: watchlists of USCCs, the events of the
subjects they watch (colour changes, new or updated public records), and signed webhooks that
carry each event to the institution, retried with backoff until it answers 2xx.

Events only ever carry what the public portal shows: records come from `public_record_rows`,
facts go through its redaction, colour reasons are rule labels. Delivery is at least once: a
worker killed after the POST sends it again, so receivers deduplicate on `X-Warning-Event`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext
from stdnum.cn import uscc as stdnum_uscc

from disclosure.models import (
    DeliveryAttempt,
    DeliveryStatus,
    EventKind,
    Institution,
    MonitorEvent,
    WatchedSubject,
    Watchlist,
    WebhookDelivery,
)
from disclosure.selectors.monitoring import watched_among
from disclosure.selectors.public import (
    ASSET_FIELDS,
    COLOUR_LABELS,
    PUBLIC_KINDS,
    mask_operator,
    public_fields,
    public_name,
    public_record_rows,
    reasons_by_subject,
    redact,
)
from warning_system.classification.models import ColourChange
from warning_system.registry import contract
from warning_system.registry.codes import compact_code
from warning_system.registry.models import RECORD_MODELS, Department, Subject
from warning_system.registry.subject_types import is_natural_person

NAME_MAX_LENGTH = Watchlist._meta.get_field("name").max_length
# The periodic scan is a safety net behind the signal path: it looks this far back only, so its
# cost follows recent changes, not every record ever received for a watched subject.
SCAN_LOOKBACK = timedelta(days=1)
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
DELIVER_BATCH = 500
IN_CHUNK = 5000
ERROR_MAX_LENGTH = 2000

# The facts an event quotes of each kind of record (only those public_fields still exposes).
EVENT_FACTS = {
    "annual_report": ("year", "submitted_on"),
    "complaint": ("received_on", "category", "handling_status", "mediation_result", "closed_on"),
    "license": ("license_category", "certificate_name", "license_number", "decided_on", "valid_to",
                "authority", "status"),
    "penalty": ("document_number", "violation_type", "violation_facts", "penalty_categories", "fine_amount",
                "confiscation_amount", "decided_on", "authority"),
    "inspection": ("inspected_on", "inspection_type", "result", "authority"),
    "abnormal_listing": ("listed_on", "listing_reason", "listing_authority", "removed_on", "removal_reason"),
    "serious_violation": ("listed_on", "listing_reason", "authority", "removed_on", "removal_reason"),
    "arrears": ("arrears_type", "amount", "since", "settled_on"),
    "honor": ("honor_name", "awarded_on", "authority", "revoked_on"),
    "property_right": ("right_type", "amount", "registered_on", "status", "released_on"),
    "court_judgment": ("case_number", "court", "cause", "party_role", "judged_on", "refuses_to_perform"),
    "dishonest_debtor": ("case_number", "court", "performance", "published_on", "removed_on"),
}  # fmt: skip


class MonitoringError(Exception):
    """A request the API answers with 400: `code` for programs, `message` (Chinese) for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class AddResult:
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def _chunks(items: list, size: int = IN_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- watchlists


def watchlist_create(institution: Institution, name: str) -> Watchlist:
    name = (name or "").strip()
    if not name:
        raise MonitoringError("name_required", gettext("监测名单名称不能为空。"))
    if len(name) > NAME_MAX_LENGTH:
        raise MonitoringError(
            "name_too_long", gettext("监测名单名称不能超过 %(max)d 个字符。") % {"max": NAME_MAX_LENGTH}
        )
    try:
        with transaction.atomic():
            return Watchlist.objects.create(institution=institution, name=name)
    except IntegrityError:
        raise MonitoringError(
            "name_taken", gettext("已有名为“%(name)s”的监测名单。") % {"name": name}
        ) from None


def watchlist_delete(watchlist: Watchlist) -> None:
    """Its entries go with it; the events already recorded stay in the institution's feed."""
    watchlist.delete()


def watchlist_subjects_add(
    watchlist: Watchlist, usccs: Iterable[str], now: datetime | None = None
) -> AddResult:
    """Codes as people type them; a valid USCC not registered yet is watched for when it arrives."""
    now = now or timezone.now()
    result = AddResult()
    codes: dict[str, None] = {}
    for raw in usccs:
        code = compact_code(str(raw or ""))
        if code.isascii() and stdnum_uscc.is_valid(code):
            codes[code] = None
        else:
            result.invalid.append(raw)
    existing = set()
    for chunk in _chunks(list(codes)):
        existing |= set(watchlist.entries.filter(uscc__in=chunk).values_list("uscc", flat=True))
    result.already = [code for code in codes if code in existing]
    result.added = [code for code in codes if code not in existing]
    WatchedSubject.objects.bulk_create(
        [WatchedSubject(watchlist=watchlist, uscc=code, added_at=now) for code in result.added],
        ignore_conflicts=True,
        batch_size=IN_CHUNK,
    )
    return result


def watchlist_subject_remove(watchlist: Watchlist, uscc: str) -> bool:
    deleted, _ = watchlist.entries.filter(uscc=compact_code(uscc or "")).delete()
    return deleted > 0


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class _Candidate:
    institution_id: int
    kind: str
    source: str
    uscc: str
    occurred_at: datetime
    ref: tuple  # ("colour", change id) or (record kind, row id)


def _watchers(usccs: list[str] | None) -> dict[str, dict[int, datetime]]:
    """uscc -> institution -> since when it watches it (its earliest entry across watchlists)."""
    entries = WatchedSubject.objects.all()
    if usccs is not None:
        entries = entries.filter(uscc__in=usccs)
    rows = entries.values("uscc", "watchlist__institution_id").annotate(since=Min("added_at")).order_by()
    watchers: dict[str, dict[int, datetime]] = defaultdict(dict)
    for row in rows:
        watchers[row["uscc"]][row["watchlist__institution_id"]] = row["since"]
    return watchers


def _candidates(
    watchers: dict[str, dict[int, datetime]],
    watched: list[str] | None,
    floor: datetime,
    since: datetime | None,
) -> list[_Candidate]:
    """Every (institution, source) that the watched subjects' changes since their entries make.
    `watched` None: every watched subject, read through a subquery rather than a list of them all."""
    found: list[_Candidate] = []

    def fan_out(uscc: str, at: datetime, kind: str, source: str, ref: tuple) -> None:
        for institution_id, added_at in watchers.get(uscc, {}).items():
            if at >= added_at and (since is None or at >= since):
                found.append(_Candidate(institution_id, kind, source, uscc, at, ref))

    subsets = [WatchedSubject.objects.values("uscc")] if watched is None else list(_chunks(watched))
    for subset in subsets:
        changes = ColourChange.objects.filter(
            subject_id__in=subset, changed_at__gte=floor, subject__withdrawn=False
        ).values_list("id", "subject_id", "changed_at")
        for change_id, uscc, changed_at in changes:
            fan_out(uscc, changed_at, EventKind.COLOUR_CHANGE, f"colour:{change_id}", ("colour", change_id))
        for kind in PUBLIC_KINDS:
            rows = (
                RECORD_MODELS[kind]
                .objects.filter(subject_id__in=subset, changed_at__gte=floor, withdrawn=False)
                .values_list("id", "subject_id", "updated_at", "changed_at")
            )
            for row_id, uscc, updated_at, changed_at in rows:
                source = f"{kind}:{row_id}:{updated_at.isoformat()}"
                fan_out(uscc, changed_at, EventKind.NEW_RECORD, source, (kind, row_id))
    return found


def _not_recorded(candidates: list[_Candidate]) -> list[_Candidate]:
    keys = {(c.institution_id, c.kind, c.source) for c in candidates}
    sources = sorted({c.source for c in candidates})
    institutions = {c.institution_id for c in candidates}
    for chunk in _chunks(sources):
        keys -= set(
            MonitorEvent.objects.filter(source__in=chunk, institution_id__in=institutions).values_list(
                "institution_id", "kind", "source"
            )
        )
    return [c for c in candidates if (c.institution_id, c.kind, c.source) in keys]


def _fact_value(record, model_field) -> object:
    """A fact as JSON: enumerations by their label, amounts as plain decimals, text redacted."""
    value = getattr(record, model_field.attname)
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        base = getattr(model_field, "base_field", None)
        labels = dict(base.flatchoices) if base is not None and base.choices else {}
        return [gettext(str(labels.get(v, v))) for v in value]
    if model_field.choices:
        return gettext(str(dict(model_field.flatchoices).get(value, value)))
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return redact(value)
    return value


def _facts(kind: str, record, operator: str | None = None) -> list[dict]:
    wanted = set(EVENT_FACTS.get(kind, ()))
    facts = []
    for model_field in public_fields(kind):
        if model_field.name not in wanted:
            continue
        if model_field.name in ASSET_FIELDS and getattr(record, "assets_public", None) is False:
            continue
        value = _fact_value(record, model_field)
        if isinstance(value, str):
            value = mask_operator(value, operator)
        if value is not None:
            facts.append({"field": model_field.name, "label": gettext(str(model_field.verbose_name)),
                          "value": value})  # fmt: skip
    return facts


def _colour_payloads(change_ids: set[int], names: dict[str, str]) -> dict[int, dict]:
    payloads = {}
    for chunk in _chunks(sorted(change_ids)):
        for change in ColourChange.objects.filter(id__in=chunk):
            payloads[change.id] = {
                "uscc": change.subject_id,
                "subject_name": names.get(change.subject_id),
                "from": change.from_colour or None,
                "from_label": gettext(str(COLOUR_LABELS[change.from_colour])) if change.from_colour else None,
                "to": change.to_colour,
                "to_label": gettext(str(COLOUR_LABELS[change.to_colour])),
                "effective_on": change.effective_on.isoformat(),
                "reasons": reasons_by_subject([change]).get(change.subject_id, []),
            }
    return payloads


def _record_payloads(
    wanted: dict[str, set[tuple[str, int]]], names: dict[str, str], operators: dict[str, str], day: date
) -> dict[tuple[str, int], dict]:
    """(kind, row id) -> payload, for the rows the public may see; the others are left out.
    An individual business's operator is masked in the facts as on its public page."""
    departments = dict(Department.objects.values_list("code", "name"))
    payloads = {}
    for uscc, refs in wanted.items():
        public = public_record_rows(uscc, sorted({kind for kind, _ in refs}), day)
        for kind, rows in public.items():
            for row in rows:
                if (kind, row.pk) not in refs:
                    continue
                payloads[(kind, row.pk)] = {
                    "uscc": uscc,
                    "subject_name": names.get(uscc),
                    "kind": kind,
                    "kind_label": gettext(str(contract.KINDS[kind].label)),
                    "department": row.department_id,
                    "department_name": departments.get(row.department_id),
                    "record_id": row.record_id,
                    "facts": _facts(kind, row, operators.get(uscc)),
                }
    return payloads


def _payloads(candidates: list[_Candidate], day: date) -> dict[tuple, dict]:
    usccs = sorted({c.uscc for c in candidates})
    names: dict[str, str] = {}
    operators: dict[str, str] = {}
    for chunk in _chunks(usccs):
        rows = Subject.objects.filter(uscc__in=chunk, withdrawn=False).values_list(
            "uscc", "name", "subject_type", "legal_representative"
        )
        for uscc, name, subject_type, representative in rows:
            names[uscc] = public_name(name, subject_type, representative)
            if is_natural_person(subject_type) and representative:
                operators[uscc] = representative
    change_ids = {c.ref[1] for c in candidates if c.ref[0] == "colour"}
    records: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for c in candidates:
        if c.ref[0] != "colour":
            records[c.uscc].add(c.ref)
    payloads: dict[tuple, dict] = {("colour", pk): p for pk, p in _colour_payloads(change_ids, names).items()}
    payloads |= _record_payloads(records, names, operators, day)
    return payloads


def watch_events_record(
    usccs: list[str] | None, now: datetime | None = None, *, since: datetime | None = None
) -> int:
    """Events for the watched subjects among `usccs` (all watched when None) of what changed since
    each was added (and since `since`, if given); idempotent. Returns how many events are new."""
    now = now or timezone.now()
    if usccs is not None:
        usccs = watched_among(usccs)
        if not usccs:
            return 0
    watchers = _watchers(usccs)
    if not watchers:
        return 0
    floor = min(added for by_institution in watchers.values() for added in by_institution.values())
    if since is not None:
        floor = max(floor, since)
    candidates = _not_recorded(_candidates(watchers, usccs, floor, since))
    if not candidates:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        payloads = _payloads(candidates, timezone.localdate(now))
    events = [
        MonitorEvent(
            institution_id=c.institution_id, kind=c.kind, source=c.source, uscc=c.uscc,
            payload=payloads[c.ref], occurred_at=c.occurred_at, created_at=now,
        )
        for c in sorted(candidates, key=lambda c: (c.occurred_at, c.kind, c.source, c.institution_id))
        if c.ref in payloads
    ]  # fmt: skip
    if not events:
        return 0
    with transaction.atomic():
        MonitorEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=1000)
        new = _new_events(events, now)
        hooks = dict(
            Institution.objects.filter(id__in={i for _, i in new})
            .exclude(webhook_url="")
            .values_list("id", "webhook_url")
        )
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(event_id=event_id, url=hooks[institution_id], next_attempt_at=now)
                for event_id, institution_id in new
                if institution_id in hooks
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    return len(new)


def _new_events(attempted: list[MonitorEvent], now: datetime) -> list[tuple[int, int]]:
    """(id, institution) of the events this run inserted: a concurrent run's carry its own time."""
    keys = {(e.institution_id, e.kind, e.source) for e in attempted}
    institutions = {e.institution_id for e in attempted}
    new = []
    for chunk in _chunks(sorted({e.source for e in attempted})):
        rows = MonitorEvent.objects.filter(
            source__in=chunk, institution_id__in=institutions, created_at=now
        ).values_list("id", "institution_id", "kind", "source")
        new += [(pk, inst) for pk, inst, kind, source in rows if (inst, kind, source) in keys]
    return sorted(new)


def watch_events_record_recent(now: datetime | None = None) -> int:
    """The periodic scan: everything watched, changes of the last SCAN_LOOKBACK only."""
    now = now or timezone.now()
    return watch_events_record(None, now, since=now - SCAN_LOOKBACK)


# --------------------------------------------------------------------------- webhooks


def event_body(event: MonitorEvent) -> bytes:
    """The JSON a webhook receives, byte for byte what the signature covers."""
    document = {
        "id": event.pk,
        "type": event.kind,
        "uscc": event.uscc,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(secret: str, timestamp: int | str, body: bytes) -> str:
    """`sha256=` + hex HMAC-SHA256 of "<timestamp>.<body>" under the institution's secret."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def verify_signature(secret: str, timestamp: int | str, body: bytes | str, header: str) -> bool:
    """What a receiver runs on X-Warning-Timestamp, the raw body and X-Warning-Signature."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hmac.compare_digest(sign(secret, timestamp, body).encode(), (header or "").encode())


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), MAX_RETRY)


def _send(delivery: WebhookDelivery, now: datetime) -> None:
    """One POST, logged; the delivery moves on to delivered, its next attempt, or failed."""
    event = delivery.event
    body = event_body(event)
    timestamp = int(now.timestamp())
    headers = {
        "Content-Type": "application/json",
        "X-Warning-Event": str(event.pk),
        "X-Warning-Timestamp": str(timestamp),
        "X-Warning-Signature": sign(event.institution.webhook_secret, timestamp, body),
    }
    status_code, error = None, ""
    started = time.monotonic()
    try:
        # No redirects: the signed body goes to the address the institution registered, nowhere else.
        with requests.post(
            delivery.url, data=body, headers=headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False, stream=True,
        ) as response:  # fmt: skip
            status_code = response.status_code
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_LENGTH]
    duration_ms = int((time.monotonic() - started) * 1000)
    DeliveryAttempt.objects.create(
        delivery=delivery, attempted_at=now, status_code=status_code, error=error, duration_ms=duration_ms
    )
    delivery.attempts += 1
    if status_code is not None and 200 <= status_code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = now
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["attempts", "status", "delivered_at", "next_attempt_at"])


def _locked(queryset):
    """Rows no other worker holds; the lock lasts while the request is made, so it is sent once."""
    return queryset.select_for_update(skip_locked=True, of=("self",)).select_related("event__institution")


def webhook_deliver(delivery_id: int, now: datetime | None = None) -> WebhookDelivery:
    """Send one delivery if it is pending and due; delivered and failed ones are never sent again."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = _locked(WebhookDelivery.objects.filter(pk=delivery_id)).first()
        if delivery is None:  # another worker is sending it right now
            return WebhookDelivery.objects.get(pk=delivery_id)
        if delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at <= now:
            _send(delivery, now)
        return delivery


def webhooks_deliver_due(now: datetime | None = None) -> int:
    """Send the pending deliveries whose time has come (at most DELIVER_BATCH); how many were sent."""
    now = now or timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    sent = 0
    while sent < DELIVER_BATCH:
        with transaction.atomic():
            delivery = _locked(due.order_by("next_attempt_at", "id")).first()
            if delivery is None:
                break
            _send(delivery, now)
        sent += 1
    return sent


def deliveries_retry(delivery_ids: Iterable[int], now: datetime | None = None) -> int:
    """Send again from the start (an institution fixed its endpoint): back to pending, due now."""
    now = now or timezone.now()
    return (
        WebhookDelivery.objects.filter(pk__in=list(delivery_ids))
        .exclude(status=DeliveryStatus.DELIVERED)
        .update(status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now)
    )
