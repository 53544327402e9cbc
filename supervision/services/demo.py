"""The demo city's history (`manage.py seed_demo`, which `make run` calls after loading the city).

A city loaded a minute ago has no past: no inspectors, no 双随机 task, no repair application, one
day of colour counts, and every record arrived today (so every department's timeliness is initial
backfill, "—"). Each step here gives the demo what weeks of real use would have, through the same
services the workspace uses (the rules they check apply), and marks every row it makes up or moves
back in time as demo data (warning_system.demo): the admin lists and filters them.

What cannot come from the services is said where it is done: steps that happened "days ago" run
under `demo_clock` (Django's clock moved back; the audit trail keeps the database's real time), the
colour counts of the days before the city existed are made up, and the arrival times of the
records decided in the last 60 days are moved back to plausible days after their decision.
Every step runs once: a step whose demo rows exist is skipped.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from supervision.selectors import inspections as workspace_selectors
from supervision.services import assessment
from supervision.services import inspections as workspace
from warning_system.classification import services as classification
from warning_system.classification.models import DailyColourCount, RepairApplication, SubjectColour
from warning_system.demo.selectors import demo_exists
from warning_system.demo.services import demo_mark, demo_mark_objects
from warning_system.inspections import services as core
from warning_system.inspections.models import Assignment, InspectionTask, Inspector
from warning_system.registry.choices import RunStatus
from warning_system.registry.models import RECORD_MODELS, IngestRun, Subject

SEED = 2026
# Inspectors of five departments (the demo accounts' departments); each one's fields.
INSPECTORS: dict[str, list[tuple[str, list[str]]]] = {
    "SCJG": [
        ("王建国", ["licences", "food", "products"]),
        ("李秀英", ["licences", "annual_reports", "pricing"]),
        ("张伟", ["food", "special_equipment"]),
        ("刘洋", ["licences", "advertising", "competition"]),
        ("陈静", ["annual_reports", "measurement", "products"]),
        ("杨帆", ["food", "licences", "pricing"]),
    ],
    "YJJD": [("赵敏", ["drugs", "food"]), ("黄磊", ["drugs"]), ("周婷", ["drugs", "licences"])],
    "WGLJ": [
        ("吴强", ["licences", "advertising"]),
        ("徐丽", ["licences"]),
        ("孙浩", ["advertising", "licences"]),
    ],
    "JTJ": [("马超", ["licences"]), ("朱红", ["licences"]), ("胡斌", ["licences"])],
    "WJW": [("郭芳", ["food", "licences"]), ("何勇", ["food"]), ("高霞", ["food", "licences"])],
}
# A staff account that is also an inspector (create_demo_staff's accounts): the first of its department.
INSPECTOR_ACCOUNTS = {"SCJG": "scjg_staff", "YJJD": "yjjd_staff", "WGLJ": "wglj_staff", "JTJ": "jtj_staff",
                      "WJW": "wjw_staff"}  # fmt: skip
WITNESS = {"label": "公开抽签会现场见证人输入的六位数字", "kind": "witness", "format": r"^\d{6}$"}


def _external(known_on: date) -> dict:
    return {"label": f"{known_on:%Y-%m-%d} 上证综合指数收盘点位", "kind": "external",
            "format": r"^\d{1,6}\.\d{2}$", "known_on": known_on}  # fmt: skip


@contextlib.contextmanager
def demo_clock(day: date) -> Iterator[None]:
    """Run services as on an earlier `day` (Python's clock moved back by whole days, time-machine, which
    `make install` installs with the development extras): a task frozen before the outside value of
    its seed existed, as the rules require. The audit trail takes its time from the database, so its
    entries still say when they were really made."""
    import time_machine  # only the demo travels in time

    with time_machine.travel(timezone.now() - (timezone.localdate() - day), tick=True):
        yield


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _leader(code: str):
    """A leader of the department (the demo accounts), else the administrator."""
    user = get_user_model().objects.filter(staff__department_id=code, staff__role="leader").first()
    return user or _user("admin")


# --------------------------------------------------------------------------- inspectors


def demo_inspectors_seed() -> int:
    """The inspectors directory of five departments, kept by their leaders (inspector_save, audited)."""
    if demo_exists(Inspector):
        return 0
    created = []
    for index, (code, people) in enumerate(sorted(INSPECTORS.items()), start=1):
        leader = _leader(code)
        account = INSPECTOR_ACCOUNTS.get(code)
        staff = get_user_model().objects.filter(username=account).first() if account else None
        for n, (name, fields) in enumerate(people, start=1):
            created.append(
                core.inspector_save(
                    inspector=None,
                    department_id=code,
                    user=leader,
                    data={
                        "name": name,
                        "badge_number": f"3601{index:02d}{n:04d}",
                        "qualifications": fields,
                        "active": True,
                        "conflicts": [],
                        "staff": staff.staff if staff is not None and n == 1 else None,
                    },
                )  # fmt: skip
            )
    demo_mark_objects(objects=created, what="演示检查人员")
    return len(created)


# --------------------------------------------------------------------------- 双随机 tasks


TASK_SUBJECTS = 1000  # about the directory of the published task: some twenty subjects drawn


def _task_district() -> list[str]:
    """The district whose number of existing subjects is nearest TASK_SUBJECTS: a task the size a demo
    can show in full."""
    counts = dict(
        Subject.objects.filter(status__in=workspace_selectors.EXISTING, withdrawn=False)
        .exclude(district_code=None)
        .values_list("district_code")
        .annotate(n=Count("uscc"))
        .values_list("district_code", "n")
    )
    return sorted(counts, key=lambda code: (abs(counts[code] - TASK_SUBJECTS), code))[:1]


def demo_published_task_seed() -> InspectionTask | None:
    """A task of the market regulator taken through every step: frozen twelve days ago (the outside
    value of its seed known the next day), seeded and drawn ten days ago, published nine days ago;
    since then about two thirds of its results entered (the drawn inspector, entered by the leader
    on their behalf), so the workspace shows results still open and the portal a published task."""
    if demo_exists(InspectionTask, what="演示抽查任务（已公示）"):
        return None
    leader = _leader("SCJG")
    today = timezone.localdate()
    district = _task_district()
    if not district:
        return None
    with demo_clock(today - timedelta(days=12)):
        task = core.task_save(
            task=None, department_id="SCJG", user=leader,
            data={"name": "食品经营者双随机抽查（演示）", "departments": ["SCJG"],
                  "scope": {"district_codes": district}, "items": ["经营资质", "进货查验", "从业人员健康证明"],
                  "qualifications": [], "ratios": {"green": 0.02, "yellow": 0.1, "orange": 0.3, "red": 0.5},
                  "inspectors_per_subject": 2},
        )  # fmt: skip
        task = workspace.task_freeze(
            task=task, user=leader, seed_sources=[WITNESS, _external(today - timedelta(days=11))]
        )
    with demo_clock(today - timedelta(days=10)):
        task = core.task_seed(task=task, user=leader, values=["482913", "3318.27"])
        task = core.task_draw(task=task, user=leader)
    with demo_clock(today - timedelta(days=9)):
        task = core.task_publish(
            task=task, user=leader, result_deadline=workspace_selectors.result_deadline()
        )
    _demo_results(task, leader, first_day=today - timedelta(days=9))
    demo_mark(model=InspectionTask, ids=[task.pk], what="演示抽查任务（已公示）")
    return task


RESULTS = ["no_problem"] * 6 + ["corrected", "pending", "unreachable", "no_activity"]


def _demo_results(task: InspectionTask, leader, *, first_day: date) -> int:
    rng = random.Random(SEED)
    today = timezone.localdate()
    span = (today - first_day).days
    assignments = list(
        Assignment.objects.filter(task=task).prefetch_related("inspectors", "manual").order_by("position")
    )
    entered = 0
    for assignment in assignments:
        inspectors = assignment.drawn_inspectors()
        if not inspectors or rng.random() > 0.67:
            continue
        core.result_record(
            assignment=assignment, user=leader, department_id="SCJG",
            inspected_on=first_day + timedelta(days=rng.randint(0, span)), result=rng.choice(RESULTS),
            note="现场检查，查验经营资质和进货台账。", inspector=inspectors[0], proxy=True,
        )  # fmt: skip
        entered += 1
    return entered


def demo_frozen_task_seed() -> InspectionTask | None:
    """A task of the culture and tourism bureau frozen today, its seed waiting for an outside value
    known in two days: the portal shows its published directory hashes before any seed exists."""
    if demo_exists(InspectionTask, what="演示抽查任务（待抽取）"):
        return None
    leader = _leader("WGLJ")
    today = timezone.localdate()
    task = core.task_save(
        task=None, department_id="WGLJ", user=leader,
        data={"name": "文化经营场所双随机抽查（演示）", "departments": ["WGLJ"], "scope": {},
              "items": ["经营许可", "广告宣传"], "qualifications": ["licences"],
              "ratios": {"green": 0.005, "yellow": 0.02, "orange": 0.05, "red": 0.1},
              "inspectors_per_subject": 2},
    )  # fmt: skip
    task = workspace.task_freeze(
        task=task, user=leader, seed_sources=[WITNESS, _external(today + timedelta(days=2))]
    )
    demo_mark(model=InspectionTask, ids=[task.pk], what="演示抽查任务（待抽取）")
    return task


# --------------------------------------------------------------------------- credit repair

REPAIR_REASONS = [
    "已按处罚决定缴清罚款，整改完毕，并提交整改报告。",
    "违法行为已纠正，已参加信用修复培训并作出信用承诺。",
    "已履行行政处罚决定，近一年未再发生违法行为。",
    "已完成整改，补充提交了相关证明材料。",
    "处罚已履行完毕，申请停止公示。",
]


def demo_repairs_seed() -> int:
    """Applications to repair penalties of the market regulator (records the rules allow repairing),
    made by the subjects themselves: two approved, one refused, the rest pending for the demo's
    reviewer (scjg_leader)."""
    if demo_exists(RepairApplication):
        return 0
    reviewer = _leader("SCJG")
    coloured = SubjectColour.objects.exclude(colour="green").values("subject_id")
    penalties = (
        RECORD_MODELS["penalty"]
        .objects.filter(
            department_id="SCJG",
            withdrawn=False,
            subject_id__in=coloured,
            decided_on__lte=timezone.localdate() - timedelta(days=183),
        )
        .order_by("-decided_on", "id")
        .values_list("id", "subject_name")
    )
    made: list[RepairApplication] = []
    for pk, name in penalties[:400].iterator():
        if len(made) == len(REPAIR_REASONS):
            break
        reason = REPAIR_REASONS[len(made)]
        try:
            made.append(
                classification.repair_apply(
                    kind="penalty",
                    record_pk=pk,
                    applicant="subject",
                    applicant_name=name or "申请人",
                    reason=reason,
                )
            )
        except classification.RepairError:
            continue
    decisions = [(True, "已核实整改材料，同意修复。"), (True, "整改到位，同意修复。"),
                 (False, "整改材料不全，未能证明已纠正违法行为。")]  # fmt: skip
    for application, (approve, reason) in zip(made, decisions, strict=False):
        classification.repair_decide(
            application=application, approve=approve, reviewer=reviewer, reason=reason
        )
    demo_mark_objects(objects=made, what="演示信用修复申请")
    return len(made)


# --------------------------------------------------------------------------- colour history

HISTORY_DAYS = 60


def demo_colour_history_seed(days: int = HISTORY_DAYS) -> int:
    """Today's counts through the nightly job's service; the days before, which the city did not live,
    made up (a slow drift ending at today's mix) and marked: the statistics page draws a trend."""
    today = timezone.localdate()
    counts = classification.daily_counts_record(today)
    if demo_exists(DailyColourCount):
        return 0  # made up once; the days since are the nightly job's
    existing = set(
        DailyColourCount.objects.filter(day__gt=today - timedelta(days=days)).values_list("day", flat=True)
    )
    rng = random.Random(SEED)
    made = []
    for back in range(1, days):
        day = today - timedelta(days=back)
        growth = 1 - 0.0015 * back  # the city had fewer subjects then
        wave = math.sin(back / 7)
        row = {
            "green": counts.green * growth,
            "yellow": counts.yellow * (growth + 0.03 * wave),
            "orange": counts.orange * (growth - 0.04 * wave + 0.001 * back),
            "red": counts.red * (growth + 0.002 * back),
        }
        if day in existing:
            continue
        made.append(
            DailyColourCount(day=day, **{c: max(0, round(v + rng.uniform(-1, 1))) for c, v in row.items()})
        )
    DailyColourCount.objects.bulk_create(made)
    demo_mark(model=DailyColourCount, ids=[row.day for row in made], what="演示颜色历史")
    return len(made)


# --------------------------------------------------------------------------- timeliness

ARRIVAL_WHAT = "演示到达时间（已回拨）"
LIVE_WHAT = "演示上线时间（已回拨）"
# Days between a decision and its arrival: most within the deadline, some late (7 working days ≈ 9 days).
LAG_DAYS = 12


def demo_arrivals_backdate(days: int = HISTORY_DAYS) -> int:
    """Move back the arrival of every record decided in the last `days` days to a day after its decision
    (a deterministic lag of 0–11 days, at most now), and each department's first delivery of the kind
    to the start of that window: as if the departments had been sending for two months, so the monthly
    assessment scores their timeliness instead of counting everything as initial backfill."""
    if demo_exists(IngestRun, what=LIVE_WHAT):
        return 0
    start_day = timezone.localdate() - timedelta(days=days)
    went_live = timezone.make_aware(datetime.combine(start_day, time(9)))
    moved = 0
    with transaction.atomic():
        firsts = []
        for kind in assessment.DECISION_DATES:
            runs = (
                IngestRun.objects.filter(
                    kind=kind, status=RunStatus.SUCCEEDED, channel__in=assessment.FEED_CHANNELS
                )
                .order_by("department_id", "started_at")
                .distinct("department_id")
            )
            firsts += [run for run in runs if run.started_at > went_live]
        for run in firsts:
            took = (run.finished_at - run.started_at) if run.finished_at else timedelta(0)
            run.started_at, run.finished_at = went_live, went_live + took
        IngestRun.objects.bulk_update(firsts, ["started_at", "finished_at"])
        demo_mark(model=IngestRun, ids=[run.pk for run in firsts], what=LIVE_WHAT)
        for kind, column in assessment.DECISION_DATES.items():
            model = RECORD_MODELS[kind]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    UPDATE {model._meta.db_table} t SET received_at = a.at, changed_at = a.at
                    FROM (SELECT id, LEAST(received_at, timezone(%(tz)s, "{column}"
                              + (abs(hashtext(record_id)) %% %(lag)s) * interval '1 day' + interval '10 hours')) AS at
                          FROM {model._meta.db_table}
                          WHERE "{column}" >= %(start)s AND received_at >= %(live)s) a
                    WHERE t.id = a.id AND a.at < t.received_at
                    RETURNING t.id
                    """,
                    {"tz": settings.TIME_ZONE, "lag": LAG_DAYS, "start": start_day, "live": went_live},
                )
                ids = [row[0] for row in cursor.fetchall()]
            moved += demo_mark(model=model, ids=ids, what=ARRIVAL_WHAT)
    return moved


def demo_assess() -> list[date]:
    """The monthly assessment of this month and the last, with the arrivals as they now stand."""
    this_month = timezone.localdate().replace(day=1)
    months = [assessment.previous_month(this_month), this_month]
    for month in months:
        assessment.month_assess(month.year, month.month)
    return months
