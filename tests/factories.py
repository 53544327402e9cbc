"""Factories for feed records as departments write them, and for stored registry rows."""

from __future__ import annotations

import itertools

import factory
from stdnum.cn import uscc as stdnum_uscc

from collectors.normalize import organization_code_check
from warning_system.registry.models import Department

_serial = itertools.count(1)


def make_uscc(serial: int | None = None, *, prefix: str = "91", district: str = "360102") -> str:
    """A valid USCC whose organisation code carries a valid GB 11714 check character."""
    serial = next(_serial) if serial is None else serial
    body = f"MA{serial:06d}"
    org = body + organization_code_check(body)
    partial = prefix + district + org
    return partial + stdnum_uscc.calc_check_digit(partial)


def wrong_check(uscc: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return uscc[:-1] + alphabet[(alphabet.index(uscc[-1]) + 1) % len(alphabet)]


def registration(uscc: str, **overrides) -> dict:
    record = {
        "record_id": f"REG-{uscc}",
        "op": "upsert",
        "updated_at": "2026-11-01 08:00:00",
        "uscc": uscc,
        "name": f"南昌测试{uscc[-6:]}贸易有限公司",
        "subject_type": "enterprise",
        "legal_representative": "张伟",
        "legal_rep_id_number": "360102198502275482",
        "registered_capital": "100",
        "established_on": "2020-05-01",
        "status": "存续",
        "district_code": "360102",
        "business_scope": "日用百货销售",
        "phone": "13800000000",
    }
    record.update(overrides)
    return record


def penalty(uscc: str | None, record_id: str, **overrides) -> dict:
    record = {
        "record_id": record_id,
        "op": "upsert",
        "updated_at": "2026-11-02T09:00:00",
        "subject_name": "南昌测试贸易有限公司",
        "uscc": uscc,
        "legal_rep_id_number": "360102198502275482",
        "document_number": f"洪市监处罚〔2026〕{record_id}号",
        "violation_type": "价格违法",
        "penalty_categories": "罚款",
        "fine_amount": "1.5",
        "decided_on": "2026-10-20",
        "authority": "南昌市市场监督管理局",
        "procedure": "普通程序",
    }
    record.update(overrides)
    return {k: v for k, v in record.items() if v is not None}


def abnormal_listing(uscc: str, record_id: str, **overrides) -> dict:
    record = {
        "record_id": record_id,
        "updated_at": "2026-11-02T09:00:00",
        "subject_name": "南昌测试贸易有限公司",
        "uscc": uscc,
        "listed_on": "2026-06-01",
        "listing_reason": "未按规定报送年度报告",
        "listing_authority": "南昌市市场监督管理局",
    }
    record.update(overrides)
    return {k: v for k, v in record.items() if v is not None}


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.LazyAttribute(lambda o: f"测试部门{o.code}")
    uscc = factory.Sequence(lambda n: make_uscc(900000 + n, prefix="11", district="360100"))
    kinds = factory.LazyFunction(lambda: ["registration", "penalty", "license"])


class StaffFactory(factory.django.DjangoModelFactory):
    """A regulator's login: `StaffFactory(department=..., role="leader")`; the password is "pass"."""

    class Meta:
        model = "accounts.StaffProfile"

    user = factory.SubFactory(
        "tests.factories.UserFactory",
        is_staff=factory.SelfAttribute("..is_admin"),
        is_superuser=factory.SelfAttribute("..is_admin"),
    )
    department = factory.SubFactory(DepartmentFactory)
    role = "staff"

    class Params:
        is_admin = factory.LazyAttribute(lambda o: o.role == "admin")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "auth.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass")
