"""A small city for the portal's tests, loaded through the real collectors (so the colour engine
runs on commit, as in production): one subject of each colour, plus personal data planted in
every place a department could put it."""

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from collectors.services import collect_inbox
from tests.collectors.conftest import write_csv, write_jsonl
from tests.factories import make_uscc, penalty, registration
from warning_system.registry.services import reference_data_load

# Personal data that must never appear publicly: a resident ID number that passes the checksum,
# mobile phones, a complainant.
ID_NUMBER = "360102198502275482"
PHONE = "13800000000"
COMPLAINANT = "王小明"
COMPLAINANT_PHONE = "13912345678"
PERSONAL = (ID_NUMBER, PHONE, COMPLAINANT, COMPLAINANT_PHONE)


@dataclass
class PortalCity:
    green: str
    yellow: str
    orange: str
    red: str
    unregistered: str  # has a penalty but no registration yet

    @property
    def registered(self) -> list[str]:
        return [self.green, self.yellow, self.orange, self.red]


def _day(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


@pytest.fixture
def portal_city(db, tmp_path, django_capture_on_commit_callbacks) -> PortalCity:
    # The colour engine runs when the ingest commits, as it does in production.
    with django_capture_on_commit_callbacks(execute=True):
        return build_portal_city(tmp_path)


def build_portal_city(tmp_path) -> PortalCity:
    """The city itself, for fixtures of any scope (the caller makes the on-commit work run)."""
    reference_data_load()
    city = PortalCity(*(make_uscc() for _ in range(5)))
    names = {
        city.green: "南昌赣江绿色餐饮有限公司",
        city.yellow: "南昌赣江黄色贸易有限公司",
        city.orange: "南昌洪都橙色建材有限公司",
        city.red: "南昌洪都红色食品有限公司",
    }
    inbox = tmp_path / "inbox"
    write_csv(
        inbox / "SCJG" / "registration_20261101080000.csv",
        [registration(uscc, name=name, district_code="360102" if i % 2 else "360111",
                      industry_code="F5211" if i < 2 else "C1310", legal_representative=f"法人{i}")
         for i, (uscc, name) in enumerate(names.items())],
    )  # fmt: skip
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl",
        [
            # An ordinary fine of 1.5万元 decided 30 days ago: yellow for a year.
            penalty(city.yellow, "PY-1", decided_on=_day(30),
                    violation_facts=f"当事人法定代表人（身份证号 {ID_NUMBER}，电话 {PHONE}）销售过期食品"),
            # Confiscation: orange.
            penalty(city.orange, "PO-1", decided_on=_day(60), penalty_categories="没收违法所得"),
            # A warning only: never public, never counts.
            penalty(city.green, "PG-1", decided_on=_day(10), penalty_categories="警告",
                    document_number="洪市监警告〔2026〕1号"),
            # A penalty 5 years old: out of its window.
            penalty(city.green, "PG-2", decided_on=_day(5 * 366), document_number="洪市监处罚〔2021〕9号"),
            penalty(city.unregistered, "PU-1", decided_on=_day(20)),
        ],
    )  # fmt: skip
    write_jsonl(
        inbox / "SCJG" / "serious_violation_20261102090000.jsonl",
        [{"record_id": "SV-1", "updated_at": "2026-11-02", "uscc": city.red, "subject_name": names[city.red],
          "listed_on": _day(100), "listing_reason": "提交虚假材料取得登记", "authority": "南昌市市场监督管理局"}],
    )  # fmt: skip
    write_jsonl(
        inbox / "SCJG" / "complaint_20261102090000.jsonl",
        [{"record_id": f"C{i}", "updated_at": "2026-11-02", "uscc": city.yellow, "subject_name": "x",
          "received_on": _day(20 + i), "category": "质量", "handling_status": "办结",
          "mediation_result": "调解失败" if i < 4 else "调解成功",
          "summary": f"投诉人{COMPLAINANT}（{COMPLAINANT_PHONE}）反映食品变质",
          "complainant_name": COMPLAINANT, "complainant_phone": COMPLAINANT_PHONE}
         for i in range(6)],
    )  # fmt: skip
    write_jsonl(
        inbox / "ZY" / "dishonest_debtor_20261102090000.jsonl",
        [{"record_id": "DD-1", "updated_at": "2026-11-02", "uscc": city.red, "subject_name": names[city.red],
          "legal_representative": "法人3", "case_number": "（2026）赣01执123号", "court": "南昌市中级人民法院",
          "performance": "全部未履行", "published_on": _day(40)}],
    )  # fmt: skip
    collect_inbox(inbox)
    return city


_files = itertools.count(1)


def ingest(tmp_path, dept: str, kind: str, records: list[dict]) -> dict:
    """Drop one feed file into a fresh inbox and collect it; every record must be accepted."""
    n = next(_files)
    stamp = (datetime(2026, 11, 3, 8) + timedelta(minutes=n)).strftime("%Y%m%d%H%M%S")
    inbox = tmp_path / f"inbox-{n}"
    write_jsonl(inbox / dept / f"{kind}_{stamp}.jsonl", records)
    report = collect_inbox(inbox)
    assert report["totals"]["quarantined"] == 0 and report["totals"]["errors"] == 0, report
    return report
