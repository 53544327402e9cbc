"""Known answers of the collectors: one sample file, the exact rows it stores.

`docs/feeds/samples/SCJG/penalty_20261102090000.jsonl` is what a department is shown as the example of
a penalty feed. Ingested alone, it must store exactly these typed values: dates in three spellings,
multi-valued categories with two separators, amounts in 万元, a hyphenated organisation code, Chinese
enum labels folded to their codes, empty strings as no value, the version in China time. Any change to
how a value is read shows here first, value by value. The content hash is pinned too: changing how it
is computed would make every department's next resend count as an update.
"""

import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from collectors.services import collect_inbox
from tests.collectors.conftest import SAMPLES
from warning_system.registry.models import Penalty

pytestmark = pytest.mark.django_db

SAMPLE = SAMPLES / "SCJG" / "penalty_20261102090000.jsonl"
VERSION = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # "2026-11-02T09:00:00", China time
NOTHING = {"legal_rep_id_type": None, "suspended_or_revoked_license": None, "penalty_valid_to": None,
           "data_source": None, "data_source_uscc": None, "remark": None, "registration_number": None,
           "department_id": "SCJG", "updated_at": VERSION, "withdrawn": False, "received_via": "file"}  # fmt: skip

STORED = {
    "CF-2026-000101": {
        **NOTHING,
        "subject_id": "91360102MA3AY4CL6J",
        "uscc": "91360102MA3AY4CL6J",
        "organization_code": None,
        "subject_name": "南昌赣江源餐饮管理有限公司",
        "content_hash": "de28a7d18f0538cf014cd27a4ecb1ed8",
        "subject_category": "legal_person",
        "legal_representative": "刘建华",
        "document_number": "洪市监处罚〔2026〕101号",
        "violation_type": "食品安全",
        "violation_facts": "经营超过保质期的食品",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "penalty_categories": ["fine", "confiscate_illegal_gains"],  # "罚款;没收违法所得"
        "penalty_content": "罚款人民币伍万元，没收违法所得",
        "fine_amount": Decimal("5"),
        "confiscation_amount": Decimal("0.32"),
        "decided_on": date(2026, 10, 28),  # "2026-10-28"
        "publish_until": date(2029, 10, 28),
        "authority": "南昌市市场监督管理局",
        "authority_uscc": "11360100070056499A",
        "procedure": "ordinary",  # "普通程序"
    },
    "CF-2026-000102": {
        **NOTHING,
        "subject_id": "92360113MA3H3J9H23",
        "uscc": "92360113MA3H3J9H23",
        "organization_code": None,
        "subject_name": "南昌市红谷滩区百草堂大药房",
        "content_hash": "ac384b5ce39aaf6a42b700a38b3dda7d",
        "subject_category": "individual_business",  # "个体工商户"
        "legal_representative": "陈秀英",
        "document_number": "红市监简罚〔2026〕12号",
        "violation_type": "价格违法",
        "violation_facts": "未明码标价",
        "legal_basis": "《中华人民共和国价格法》第四十二条",
        "penalty_categories": ["warning"],
        "penalty_content": "警告",
        "fine_amount": None,  # ""
        "confiscation_amount": None,
        "decided_on": date(2026, 10, 20),  # "2026年10月20日"
        "publish_until": None,
        "authority": "南昌市市场监督管理局红谷滩分局",
        "authority_uscc": None,
        "procedure": "simple",  # "简易程序"
    },
    "CF-2026-000103": {
        **NOTHING,
        "subject_id": None,  # named by organisation code only, and no registration was loaded
        "uscc": None,
        "organization_code": "MA3HD1TJ1",  # "MA3HD1-TJ1"
        "subject_name": "江西洪都精密机械制造有限公司",
        "content_hash": "415c302e3c2cef9bf16ebcc408d34a23",
        "subject_category": "legal_person",
        "legal_representative": None,
        "document_number": "洪市监处罚〔2026〕88号",
        "violation_type": "产品质量",
        "violation_facts": "生产不符合保障人体健康和人身、财产安全的国家标准的产品",
        "legal_basis": "《中华人民共和国产品质量法》第四十九条",
        "penalty_categories": [
            "fine",
            "confiscate_illegal_gains",
            "order_suspension",
        ],  # "罚款、没收违法所得、责令停产停业"
        "penalty_content": "责令停产停业，罚款拾贰万伍仟元",
        "fine_amount": Decimal("12.5"),
        "confiscation_amount": Decimal("1.8"),
        "decided_on": date(2026, 10, 15),  # "2026/10/15"
        "publish_until": None,
        "authority": "南昌市市场监督管理局",
        "authority_uscc": None,
        "procedure": "ordinary",
    },
}


@pytest.fixture
def collected(reference_data, inbox):
    (inbox / "SCJG").mkdir()
    shutil.copy(SAMPLE, inbox / "SCJG")
    return collect_inbox(inbox)


def test_the_sample_file_stores_three_records(collected):
    counts = {k: collected["totals"][k] for k in ("received", "inserted", "quarantined", "errors")}
    assert counts == {"received": 3, "inserted": 3, "quarantined": 0, "errors": 0}


def test_each_record_is_stored_with_exactly_these_values(collected):
    columns = list(STORED["CF-2026-000101"])
    stored = {row["record_id"]: row for row in Penalty.objects.values("record_id", *columns)}
    assert {record_id: {c: row[c] for c in columns} for record_id, row in stored.items()} == STORED


def test_each_record_is_kept_as_received_beside_it(collected):
    as_received = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    kept = [p.private.raw for p in Penalty.objects.order_by("record_id")]
    assert kept == as_received
    assert [p.private.personal for p in Penalty.objects.order_by("record_id")] == [{}, {}, {}]
