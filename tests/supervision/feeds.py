"""Helpers of the linked, key supervision and repair tests (no tests here): records stored the
way departments send them, through the push API's service, with the work queued on commit
(routing, alerts, colours) run as it is in production."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from collectors.parsers import HeaderMap, record_item
from collectors.services import batch_ingest
from supervision.models import Subscription
from tests.factories import make_uscc, penalty, registration
from warning_system.registry.choices import Channel
from warning_system.registry.models import RECORD_MODELS, Department

_serial = itertools.count(1)


def days_ago(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def version(minutes_ago: int = 60) -> str:
    """An `updated_at` in the past (China time, as departments write it)."""
    return (timezone.localtime() - timedelta(minutes=minutes_ago)).strftime("%Y-%m-%d %H:%M:%S")


def push(department_code: str, kind: str, records: list[dict]):
    """Store one pushed batch and run what its commit queues; every record must be accepted."""
    header_map = HeaderMap(kind)
    items = [record_item(record, i, None, header_map) for i, record in enumerate(records, start=1)]
    department = Department.objects.get(code=department_code)
    with TestCase.captureOnCommitCallbacks(execute=True):
        receipt = batch_ingest(department=department, kind=kind, items=items, channel=Channel.PUSH)
    assert receipt.quarantined == [], receipt.quarantined
    return receipt


def register(*, district: str = "360102", industry: str = "F5211", **overrides) -> str:
    """A registered subject (SCJG's registration feed); returns its USCC."""
    uscc = make_uscc(district=district)
    push(
        "SCJG",
        "registration",
        [registration(uscc, district_code=district, industry_code=industry, **overrides)],
    )
    return uscc


def licence(uscc: str, record_id: str | None = None, **overrides) -> dict:
    n = next(_serial)
    record = {
        "record_id": record_id or f"XK-{n}",
        "updated_at": version(),
        "subject_name": "南昌测试贸易有限公司",
        "uscc": uscc,
        "document_number": f"洪许〔2026〕{n}号",
        "license_category": "普通",
        "certificate_name": "公共场所卫生许可证",
        "decided_on": days_ago(3),
        "valid_from": days_ago(3),
        "valid_to": (timezone.localdate() + timedelta(days=3 * 365)).isoformat(),
        "authority": "南昌市卫生健康委员会",
    }
    record.update(overrides)
    return record


def fine(uscc: str, record_id: str | None = None, **overrides) -> dict:
    """An ordinary fine of 1.5万元 decided 5 days ago (yellow for a year)."""
    overrides.setdefault("decided_on", days_ago(5))
    overrides.setdefault("updated_at", version())
    return penalty(uscc, record_id or f"CF-{next(_serial)}", **overrides)


def stored(kind: str, department_code: str, record_id: str):
    return RECORD_MODELS[kind].objects.get(department_id=department_code, record_id=record_id)


def subscribe(
    department_code: str, kinds: tuple[str, ...] = ("license", "penalty"), **filters
) -> Subscription:
    return Subscription.objects.create(
        department_id=department_code, name=f"规则{next(_serial)}", kinds=list(kinds), **filters
    )
