"""Helpers shared by the 双告知 tests (no tests here): feed records ingested through the real
collectors, as departments send them, so the on-commit receivers run as in production."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from collectors.services import collect_inbox
from tests.collectors.conftest import write_jsonl
from tests.factories import registration

_files = itertools.count(1)
_versions = itertools.count(1)

FOOD_SCOPE = "餐饮服务；日用百货销售"  # 食品经营许可证 (SCJG)
FOOD_AND_LABOUR_SCOPE = "餐饮服务；劳务派遣"  # + 劳务派遣经营许可证 (RSJ)


def _stamp() -> str:
    return (datetime(2026, 1, 1, 8) + timedelta(seconds=next(_versions))).strftime("%Y-%m-%d %H:%M:%S")


def ingest(capture, tmp_path, dept: str, kind: str, records: list[dict]) -> dict:
    """Drop one feed file into a fresh inbox and collect it, running the on-commit receivers
    (`capture` is pytest-django's django_capture_on_commit_callbacks; None: receivers never run,
    as when a worker dies between the commit and the task)."""
    n = next(_files)
    inbox = tmp_path / f"inbox-{n}"
    stamp = (datetime(2026, 11, 3, 8) + timedelta(minutes=n)).strftime("%Y%m%d%H%M%S")
    write_jsonl(inbox / dept / f"{kind}_{stamp}.jsonl", records)
    if capture is None:
        report = collect_inbox(inbox)
    else:
        with capture(execute=True):
            report = collect_inbox(inbox)
    assert report["totals"]["quarantined"] == 0 and report["totals"]["errors"] == 0, report
    return report


def registration_record(uscc: str, *, established_on: date, scope: str, **overrides) -> dict:
    """A registration (updated_at grows with every call, so a resend with changes is newer)."""
    return registration(
        uscc,
        business_scope=scope,
        established_on=established_on.isoformat(),
        approved_on=overrides.pop("approved_on", established_on).isoformat(),
        updated_at=_stamp(),
        **overrides,
    )


def licence_record(
    uscc: str, licence: str, *, decided_on: date, record_id: str | None = None, **overrides
) -> dict:
    """A licence as a department's 双公示 feed writes it; certificate name = the catalogue's licence."""
    record = {
        "record_id": record_id or f"XK-{uscc}-{licence}",
        "updated_at": _stamp(),
        "subject_name": f"南昌测试{uscc[-6:]}贸易有限公司",
        "uscc": uscc,
        "document_number": f"洪许〔{decided_on.year}〕{uscc[-4:]}号",
        "certificate_name": licence,
        "license_number": f"JY{uscc[-8:]}",
        "decided_on": decided_on.isoformat(),
        "valid_from": decided_on.isoformat(),
        "valid_to": (decided_on + timedelta(days=5 * 365)).isoformat(),
        "authority": "南昌市市场监督管理局",
        "status": "有效",
    }
    record.update(overrides)
    return record
