"""Helpers of the 双随机 tests (no tests here): subjects stored the way the registry holds them,
inspectors, and a task taken through its steps with the workspace's services."""

from __future__ import annotations

import itertools
from datetime import timedelta

import factory
import time_machine
from django.utils import timezone

from supervision.selectors import inspections as workspace_selectors
from supervision.services import inspections as services
from tests.factories import StaffFactory, make_uscc
from warning_system.classification.models import SubjectColour
from warning_system.classification.services import ruleset_for
from warning_system.inspections import services as core
from warning_system.inspections.models import InspectionTask, Inspector
from warning_system.registry.models import Department, Subject

_serial = itertools.count(1)
VALUES = ["482913", "3318.27"]


def sources(known_on=None) -> list[dict]:
    """A witness number and an outside value known on `known_on` (default: today)."""
    return [
        {"label": "公开抽签会现场见证人输入的六位数字", "kind": "witness", "format": r"^\d{6}$"},
        {"label": "冻结次日上证综合指数收盘点位", "kind": "external", "format": r"^\d{1,6}\.\d{2}$",
         "known_on": known_on or timezone.localdate()},
    ]  # fmt: skip


def freeze(task: InspectionTask, user, **kwargs) -> InspectionTask:
    """Freeze the day before today, announcing an outside value known today (so it can seed now)."""
    known_on = timezone.localdate()
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        return services.task_freeze(task=task, user=user, seed_sources=sources(known_on), **kwargs)


class InspectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspector

    department = factory.LazyFunction(lambda: Department.objects.get(code="SCJG"))
    name = factory.Sequence(lambda n: f"检查员{n}")
    badge_number = factory.Sequence(lambda n: f"36010{n:05d}")
    qualifications = factory.LazyFunction(lambda: ["food", "licences"])
    active = True


def subject(
    *, colour: str | None = None, district: str = "360102", industry: str = "F5211", **fields
) -> Subject:
    """A registered, existing subject, with a stored colour when given."""
    uscc = make_uscc(district=district)
    now = timezone.now()
    fields.setdefault("status", "existing")
    row = Subject.objects.create(
        uscc=uscc, name=f"南昌抽查测试{uscc[-6:]}有限公司", subject_type="enterprise",
        district_code=district, industry_code=industry, source_updated_at=now - timedelta(days=1), registered_by_id="SCJG",
        **fields,
    )  # fmt: skip
    if colour:
        SubjectColour.objects.create(
            subject=row,
            colour=colour,
            evaluated_on=timezone.localdate(),
            ruleset=ruleset_for(timezone.localdate()),
        )
    return row


def leader(department: str = "SCJG"):
    return StaffFactory(department=Department.objects.get(code=department), role="leader")


def draft(user, *, department: str = "SCJG", **overrides) -> InspectionTask:
    data = {
        "name": "2026年度食品经营者双随机抽查",
        "departments": [department],
        "scope": {},
        "items": ["经营资质", "进货查验"],
        "qualifications": [],
        "ratios": {"green": 0.5, "yellow": 0.5, "orange": 1.0, "red": 1.0},
        "inspectors_per_subject": 2,
    }
    data.update(overrides)
    return core.task_save(task=None, department_id=department, user=user, data=data)


def frozen(user, **overrides) -> InspectionTask:
    return freeze(draft(user, **overrides), user)


def seeded(user, **overrides) -> InspectionTask:
    return core.task_seed(task=frozen(user, **overrides), user=user, values=VALUES)


def drawn(user, **overrides) -> InspectionTask:
    return core.task_draw(task=seeded(user, **overrides), user=user)


def published(user, **overrides) -> InspectionTask:
    return core.task_publish(
        task=drawn(user, **overrides), user=user, result_deadline=workspace_selectors.result_deadline()
    )


def small_city(subjects: int = 6, inspectors: int = 4, department: str = "SCJG") -> list[Subject]:
    """Subjects of every colour and enough inspectors for two per subject."""
    colours = ["green", None, "yellow", "orange", "red", "green"]
    rows = [subject(colour=colours[i % len(colours)]) for i in range(subjects)]
    InspectorFactory.create_batch(inspectors, department=Department.objects.get(code=department))
    return rows
