"""Writes of 联动监管 and 重点监管.

The system routes each stored batch of licences and penalties to the departments whose
subscriptions match (one INSERT … SELECT), and raises alerts for subjects under key supervision.
Each step a person takes (read, acknowledge, edit a subscription, start or end key supervision,
handle an alert) is one transaction that checks the transition, writes the state and its audit
entry together.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import InboxItem, KeySupervision, KeySupervisionAlert, LinkedKind, Subscription
from supervision.selectors import linked as selectors
from supervision.services.batching import chunks
from warning_system import jobs
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.classification.models import SubjectColour
from warning_system.classification.rules import GREEN
from warning_system.registry.models import RECORD_MODELS, Department, PostLicenceCatalogEntry, Subject

ROUTED_KINDS = tuple(LinkedKind.values)
ROUTE_JOB = "supervision.route_linked_records"  # run by supervision.tasks.linked
KEY_ALERTS_JOB = "supervision.raise_key_alerts"
DEFAULT_MAX_AGE_DAYS = 30


class LinkedError(Exception):
    """A step that is not allowed now; the message says why, in the user's language."""


def max_age_days() -> int:
    """Routing skips records decided longer ago: a department's first feed carries years of history."""
    return getattr(settings, "LINKED_SUPERVISION_MAX_AGE_DAYS", DEFAULT_MAX_AGE_DAYS)


# --------------------------------------------------------------------------- routing

_SUBJECT_FILTERS = """
  AND (cardinality(sub.district_codes) = 0 OR subj.district_code = ANY(sub.district_codes))
  AND (cardinality(sub.industry_prefixes) = 0
       OR EXISTS (SELECT 1 FROM unnest(sub.industry_prefixes) p WHERE starts_with(subj.industry_code, p)))
  AND (cardinality(sub.colours) = 0 OR COALESCE(col.colour, %(green)s) = ANY(sub.colours))
"""
# Certificate keywords also look at the decision document's name: departments fill one or the other.
_LICENCE_FILTERS = """
  AND (cardinality(sub.licence_categories) = 0 OR r.license_category = ANY(sub.licence_categories))
  AND (cardinality(sub.certificate_keywords) = 0
       OR EXISTS (SELECT 1 FROM unnest(sub.certificate_keywords) k
                  WHERE strpos(concat_ws(' ', r.certificate_name, r.decision_document_name), k) > 0))
"""


def _routing_sql(kind: str) -> str:
    record_table = RECORD_MODELS[kind]._meta.db_table
    # The first matching rule of a department (lowest id) is the one the item names.
    return f"""
    INSERT INTO {InboxItem._meta.db_table} (department_id, kind, record_pk, record_id, source_department_id,
                                            subject_id, subscription_id, received_at, note)
    SELECT DISTINCT ON (sub.department_id, r.id)
           sub.department_id, %(kind)s, r.id, r.record_id, r.department_id, r.subject_uscc, sub.id, now(), ''
    FROM {record_table} r
    JOIN {Subscription._meta.db_table} sub
      ON sub.active AND %(kind)s = ANY(sub.kinds) AND sub.department_id <> r.department_id
    LEFT JOIN {Subject._meta.db_table} subj ON subj.uscc = r.subject_uscc
    LEFT JOIN {SubjectColour._meta.db_table} col ON col.subject_id = r.subject_uscc
    WHERE r.subject_uscc = ANY(%(usccs)s) AND r.run_id = %(run)s AND r.department_id = %(department)s
      AND NOT r.withdrawn AND r.decided_on >= %(since)s
      {_SUBJECT_FILTERS}
      {_LICENCE_FILTERS if kind == LinkedKind.LICENSE else ""}
    ORDER BY sub.department_id, r.id, sub.id
    ON CONFLICT (department_id, kind, record_pk) DO NOTHING
    """


def linked_records_route(
    *, kind: str, department_id: str, run_id: int, usccs: Iterable[str], day: date | None = None
) -> int:
    """Deliver the batch's licences or penalties to every other department whose active
    subscription matches; returns how many inbox items were created.

    The batch's rows are those of its subjects that carry its run id (the loader's contract); a
    record routed before is not delivered twice, a withdrawn or old one never. Colours are the
    subjects' stored colours when the batch arrives.
    """
    if kind not in ROUTED_KINDS:
        return 0
    usccs = sorted(set(usccs))
    if not usccs:
        return 0
    since = (day or timezone.localdate()) - timedelta(days=max_age_days())
    params = {"kind": kind, "usccs": usccs, "run": run_id, "department": department_id, "since": since,
              "green": GREEN}  # fmt: skip
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_routing_sql(kind), params)
        return cursor.rowcount


def linked_routing_schedule(*, kind: str, department_id: str, run_id: int, usccs: Iterable[str]) -> None:
    """After the surrounding transaction commits: a Celery task with a broker, in-process without."""
    if kind not in ROUTED_KINDS:
        return
    for chunk in chunks(usccs):
        jobs.enqueue_on_commit(ROUTE_JOB, kind, department_id, run_id, chunk)


# --------------------------------------------------------------------------- the inbox


def inbox_item_mark_read(*, item: InboxItem, user) -> InboxItem:
    """The first opening of an item marks it read (阅知); later openings change nothing."""
    if item.read_at is not None:
        return item
    now = timezone.now()
    with transaction.atomic():
        # Two people opening the item at once: the first one reads it.
        if not InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=now, read_by=user):
            item.refresh_from_db(fields=["read_at", "read_by"])
            return item
        item.read_at, item.read_by = now, user
        audit_record(
            action=Action.INBOX_READ,
            actor=user,
            department_id=item.department_id,
            subject_uscc=item.subject_id,
            obj=item,
            after={"kind": item.kind, "record_id": item.record_id, "read_at": now.isoformat()},
        )
    return item


def inbox_item_acknowledge(*, item: InboxItem, user, note: str = "") -> InboxItem:
    """确认处理: once per item, with an optional note; acknowledging also reads it."""
    note = note.strip()
    with transaction.atomic():
        item = InboxItem.objects.select_for_update().get(pk=item.pk)
        if item.acknowledged_at is not None:
            raise LinkedError(_("该推送已确认处理。"))
        now = timezone.now()
        if item.read_at is None:
            item.read_at, item.read_by = now, user
        item.acknowledged_at, item.acknowledged_by, item.note = now, user, note
        item.save(update_fields=["read_at", "read_by", "acknowledged_at", "acknowledged_by", "note"])
        audit_record(
            action=Action.INBOX_ACK,
            actor=user,
            department_id=item.department_id,
            subject_uscc=item.subject_id,
            obj=item,
            before={"acknowledged": False},
            after={"acknowledged": True, "note": note, "kind": item.kind, "record_id": item.record_id},
        )
    return item


# --------------------------------------------------------------------------- subscriptions

SUBSCRIPTION_FIELDS = ("name", "kinds", "licence_categories", "certificate_keywords", "industry_prefixes",
                       "district_codes", "colours", "active")  # fmt: skip


def subscription_snapshot(subscription: Subscription) -> dict:
    return {name: getattr(subscription, name) for name in SUBSCRIPTION_FIELDS}


def _check_subscription(department_id: str, data: dict, exclude_pk: int | None = None) -> None:
    if not data.get("kinds"):
        raise LinkedError(_("请至少选择一种数据类型。"))
    clash = Subscription.objects.filter(department_id=department_id, name=data["name"])
    if clash.exclude(pk=exclude_pk).exists():
        raise LinkedError(_("本部门已有同名的订阅规则。"))


def subscription_create(*, department_id: str, user, data: dict) -> Subscription:
    """A new rule of `department_id`; `data` holds SUBSCRIPTION_FIELDS."""
    _check_subscription(department_id, data)
    with transaction.atomic():
        subscription = Subscription.objects.create(
            department_id=department_id, updated_by=user, updated_at=timezone.now(),
            **{name: data[name] for name in SUBSCRIPTION_FIELDS if name in data},
        )  # fmt: skip
        audit_record(
            action=Action.SUBSCRIPTION_CHANGE,
            actor=user,
            department_id=department_id,
            obj=subscription,
            before=None,
            after=subscription_snapshot(subscription),
        )
    return subscription


def subscription_update(*, subscription: Subscription, user, data: dict) -> Subscription:
    """Change a rule (activating or pausing it too); an edit that changes nothing is not recorded."""
    _check_subscription(subscription.department_id, data, exclude_pk=subscription.pk)
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        before = subscription_snapshot(subscription)
        for name in SUBSCRIPTION_FIELDS:
            if name in data:
                setattr(subscription, name, data[name])
        after = subscription_snapshot(subscription)
        if after == before:
            return subscription
        subscription.updated_by, subscription.updated_at = user, timezone.now()
        subscription.save()
        audit_record(
            action=Action.SUBSCRIPTION_CHANGE,
            actor=user,
            department_id=subscription.department_id,
            obj=subscription,
            before=before,
            after=after,
        )
    return subscription


# Sensitive fields of docs/rules.md §4 (food, drugs, medical devices, cosmetics, special equipment): the
# market regulator follows the licences other departments grant there.
FOOD_DRUG_KEYWORDS = ["食品", "药品", "医疗器械", "化妆品", "特种设备"]

# GB/T 4754-2017 code prefixes of the trades each licence of the post-licence catalogue governs.
# The seed of the defaults only: departments edit their rules in the workspace.
CATALOGUE_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "食品经营许可证": ("F512", "F522", "F5211", "F5212", "H62"),
    "食品生产许可证": ("C13", "C14", "C15"),
    "药品经营许可证": ("F515", "F525"),
    "医疗器械经营许可证": ("F515", "F525", "C358"),
    "危险化学品经营许可证": ("C26", "F516"),
    "道路运输经营许可证": ("G54",),
    "出租汽车经营许可": ("G54",),
    "娱乐经营许可证": ("R90",),
    "网络文化经营许可证": ("R90",),
    "旅行社业务经营许可证": ("L7291",),
    "出版物经营许可证": ("R86", "F5143", "F5243"),
    "人力资源服务许可证": ("L726",),
    "劳务派遣经营许可证": ("L726",),
    "民办学校办学许可证": ("P83",),
    "医疗机构执业许可证": ("Q84",),
    "公共场所卫生许可证": ("H61", "O80"),
    "建筑业企业资质证书": ("E",),
    "房地产开发企业资质证书": ("K70",),
    "燃气经营许可证": ("D45",),
    "成品油零售经营批准证书": ("F5265",),
    "保安服务许可证": ("L727",),
    "典当经营许可证": ("J663",),
    "融资担保业务经营许可证": ("J69",),
    "烟草专卖零售许可证": ("C16", "F5227"),
    "农药经营许可证": ("A01", "F5167"),
    "农作物种子生产经营许可证": ("A01",),
    "兽药经营许可证": ("A03", "F5153"),
    "排污许可证": ("C22", "C25", "C26", "C30", "C31", "C32", "D44"),
    "取水许可证": ("D46",),
    "林草种子生产经营许可证": ("A02",),
    "报关企业备案": ("G582",),
}
MARKET_REGULATOR = "SCJG"


def default_subscription_specs() -> list[dict]:
    """The default rules, derived from the reference data (departments and the post-licence catalogue)."""
    departments = set(Department.objects.values_list("code", flat=True))
    specs = []
    if MARKET_REGULATOR in departments:
        specs.append(
            {
                "department_id": MARKET_REGULATOR,
                "name": "食品药品等重点领域许可",
                "kinds": [LinkedKind.LICENSE],
                "certificate_keywords": list(FOOD_DRUG_KEYWORDS),
            }
        )
        specs.append(
            {
                "department_id": MARKET_REGULATOR,
                "name": "橙色、红色主体的行政处罚",
                "kinds": [LinkedKind.PENALTY],
                "colours": ["orange", "red"],
            }
        )
    prefixes: dict[str, set[str]] = {}
    for department_id, licence in PostLicenceCatalogEntry.objects.values_list("department_id", "licence"):
        prefixes.setdefault(department_id, set()).update(CATALOGUE_INDUSTRIES.get(licence, ()))
    for department_id in sorted(prefixes):
        if prefixes[department_id]:
            specs.append(
                {
                    "department_id": department_id,
                    "name": "主管行业的行政处罚",
                    "kinds": [LinkedKind.PENALTY],
                    "industry_prefixes": sorted(prefixes[department_id]),
                }
            )
    return specs


def default_subscriptions() -> list[Subscription]:
    """Create the default rules a department does not have yet (by name); returns those created.

    Running it again creates nothing; a rule a leader edited or paused is left as it is.
    """
    created = []
    for spec in default_subscription_specs():
        department_id = spec.pop("department_id")
        if Subscription.objects.filter(department_id=department_id, name=spec["name"]).exists():
            continue
        created.append(subscription_create(department_id=department_id, user=None, data=spec))
    return created


# --------------------------------------------------------------------------- key supervision


class KeySupervisionError(LinkedError):
    pass


def key_supervision_snapshot(key: KeySupervision) -> dict:
    return {
        "subject": key.subject_id,
        "reason": key.reason,
        "starts_on": key.starts_on.isoformat(),
        "ends_on": key.ends_on.isoformat(),
        "ended": key.ended_at is not None,
        "end_reason": key.end_reason,
    }


def key_supervision_start(
    *, department_id: str, subject_uscc: str, reason: str, ends_on: date, user, starts_on: date | None = None
) -> KeySupervision:
    """列入重点监管 until `ends_on`; one open key supervision per department and subject."""
    today = timezone.localdate()
    starts_on = starts_on or today
    reason = reason.strip()
    if not reason:
        raise KeySupervisionError(_("请填写列入理由。"))
    if ends_on < max(starts_on, today):
        raise KeySupervisionError(_("结束日期不能早于开始日期或今天。"))
    if not Subject.objects.filter(uscc=subject_uscc).exists():
        raise KeySupervisionError(_("登记信息中没有该统一社会信用代码的市场主体。"))
    with transaction.atomic():
        # Serialise starts for one subject, so that two leaders cannot open it twice.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"key:{department_id}:{subject_uscc}"]
            )
        if selectors.open_key_supervisions(department_id, subject_uscc, today).exists():
            raise KeySupervisionError(_("该主体已在本部门重点监管中。"))
        key = KeySupervision.objects.create(
            department_id=department_id, subject_id=subject_uscc, reason=reason, starts_on=starts_on,
            ends_on=ends_on, created_by=user,
        )  # fmt: skip
        audit_record(
            action=Action.KEY_SUPERVISION_START,
            actor=user,
            department_id=department_id,
            subject_uscc=subject_uscc,
            obj=key,
            after=key_supervision_snapshot(key),
        )
    return key


def key_supervision_end(*, key: KeySupervision, user, reason: str) -> KeySupervision:
    """解除重点监管 before its end date; the reason is required."""
    reason = reason.strip()
    if not reason:
        raise KeySupervisionError(_("请填写解除理由。"))
    with transaction.atomic():
        key = KeySupervision.objects.select_for_update().get(pk=key.pk)
        if key.ended_at is not None:
            raise KeySupervisionError(_("该重点监管已解除。"))
        before = key_supervision_snapshot(key)
        key.ended_at, key.ended_by, key.end_reason = timezone.now(), user, reason
        key.save(update_fields=["ended_at", "ended_by", "end_reason"])
        audit_record(
            action=Action.KEY_SUPERVISION_END,
            actor=user,
            department_id=key.department_id,
            subject_uscc=key.subject_id,
            obj=key,
            before=before,
            after=key_supervision_snapshot(key),
        )
    return key


def key_alerts_raise(*, kind: str, run_id: int, usccs: Iterable[str], day: date | None = None) -> int:
    """An alert per active key supervision for each live record of the batch about its subject."""
    watched = selectors.active_key_supervisions(usccs, day or timezone.localdate())
    if not watched or kind not in RECORD_MODELS:
        return 0
    rows = (
        RECORD_MODELS[kind]
        .objects.filter(run_id=run_id, subject_id__in=sorted(watched), withdrawn=False)
        .values_list("id", "record_id", "department_id", "subject_id")
    )
    alerts = [
        KeySupervisionAlert(key_supervision_id=key_id, kind=kind, record_pk=pk, record_id=record_id,
                            source_department_id=department_id)
        for pk, record_id, department_id, uscc in rows
        for key_id in watched[uscc]
    ]  # fmt: skip
    # The same record stored again (a resend, a correction) does not alert twice.
    KeySupervisionAlert.objects.bulk_create(alerts, ignore_conflicts=True)
    return len(alerts)


def key_alerts_schedule(*, kind: str, run_id: int, usccs: Iterable[str]) -> None:
    for chunk in chunks(usccs):
        jobs.enqueue_on_commit(KEY_ALERTS_JOB, kind, run_id, chunk)


def key_alert_acknowledge(*, alert: KeySupervisionAlert, user, note: str = "") -> KeySupervisionAlert:
    note = note.strip()
    with transaction.atomic():
        alert = (
            KeySupervisionAlert.objects.select_for_update(of=("self",))
            .select_related("key_supervision")
            .get(pk=alert.pk)
        )
        if alert.acknowledged_at is not None:
            raise KeySupervisionError(_("该提醒已处理。"))
        alert.acknowledged_at, alert.acknowledged_by, alert.note = timezone.now(), user, note
        alert.save(update_fields=["acknowledged_at", "acknowledged_by", "note"])
        audit_record(
            action=Action.ALERT_ACK,
            actor=user,
            department_id=alert.key_supervision.department_id,
            subject_uscc=alert.key_supervision.subject_id,
            obj=alert,
            before={"acknowledged": False},
            after={"acknowledged": True, "note": note, "kind": alert.kind, "record_id": alert.record_id},
        )
    return alert
