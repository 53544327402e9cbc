"""A hand-built October 2026 of three departments' reporting (no tests here), stored straight into
the registry's tables with the arrival times the collectors would have written, so that every
figure of the assessment can be worked out by hand.

SCJG (10 kinds expected; in October it delivered penalties and registrations only):
- CF-ONTIME   decided 2026-09-30, arrived 2026-10-15 10:00: the 7th working day after the National
              Day holiday (Oct 1–7 off, Sat Oct 10 a make-up working day) — on time.
- CF-LATE     decided 2026-09-30, arrived 2026-10-16 09:00 — late; legal_basis and authority_uscc empty.
- CF-BACKFILL decided 2026-08-01, before SCJG first delivered penalties (2026-09-01) — not timed.
- CF-LASTNIGHT decided 2026-10-30, arrived 2026-10-31 23:30 China time — October, on time.
- CF-NOVEMBER arrived 2026-11-01 00:10 China time (still October in UTC) — November, not counted.
- CF-CORRECTED arrived in September, corrected 2026-10-20 — a correction in October.
- CF-WITHDRAWN arrived 2026-10-05, withdrawn 2026-10-21 — arrival and withdrawal, not timed.
- REG-1       a registration (no decision date) arrived 2026-10-09.
- one quarantined penalty on 2026-10-10.
FGW: one complete penalty on time, runs of both its kinds (penalty, honor): 100 everywhere.
WGLJ and the other 30 departments: nothing at all.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime

from django.utils import timezone

from warning_system.registry.choices import Channel, QuarantineReason, RunStatus
from warning_system.registry.models import RECORD_MODELS, IngestRun, QuarantinedRecord

OCTOBER = date(2026, 10, 1)
_serial = itertools.count(1)

FULL_PENALTY = {
    "uscc": "91360102MA35ABCD1X",
    "violation_facts": "未按规定公示",
    "legal_basis": "《行政处罚法》",
    "penalty_content": "罚款1万元",
    "authority_uscc": "11360100070056499A",
    "data_source": "南昌市市场监督管理局",
}
FULL_REGISTRATION = {
    "legal_representative": "张三",
    "registered_capital": 100,
    "address": "南昌市东湖区",
    "industry_code": "F5211",
    "business_scope": "日用百货销售",
}


def at(text: str) -> datetime:
    """'2026-10-15 10:00' China time."""
    return timezone.make_aware(datetime.strptime(text, "%Y-%m-%d %H:%M"))


def run(department: str, kind: str, started: str, status: str = RunStatus.SUCCEEDED,
        channel: str = Channel.FILE) -> IngestRun:  # fmt: skip
    return IngestRun.objects.create(
        department_id=department, kind=kind, channel=channel, status=status, started_at=at(started)
    )


def record(department: str, kind: str, record_id: str, *, arrived: str, changed: str | None = None,
           withdrawn: bool = False, run_of: IngestRun, **fields):  # fmt: skip
    model = RECORD_MODELS[kind]
    return model.objects.create(
        department_id=department, record_id=record_id, updated_at=at(arrived), withdrawn=withdrawn,
        subject_name="南昌测试贸易有限公司", received_via=Channel.FILE, run=run_of,
        content_hash=f"{next(_serial):033d}", received_at=at(arrived), changed_at=at(changed or arrived), **fields,
    )  # fmt: skip


def penalty(department: str, record_id: str, decided: date, arrived: str, run_of: IngestRun, **fields):
    values = {"document_number": f"文号{record_id}", "violation_type": "其他", "penalty_categories": ["fine"],
              "authority": "某机关", **FULL_PENALTY, **fields}  # fmt: skip
    return record(
        department, "penalty", record_id, arrived=arrived, run_of=run_of, decided_on=decided, **values
    )


def quarantine(department: str, kind: str, created: str, run_of: IngestRun) -> QuarantinedRecord:
    return QuarantinedRecord.objects.create(
        run=run_of, department_id=department, kind=kind, channel=Channel.FILE, position=1,
        record_id="CF-BAD", raw={"record_id": "CF-BAD"}, reasons=[QuarantineReason.MISSING_REQUIRED],
        errors=[{"code": "missing_required", "field": "decided_on", "message": "缺少必填字段 decided_on"}],
        created_at=at(created),
    )  # fmt: skip


def build_october() -> None:
    """The month described above (reference data must be loaded)."""
    first_penalties = run("SCJG", "penalty", "2026-09-01 09:00")
    october_penalties = run("SCJG", "penalty", "2026-10-15 10:00")
    october_registrations = run("SCJG", "registration", "2026-10-09 10:00")
    run("SCJG", "license", "2026-10-12 10:00", status=RunStatus.REJECTED)  # a refused file: not delivered
    penalty("SCJG", "CF-ONTIME", date(2026, 9, 30), "2026-10-15 10:00", october_penalties)
    penalty("SCJG", "CF-LATE", date(2026, 9, 30), "2026-10-16 09:00", october_penalties,
            legal_basis=None, authority_uscc="")  # fmt: skip
    penalty("SCJG", "CF-BACKFILL", date(2026, 8, 1), "2026-10-15 10:00", october_penalties)
    penalty("SCJG", "CF-LASTNIGHT", date(2026, 10, 30), "2026-10-31 23:30", october_penalties)
    penalty("SCJG", "CF-NOVEMBER", date(2026, 10, 30), "2026-11-01 00:10", october_penalties)
    corrected = penalty("SCJG", "CF-CORRECTED", date(2026, 9, 10), "2026-09-12 10:00", first_penalties)
    type(corrected).objects.filter(pk=corrected.pk).update(changed_at=at("2026-10-20 10:00"))
    withdrawn = penalty("SCJG", "CF-WITHDRAWN", date(2026, 10, 1), "2026-10-05 10:00", october_penalties)
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(withdrawn=True, changed_at=at("2026-10-21 10:00"))
    record("SCJG", "registration", "REG-1", arrived="2026-10-09 10:00", run_of=october_registrations,
           uscc="91360102MA35ABCD1X", name="南昌测试贸易有限公司", subject_type="enterprise",
           established_on=date(2026, 10, 8), status="existing", district_code="360102",
           **FULL_REGISTRATION)  # fmt: skip
    quarantine("SCJG", "penalty", "2026-10-10 10:00", october_penalties)

    fgw_penalties = run("FGW", "penalty", "2026-10-12 10:00")
    run("FGW", "honor", "2026-10-13 10:00", channel=Channel.PUSH)
    penalty("FGW", "CF-FGW", date(2026, 10, 12), "2026-10-12 10:00", fgw_penalties)
