"""Subjects of each colour for the joint-punishment tests, stored through the push service and coloured
by the engine as in production (helpers only, no tests here)."""

from __future__ import annotations

import itertools

from tests.supervision.feeds import days_ago, fine, push, register, version

_serial = itertools.count(1)


def serious_violation(uscc: str, record_id: str | None = None, **overrides) -> dict:
    record = {
        "record_id": record_id or f"YZ-{next(_serial)}", "updated_at": version(), "uscc": uscc,
        "subject_name": "南昌测试贸易有限公司", "listed_on": days_ago(30), "listing_reason": "提交虚假材料取得登记",
        "authority": "南昌市市场监督管理局", "document_number": f"洪市监严列〔2026〕{next(_serial)}号",
    }  # fmt: skip
    return {**record, **overrides}


def abnormal_listing(uscc: str, record_id: str | None = None, **overrides) -> dict:
    record = {
        "record_id": record_id or f"YC-{next(_serial)}", "updated_at": version(), "uscc": uscc,
        "subject_name": "南昌测试贸易有限公司", "listed_on": days_ago(40), "listing_reason": "未按规定报送年度报告",
        "listing_authority": "南昌市市场监督管理局", "listing_document_number": f"洪市监异〔2026〕{next(_serial)}号",
    }  # fmt: skip
    return {**record, **overrides}


def dishonest_debtor(uscc: str, record_id: str | None = None, **overrides) -> dict:
    record = {
        "record_id": record_id or f"SX-{next(_serial)}", "updated_at": version(), "uscc": uscc,
        "subject_name": "南昌测试贸易有限公司", "case_number": f"（2026）赣01执{next(_serial)}号",
        "court": "南昌市中级人民法院", "performance": "全部未履行", "published_on": days_ago(20),
    }  # fmt: skip
    return {**record, **overrides}


def red() -> str:
    """On the serious-violation list (SCJG)."""
    uscc = register()
    push("SCJG", "serious_violation", [serious_violation(uscc)])
    return uscc


def red_debtor() -> str:
    """A dishonest judgment debtor (the intermediate court)."""
    uscc = register()
    push("ZY", "dishonest_debtor", [dishonest_debtor(uscc)])
    return uscc


def orange() -> str:
    """On the abnormal-operation list."""
    uscc = register()
    push("SCJG", "abnormal_listing", [abnormal_listing(uscc)])
    return uscc


def yellow() -> str:
    """An ordinary fine of 1.5万元."""
    uscc = register()
    push("SCJG", "penalty", [fine(uscc)])
    return uscc


def green() -> str:
    return register()


MAKERS = {"red": red, "orange": orange, "yellow": yellow, "green": green}
