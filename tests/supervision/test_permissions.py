"""The permission matrix of the workspace: every URL of the "supervision" namespace × role (staff,
department leader, system administrator) × the object's department (the user's own or another),
and anonymous visitors.

The objects all belong to OWN (SCJG): a 双告知 notification pushed to it, one it returned to the
shared pool, one overdue with its written notice, one answered and waiting to be closed; an item of
its linked-supervision inbox and its subscription rule; its key supervision and an alert; a repair
application on its penalty; its pre-warning; an entry of its audit trail. The "own" user works in
SCJG, the "other" one in WGLJ, which has nothing to do with any of them.

Expected: anonymous → the login page; allowed → 200 (a page) or 302 (an action done); a role not
allowed or another department's object → 403, recorded in the audit trail as a denial. Objects of
another department answer 403, never 404: the issue asks for denials, and they are audited. System
administrators (TOTP passed) see every department; acting on a department's work stays with its
members, except closing a 双告知 notification (its leader's or any administrator's). List pages
also show whether OWN's object is on them: lists of a department's own work (inbox, rules, key
supervision, repair, pre-warnings) show only the user's department, administrators included; the
双告知 queues, the dashboard and the audit search show everything to administrators; the shared pool
shows to every department.

The world is built once per module inside a transaction rolled back at the end; each test runs in
a savepoint of its own (pytest-django's `db`), so what one cell changes no other cell sees. A URL
added to the namespace without a row in ROWS fails `test_every_workspace_url_has_a_row`.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import transaction
from django.db.models import Max
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from supervision.models import DualNotification, DualStatus, InboxItem, KeySupervisionAlert, Subscription
from supervision.services import dual as dual_services
from supervision.services import linked as linked_services
from supervision.services.assessment import month_assess
from tests.auth import log_in
from tests.factories import StaffFactory, UserFactory, make_uscc
from tests.supervision.dual_feeds import FOOD_SCOPE
from tests.supervision.feeds import days_ago, fine, licence, push, register, stored, version
from warning_system.audit.models import Action, AuditEntry
from warning_system.audit.services import audit_record
from warning_system.classification.services import repair_apply
from warning_system.evidence.models import EvidenceFile
from warning_system.evidence.services import storage_path
from warning_system.inspections import verify_draw
from warning_system.inspections.models import (
    Assignment,
    Attachment,
    DrawFile,
    InspectionTask,
    Inspector,
    TaskStatus,
)
from warning_system.objections.models import Objection
from warning_system.registry.models import Department, PostLicenceCatalogEntry, Subject
from warning_system.registry.services import reference_data_load
from warning_system.sanctions import services as sanctions
from warning_system.sanctions.measures import default_measures

OWN, OTHER = "SCJG", "WGLJ"
ROLES = ("staff", "leader", "admin")
SIDES = ("own", "other")
ANONYMOUS = "anonymous"

# Expected outcomes: a status code, or the path a 302 must lead to.
OK, DONE, DENIED = 200, 302, 403
LOGIN = "/supervision/login/"
HOME = "/supervision/"
OTP_SETUP = "/supervision/otp/setup/"
OTP_VERIFY = "/supervision/otp/verify/"

# Who sees OWN's object on a list page (own department: always).
DEPARTMENT = "department"  # only OWN's members, administrators of other departments included
CITY = "city"  # OWN's members and every administrator
SHARED = "shared"  # every department
CITY_LEADERS = "city_leaders"  # OWN's members and every leader and administrator

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


# --------------------------------------------------------------------------- the world


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def notification_of(uscc: str) -> DualNotification:
    return DualNotification.objects.get(subject_id=uscc, department_id=OWN)


def build_world() -> SimpleNamespace:
    """OWN's objects of every area, and a user per role in OWN and in OTHER."""
    reference_data_load()
    users = {
        (role, code): StaffFactory(department=Department.objects.get(code=code), role=role)
        for role in ROLES
        for code in (OWN, OTHER)
    }
    scjg_staff, scjg_leader = users["staff", OWN], users["leader", OWN]

    # 双告知: registered 36 days ago, unclaimed and unlicensed → pooled, then overdue with a notice.
    with time_machine.travel(timezone.now() - timedelta(days=35), tick=False):
        overdue = register(business_scope=FOOD_SCOPE, established_on=days_ago(1), updated_at=version())
        answered = register(business_scope=FOOD_SCOPE, established_on=days_ago(1), updated_at=version())
    dual_services.dual_notifications_advance()
    dual_services.dual_notification_feedback(
        notification_id=notification_of(answered).pk, staff=scjg_staff, choice="case_opened", note="已立案"
    )
    # …and two registered the day before yesterday: one waits to be claimed, one was returned to the pool.
    pushed = register(business_scope=FOOD_SCOPE, established_on=days_ago(2))
    pooled = register(business_scope=FOOD_SCOPE, established_on=days_ago(2))
    dual_services.dual_notification_return(
        notification_id=notification_of(pooled).pk, staff=scjg_staff, reason="非本部门事项"
    )

    # 联动监管: OWN follows licences; WJW grants one.
    subscription = Subscription.objects.create(department_id=OWN, name="权限矩阵订阅规则", kinds=["license"])
    inbox_subject = register()
    push("WJW", "license", [licence(inbox_subject, "XK-PERM-INBOX")])

    # 重点监管: OWN's leader watches a subject; SWJ then fines it.
    key_subject = register()
    key = linked_services.key_supervision_start(
        department_id=OWN, subject_uscc=key_subject, reason="多次被投诉",
        ends_on=timezone.localdate() + timedelta(days=90), user=scjg_leader.user,
    )  # fmt: skip
    push("SWJ", "penalty", [fine(key_subject, "CF-PERM-KEY")])

    # 信用修复: an application to repair OWN's fine of 200 days ago.
    repair_subject = register()
    push(OWN, "penalty", [fine(repair_subject, "CF-PERM-REPAIR", decided_on=days_ago(200))])
    application = repair_apply(
        kind="penalty", record_pk=stored("penalty", OWN, "CF-PERM-REPAIR").pk, applicant="subject",
        applicant_name="南昌测试贸易有限公司", reason="已按期缴纳罚款并整改",
    )  # fmt: skip

    # 预警提醒: OWN's licence expiring in 10 days.
    prewarning_subject = register()
    push(OWN, "license", [licence(prewarning_subject, "XK-PERM-SOON", valid_to=in_days(10),
                                  authority="南昌市市场监督管理局")])  # fmt: skip

    # 监管留痕: an entry of OWN's trail.
    audit_subject = make_uscc()
    audit_record(action=Action.CLAIM, actor=scjg_staff.user, subject_uscc=audit_subject)

    # The catalogue: an entry of its own, edited once (versions 1 and 2).
    dual_services.catalogue_entry_save(
        entry_id=None, licence="权限矩阵测试许可证", department_id=OWN, scope_keywords=["权限矩阵测试"],
        legal_basis="", author=users["admin", OWN].user, note="权限矩阵",
    )  # fmt: skip

    # 联合惩戒: OWN's staff checked a red subject for procurement (restricted, no outcome yet).
    joint_subject = register()
    push(OWN, "serious_violation", [joint_listing(joint_subject)])
    joint = sanctions.subject_check(uscc=joint_subject, use="procurement",
                                    requester=sanctions.Requester.of_staff(scjg_staff)).check  # fmt: skip

    world = SimpleNamespace(
        users=users,
        joint_check=joint,
        dual={
            "pushed": notification_of(pushed),
            "pooled": notification_of(pooled),
            "overdue": notification_of(overdue),
            "feedback": notification_of(answered),
        },
        subscription=subscription,
        inbox_item=InboxItem.objects.get(department_id=OWN, record_id="XK-PERM-INBOX"),
        key=key,
        alert=KeySupervisionAlert.objects.get(key_supervision=key, record_id="CF-PERM-KEY"),
        application=application,
        catalogue_entry=PostLicenceCatalogEntry.objects.get(licence="权限矩阵测试许可证"),
        key_candidate=register(),
        subjects={
            "pushed": pushed,
            "pooled": pooled,
            "inbox": inbox_subject,
            "key": key_subject,
            "repair": repair_subject,
            "prewarning": prewarning_subject,
            "audit": audit_subject,
            "joint": joint_subject,
        },
    )
    assert [n.status for n in world.dual.values()] == [
        DualStatus.PUSHED, DualStatus.POOLED, DualStatus.OVERDUE, DualStatus.FEEDBACK,
    ]  # fmt: skip
    assert world.dual["overdue"].notice_number
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction that is rolled back after its last test."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as TestCase's own class-wide block: durable blocks may nest
        outer.__enter__()
        try:
            with override_settings(CACHES=LOCAL_CACHE):  # as `fresh_cache` gives each test
                built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def cell(world, db):
    """The world, inside this test's own savepoint."""
    return world


# --------------------------------------------------------------------------- the table


def no_args(world) -> list:
    return []


def dual(state: str) -> Callable:
    return lambda world: [world.dual[state].pk]


def marker(subject: str) -> Callable:
    return lambda world, response: world.subjects[subject] in content(response)


def dashboard_of_own(world, response) -> bool:
    return response.context["board"].department.code == OWN


def rule_of_own(world, response) -> bool:
    return world.subscription.name in content(response)


@dataclass(frozen=True)
class Shows:
    """A list page's check that it shows OWN's object, and who should see it."""

    check: Callable
    scope: str

    def expected(self, role: str, side: str) -> bool:
        return (side == "own" or self.scope == SHARED or (self.scope == CITY and role == "admin")
                or (self.scope == CITY_LEADERS and role in ("leader", "admin")))  # fmt: skip


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    # staff own, staff other, leader own, leader other, admin own, admin other
    expect: tuple
    args: Callable = no_args
    data: Callable | None = None
    query: dict = field(default_factory=dict)
    anonymous: int | str = LOGIN
    label: str = ""
    shows: Shows | None = None

    @property
    def id(self) -> str:
        return f"{self.name}.{self.label}" if self.label else self.name

    def expected(self, role: str, side: str | None) -> int | str:
        if role == ANONYMOUS:
            return self.anonymous
        return self.expect[ROLES.index(role) * 2 + SIDES.index(side)]


GET, POST = "get", "post"
ALL_OK = (OK,) * 6
ADMINS_ONLY = (DENIED, DENIED, DENIED, DENIED, OK, OK)
ADMINS_ACT = (DENIED, DENIED, DENIED, DENIED, DONE, DONE)
LEADERS_OK = (DENIED, DENIED, OK, OK, OK, OK)
LEADERS_ACT = (DENIED, DENIED, DONE, DONE, DONE, DONE)
OWN_OR_ADMIN = (OK, DENIED, OK, DENIED, OK, OK)  # see an object of a department: its members, administrators
OWN_ACT = (DONE, DENIED, DONE, DENIED, DONE, DENIED)  # act on it: its members only
OWN_LEADER_ACT = (DENIED, DENIED, DONE, DENIED, DONE, DENIED)
OWN_ONLY = (OK, DENIED, OK, DENIED, OK, DENIED)  # its members only, administrators of it included


def joint_listing(uscc: str) -> dict:
    return {"record_id": f"YZ-PERM-{uscc[-6:]}", "updated_at": version(), "uscc": uscc, "subject_name": "权限矩阵公司",
            "listed_on": in_days(-30), "listing_reason": "提交虚假材料", "authority": "南昌市市场监督管理局"}  # fmt: skip


def joint_catalogue(world) -> dict:
    data = {"effective_from": in_days(0), "note": "权限矩阵"}
    for use, entry in default_measures().items():
        data |= {f"{use}_{part}": entry[part] for part in ("colours", "lists", "measure", "legal_basis")}
    return data


def catalogue_entry(world) -> dict:
    return {"licence": world.catalogue_entry.licence, "department": OWN, "scope_keywords": "权限矩阵测试；改",
            "legal_basis": "", "note": "权限矩阵修改"}  # fmt: skip


def subscription_rule(world) -> dict:
    return {"name": world.subscription.name, "kinds": ["license", "penalty"], "active": "on"}


# 双随机: objects made per cell without services (a service would write the trail before the request).
PERM_BADGES = ("PERM-0001", "PERM-0002")
perm_serial = itertools.count(1)


def perm_inspectors() -> list[Inspector]:
    return [Inspector.objects.get_or_create(badge_number=badge, defaults={
        "department_id": OWN, "name": f"矩阵检查员{badge[-1]}", "qualifications": ["food"]})[0]
        for badge in PERM_BADGES]  # fmt: skip


def perm_task(world, status: str) -> InspectionTask:
    inspectors = perm_inspectors()
    usccs = sorted(Subject.objects.filter(status="existing").values_list("uscc", flat=True)[:3])
    values = ["1", "2"]
    parameters = verify_draw.normalise_parameters(
        {"task": f"PERM-{status}", "ratios": dict.fromkeys(verify_draw.COLOURS, 1), "departments": [OWN]},
        require_seed=False,
    )
    seeded = status != TaskStatus.DRAFT and status != TaskStatus.FROZEN
    task = InspectionTask.objects.create(
        number=f"PERM-{status}-{next(perm_serial)}", name="权限矩阵抽查", lead_department_id=OWN, departments=[OWN], items=["经营资质"],
        ratios=dict.fromkeys(verify_draw.COLOURS, 1.0), status=status, created_by=world.users["leader", OWN].user,
        seed_sources=[{"label": "见证人号码", "kind": "witness", "format": r"^\d{6}$"},
                      {"label": "指数收盘点位", "kind": "external", "format": r"^\d{1,6}\.\d{2}$", "known_on": "2000-01-01"}],
        seed_values=values if seeded else [], seed=verify_draw.seed_from_sources(values) if seeded else "",
        parameters={**parameters, "seed": verify_draw.seed_from_sources(values) if seeded else None},
        frozen_at=None if status == TaskStatus.DRAFT else timezone.now(),
        published_at=timezone.now() if status in (TaskStatus.PUBLISHED, TaskStatus.RESULTS) else None,
        result_deadline=timezone.localdate() + timedelta(days=28),
    )  # fmt: skip
    files = {
        "subjects.csv": verify_draw.subjects_csv((uscc, "green") for uscc in usccs),
        "inspectors.csv": verify_draw.inspectors_csv(
            verify_draw.Inspector(i.badge_number, i.name, OWN, ("food",), frozenset()) for i in inspectors
        ),
        "previous.csv": verify_draw.previous_csv([]),
    }
    for name, data in files.items() if status != TaskStatus.DRAFT else ():
        DrawFile.objects.create(
            task=task, name=name, content=data, sha256=verify_draw.sha256_hex(data), size=len(data)
        )
    if status in (TaskStatus.PUBLISHED, TaskStatus.RESULTS):
        assignment = Assignment.objects.create(task=task, subject_id=usccs[0], colour="green", position=1,
                                               inspector_ids=list(PERM_BADGES))  # fmt: skip
        assignment.inspectors.set(inspectors)
    return task


def inspection_task(status: str) -> Callable:
    return lambda world: [perm_task(world, status).pk]


def inspection_assignment(world) -> list:
    return [perm_task(world, TaskStatus.PUBLISHED).assignments.get().pk]


def inspection_entered_result(world) -> list:
    assignment = perm_task(world, TaskStatus.PUBLISHED).assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(
        result="no_problem", inspected_on=timezone.localdate(), result_department_id=OWN,
        record_id=f"PERM-RESULT-{assignment.pk}",
    )  # fmt: skip
    return [assignment.pk]


def inspection_short_pick(world) -> list:
    task = perm_task(world, TaskStatus.PUBLISHED)
    assignment = task.assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(short=True, inspector_ids=[PERM_BADGES[0]])
    assignment.inspectors.set(perm_inspectors()[:1])
    return [task.pk, assignment.pk]


def inspection_attachment(world) -> list:
    assignment = perm_task(world, TaskStatus.PUBLISHED).assignments.get()
    attachment = Attachment.objects.create(assignment=assignment, name="矩阵附件.pdf", content_type="application/pdf",
                                           size=8, content=b"%PDF-1.7", uploaded_by=world.users["leader", OWN].user)  # fmt: skip
    return [attachment.pk]


def repair_evidence(world) -> list:
    """A file of the repair application, written without the upload's audit entry (the cell counts them)."""
    content = b"%PDF-1.7 matrix"
    sha256 = hashlib.sha256(content).hexdigest()
    path = storage_path(sha256)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    evidence = EvidenceFile.objects.create(
        subject_id=world.application.subject_id, repair=world.application, name="矩阵证明.pdf",
        content_type="application/pdf", size=len(content), sha256=sha256,
    )  # fmt: skip
    return [evidence.pk]


def objection_of_own(world) -> list:
    """An objection to OWN's repairable fine, filed by its enterprise (created without an audit entry)."""
    application = world.application
    objection = Objection.objects.filter(kind=application.kind, record_pk=application.record_pk).first()
    if objection is None:
        today = timezone.localdate()
        objection = Objection.objects.create(
            subject_id=application.subject_id, kind=application.kind, record_pk=application.record_pk,
            record_id=application.record_id, department_id=OWN, reason="矩阵异议", policy_version=0,
            submitted_by=world.users["staff", OTHER].user, acknowledge_due=today + timedelta(days=3),
            conclude_due=today + timedelta(days=20),
        )  # fmt: skip
    return [objection.pk]


def inspector_of_own(world) -> list:
    return [perm_inspectors()[0].pk]


def inspection_task_data(world) -> dict:
    return {"name": "权限矩阵新任务", "departments": [OWN], "items": "经营资质", "inspectors_per_subject": 2,
            "ratio_green": 2, "ratio_yellow": 5, "ratio_orange": 20, "ratio_red": 100}  # fmt: skip


# 部门考核: the current month assessed (per cell, inside its savepoint) before the request.
def assessed(world) -> list:
    today = timezone.localdate()
    month_assess(today.year, today.month)
    return []


def assessed_of_own(world) -> list:
    return [*assessed(world), OWN]


def assessed_month_of_own(world) -> list:
    today = timezone.localdate()
    return [*assessed_of_own(world), today.year, today.month]


def scorecard_of_own(world, response) -> bool:
    return any(row.score.department_id == OWN for row in response.context["board"].rows)


def scorecard_csv_of_own(world, response) -> bool:
    return f",{OWN}," in content(response)


def inspector_data(world) -> dict:
    return {"name": "矩阵新检查员", "badge_number": "PERM-NEW", "qualifications": ["food"], "active": "on"}


ROWS: list[Row] = [
    # ----------------------------------------------------------------- logging in
    #    name, method, (staff own/other, leader own/other, admin own/other)
    Row("home", GET, ALL_OK),
    Row("login", GET, (HOME,) * 6, anonymous=OK),
    Row("logout", POST, (LOGIN,) * 6, anonymous=LOGIN),
    # Any regulator may enrol an authenticator; an administrator has one already (tests.auth).
    Row("otp_setup", GET, (OK, OK, OK, OK, OTP_VERIFY, OTP_VERIFY)),
    Row("otp_verify", GET, (OTP_SETUP, OTP_SETUP, OTP_SETUP, OTP_SETUP, OK, OK)),
    # ----------------------------------------------------------------- 双告知
    Row("dual_home", GET, ALL_OK, shows=Shows(marker("pushed"), CITY)),
    Row("dual_queue", GET, ALL_OK, args=lambda w: ["all"], shows=Shows(marker("pushed"), CITY)),
    Row("dual_queue", GET, ALL_OK, args=lambda w: ["pool"], label="pool",
        shows=Shows(marker("pooled"), SHARED)),
    Row("dual_detail", GET, OWN_OR_ADMIN, args=dual("pushed")),
    Row("dual_detail", GET, ALL_OK, args=dual("pooled"), label="pooled"),
    # Claiming, returning and answering put the user's department on the notification: its own only.
    Row("dual_claim", POST, OWN_ACT, args=dual("pushed")),
    Row("dual_claim", POST, (DONE,) * 6, args=dual("pooled"), label="pooled"),
    Row("dual_return", POST, OWN_ACT, args=dual("pushed"), data=lambda w: {"reason": "不属本部门审批事项"}),
    Row("dual_feedback", POST, OWN_ACT, args=dual("overdue"),
        data=lambda w: {"choice": "case_opened", "note": "已立案查处"}),
    # Closing: the handling department's leader, or any administrator (services.dual.dual_notification_close).
    Row("dual_close", POST, (DENIED, DENIED, DONE, DENIED, DONE, DONE), args=dual("feedback"),
        data=lambda w: {"note": "同意办结", "confirm": "yes"}),
    Row("dual_personal", POST, OWN_OR_ADMIN, args=dual("pushed")),
    # The pool is shared; the contact details stay with the competent department until one claims it.
    Row("dual_personal", POST, OWN_OR_ADMIN, args=dual("pooled"), label="pooled"),
    Row("dual_written_notice", GET, OWN_OR_ADMIN, args=dual("overdue")),
    Row("dual_notice", GET, OWN_OR_ADMIN, args=lambda w: [w.subjects["pushed"]]),
    # The registration authority (OWN registered every subject here) issues an enterprise's activation code.
    Row("dual_activation_code", POST, OWN_ONLY, args=lambda w: [w.subjects["pushed"]]),
    Row("dual_dashboard", GET, ALL_OK, query={"department": OWN}, shows=Shows(dashboard_of_own, CITY)),
    Row("dual_catalogue", GET, ADMINS_ONLY),
    Row("dual_catalogue_new", GET, ADMINS_ONLY),
    Row("dual_catalogue_new", POST, ADMINS_ACT, label="post",
        data=lambda w: {"licence": "权限矩阵新增许可证", "department": OWN, "scope_keywords": "权限矩阵新增",
                        "legal_basis": "", "note": "新增"}),  # fmt: skip
    Row("dual_catalogue_edit", GET, ADMINS_ONLY, args=lambda w: [w.catalogue_entry.pk]),
    Row("dual_catalogue_edit", POST, ADMINS_ACT, args=lambda w: [w.catalogue_entry.pk], label="post",
        data=catalogue_entry),
    Row("dual_catalogue_delete", POST, ADMINS_ACT, args=lambda w: [w.catalogue_entry.pk],
        data=lambda w: {"note": "权限矩阵删除"}),
    Row("dual_catalogue_revision", GET, ADMINS_ONLY, args=lambda w: [1]),
    # ----------------------------------------------------------------- 联动监管
    Row("linked_inbox", GET, ALL_OK, shows=Shows(marker("inbox"), DEPARTMENT)),
    Row("linked_item", GET, OWN_OR_ADMIN, args=lambda w: [w.inbox_item.pk]),
    Row("linked_acknowledge", POST, OWN_ACT, args=lambda w: [w.inbox_item.pk],
        data=lambda w: {"note": "已核查"}),
    Row("linked_subscriptions", GET, ALL_OK, shows=Shows(rule_of_own, DEPARTMENT)),
    Row("linked_subscription_create", GET, LEADERS_OK),
    Row("linked_subscription_create", POST, LEADERS_ACT, label="post",
        data=lambda w: {"name": "权限矩阵新规则", "kinds": ["penalty"], "active": "on"}),
    Row("linked_subscription_edit", GET, (DENIED, DENIED, OK, DENIED, OK, OK),
        args=lambda w: [w.subscription.pk]),
    Row("linked_subscription_edit", POST, OWN_LEADER_ACT, args=lambda w: [w.subscription.pk], label="post",
        data=subscription_rule),
    # ----------------------------------------------------------------- 重点监管
    Row("key_list", GET, ALL_OK, shows=Shows(marker("key"), DEPARTMENT)),
    Row("key_create", GET, LEADERS_OK),
    Row("key_create", POST, LEADERS_ACT, label="post",
        data=lambda w: {"uscc": w.key_candidate, "reason": "多次被投诉", "ends_on": in_days(30)}),
    Row("key_end", POST, OWN_LEADER_ACT, args=lambda w: [w.key.pk], data=lambda w: {"reason": "已整改到位"}),
    Row("key_alerts", GET, ALL_OK, shows=Shows(marker("key"), DEPARTMENT)),
    Row("key_alert_acknowledge", POST, OWN_ACT, args=lambda w: [w.alert.pk],
        data=lambda w: {"note": "已约谈"}),
    # ----------------------------------------------------------------- 监管留痕
    # Asking for OWN's entries: the search stays within a leader's own department.
    Row("audit_search", GET, LEADERS_OK, query={"department": OWN}, shows=Shows(marker("audit"), CITY)),
    Row("audit_export", GET, LEADERS_OK, query={"department": OWN}, shows=Shows(marker("audit"), CITY)),
    # ----------------------------------------------------------------- 信用修复, 预警提醒
    Row("repair_list", GET, ALL_OK, shows=Shows(marker("repair"), DEPARTMENT)),
    Row("repair_detail", GET, OWN_OR_ADMIN, args=lambda w: [w.application.pk]),
    # The deciding department's leader (an administrator of it too); an administrator elsewhere may look only.
    Row("repair_decide", POST, OWN_LEADER_ACT, args=lambda w: [w.application.pk],
        data=lambda w: {"decision": "approve", "reason": ""}),
    # The evidence of an application: the deciding department only, administrators elsewhere not either.
    Row("repair_evidence", GET, OWN_ONLY, args=repair_evidence),
    # ----------------------------------------------------------------- 异议申诉
    Row("objection_list", GET, ALL_OK),
    Row("objection_detail", GET, OWN_OR_ADMIN, args=objection_of_own),
    Row("objection_acknowledge", POST, OWN_ACT, args=objection_of_own),
    Row("objection_uphold", POST, OWN_ACT, args=objection_of_own, data=lambda w: {"reason": "记录无误"}),
    Row("prewarning_list", GET, ALL_OK, shows=Shows(marker("prewarning"), DEPARTMENT)),
    # ----------------------------------------------------------------- 双随机、一公开
    # A task is its participating departments' to see and its lead department's leaders' to advance.
    Row("inspection_tasks", GET, ALL_OK),
    Row("inspection_task_create", GET, LEADERS_OK),
    Row("inspection_task_create", POST, LEADERS_ACT, label="post", data=inspection_task_data),
    Row("inspection_task", GET, OWN_OR_ADMIN, args=inspection_task(TaskStatus.DRAFT)),
    Row("inspection_task_edit", GET, (DENIED, DENIED, OK, DENIED, OK, OK), args=inspection_task(TaskStatus.DRAFT)),
    Row("inspection_task_edit", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.DRAFT), label="post",
        data=inspection_task_data),
    Row("inspection_freeze", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.DRAFT),
        data=lambda w: {"label_0": "见证人号码", "kind_0": "witness", "format_0": r"^\d{6}$",
                        "label_1": "开奖号码", "kind_1": "external", "format_1": r"^\d{6}$",
                        "known_on_1": (timezone.localdate() + timedelta(days=7)).isoformat(), "confirm": "yes"}),
    Row("inspection_seed", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.FROZEN),
        data=lambda w: {"value_0": "123456", "value_1": "3318.27"}),
    Row("inspection_draw", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.SEEDED), data=lambda w: {"confirm": "yes"}),
    Row("inspection_publish", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.DRAWN), data=lambda w: {"confirm": "yes"}),
    Row("inspection_close", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.RESULTS), data=lambda w: {"confirm": "yes"}),
    Row("inspection_cancel", POST, OWN_LEADER_ACT, args=inspection_task(TaskStatus.FROZEN),
        data=lambda w: {"reason": "权限矩阵撤销"}),
    Row("inspection_results", GET, ALL_OK),
    # A result: the drawn inspectors' accounts (none here), or a leader of their department (an
    # administrator of it included) entering on an inspector's behalf; other staff: 403.
    Row("inspection_result", GET, (DENIED, DENIED, OK, DENIED, OK, DENIED), args=inspection_assignment),
    Row("inspection_result", POST, OWN_LEADER_ACT, args=inspection_assignment, label="post",
        data=lambda w: {"inspected_on": timezone.localdate().isoformat(), "result": "no_problem",
                        "proxy_for": perm_inspectors()[0].pk}),
    # Correcting a result: its inspector, or a leader of their department as an audited proxy.
    Row("inspection_result_correct", POST, OWN_LEADER_ACT, args=inspection_entered_result,
        data=lambda w: {"inspected_on": timezone.localdate().isoformat(), "result": "corrected",
                        "reason": "录入错误", "proxy_for": perm_inspectors()[0].pk}),
    # Assigning by hand a subject the draw left short: the lead department's leaders.
    Row("inspection_assign", GET, (DENIED, DENIED, OK, DENIED, OK, DENIED), args=inspection_short_pick),
    Row("inspection_assign", POST, OWN_LEADER_ACT, args=inspection_short_pick, label="post",
        data=lambda w: {"inspector": perm_inspectors()[1].pk, "reason": "抽取时人员不足"}),
    # An attachment of a result: the task's participating departments and administrators (an export).
    Row("inspection_attachment", GET, OWN_OR_ADMIN, args=inspection_attachment),
    Row("inspection_inspectors", GET, ALL_OK),
    Row("inspection_inspector_create", GET, LEADERS_OK),
    Row("inspection_inspector_create", POST, LEADERS_ACT, label="post", data=inspector_data),
    Row("inspection_inspector_edit", GET, (DENIED, DENIED, OK, DENIED, OK, DENIED), args=inspector_of_own),
    Row("inspection_inspector_edit", POST, OWN_LEADER_ACT, args=inspector_of_own, label="post",
        data=inspector_data),
    Row("inspection_subjects", GET, ALL_OK),
    # The 双随机 policy (versioned defaults): everyone reads it, administrators save a new version.
    Row("inspection_policy", GET, ALL_OK),
    Row("inspection_policy", POST, ADMINS_ACT, label="post",
        data=lambda w: {"ratio_green": 3, "ratio_yellow": 5, "ratio_orange": 20, "ratio_red": 100,
                        "inspectors_per_subject": 2, "result_workdays": 20, "note": "权限矩阵"}),
    # ----------------------------------------------------------------- 联合惩戒
    # Any department checks; its checks are its own to see and answer (leaders and administrators see the city's).
    Row("joint_check", GET, ALL_OK),
    Row("joint_check", POST, (DONE,) * 6, label="post",
        data=lambda w: {"subject": w.subjects["joint"], "use": "procurement"}),
    Row("joint_batch", GET, ALL_OK),
    Row("joint_batch", POST, (DONE,) * 6, label="post",
        data=lambda w: {"use": "bidding", "entries": w.subjects["joint"]}),
    Row("joint_checks", GET, ALL_OK, shows=Shows(marker("joint"), CITY_LEADERS)),
    Row("joint_check_detail", GET, (OK, DENIED, OK, OK, OK, OK), args=lambda w: [w.joint_check.pk]),
    Row("joint_outcome", POST, OWN_ACT, args=lambda w: [w.joint_check.pk],
        data=lambda w: {"action": "bid_rejected", "on": in_days(0), "note": "取消中标资格"}),
    Row("joint_statistics", GET, ALL_OK),
    Row("joint_catalogue", GET, ALL_OK),
    Row("joint_catalogue_version", GET, ALL_OK, args=lambda w: [1]),
    Row("joint_catalogue_edit", GET, ADMINS_ONLY),
    Row("joint_catalogue_edit", POST, ADMINS_ACT, label="post", data=joint_catalogue),
    # ----------------------------------------------------------------- 部门考核
    # A department sees its own scores and findings; administrators (the city's leaders) see all.
    Row("assessment_scorecard", GET, ALL_OK, args=assessed, shows=Shows(scorecard_of_own, CITY)),
    Row("assessment_export", GET, ALL_OK, args=assessed, shows=Shows(scorecard_csv_of_own, CITY)),
    Row("assessment_trend", GET, OWN_OR_ADMIN, args=assessed_of_own),
    Row("assessment_findings", GET, OWN_OR_ADMIN, args=assessed_month_of_own),
    Row("assessment_findings_export", GET, OWN_OR_ADMIN, args=assessed_month_of_own),
]  # fmt: skip

# The pages outside the role model: logging in and the second factor.
AUTH_PAGES = {"login", "logout", "otp_setup", "otp_verify"}
# All a page (GET) may write to the trail: that its department read an inbox item, an export, a look
# at another department's assessment.
READ_RECORDS = {Action.INBOX_READ, Action.EXPORT, Action.ASSESSMENT_VIEW, Action.EVIDENCE_READ}


# --------------------------------------------------------------------------- helpers


def content(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode()


def url_of(row: Row, world) -> str:
    url = reverse(f"supervision:{row.name}", args=row.args(world))
    return f"{url}?{urlencode(row.query)}" if row.query else url


def send(client: Client, row: Row, world):
    url = url_of(row, world)
    if row.method == POST:
        return client.post(url, row.data(world) if row.data else {})
    return client.get(url)


def denials(user) -> int:
    return AuditEntry.objects.filter(action=Action.DENIED, actor_id=user.pk).count()


def last_seq() -> int:
    return AuditEntry.objects.aggregate(last=Max("seq"))["last"] or 0


def recorded_since(seq: int) -> list[str]:
    """The actions audited after `seq`, denials aside: every change of state writes one."""
    entries = AuditEntry.objects.filter(seq__gt=seq).exclude(action=Action.DENIED)
    return list(entries.order_by("seq").values_list("action", flat=True))


def outcome(response) -> int | str:
    """The status, or for a redirect to the login or TOTP pages (or home) that page's path."""
    if response.status_code == 302:
        path = response.url.split("?", 1)[0]
        if path in (LOGIN, HOME, OTP_SETUP, OTP_VERIFY):
            return path
    return response.status_code


def route_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


CELLS = [
    pytest.param(row, role, side, id=f"{row.id}-{role}-{side}")
    for row in ROWS
    for role in ROLES
    for side in SIDES
] + [pytest.param(row, ANONYMOUS, None, id=f"{row.id}-{ANONYMOUS}") for row in ROWS]


# --------------------------------------------------------------------------- tests


def test_every_workspace_url_has_a_row():
    workspace = {n.removeprefix("supervision:") for n in route_names() if n.startswith("supervision:")}
    assert workspace - {row.name for row in ROWS} == set(), "add a row to ROWS for each new URL"
    assert {row.name for row in ROWS} - workspace == set(), "a row names a URL that no longer exists"


def test_every_row_is_distinct():
    ids = [row.id for row in ROWS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("row", "role", "side"), CELLS)
def test_permission(client, cell, row, role, side):
    expected = row.expected(role, side)
    user = None if role == ANONYMOUS else cell.users[role, OWN if side == "own" else OTHER]
    if user is not None:
        log_in(client, user)
        denied_before = denials(user)
    seq = last_seq()

    response = send(client, row, cell)

    assert outcome(response) == expected
    if user is not None:
        # Every 403 is in the audit trail as a denial, and nothing else is.
        assert denials(user) - denied_before == (1 if expected == DENIED else 0)
    if expected in (DENIED, LOGIN) and row.name not in AUTH_PAGES:
        assert recorded_since(seq) == [], "a refused request changed something"
    if expected == DONE:
        assert recorded_since(seq), "an allowed action did nothing (or left no trace)"
    if row.method == GET:
        assert set(recorded_since(seq)) <= READ_RECORDS, "a page (GET) changed something"
    if row.shows is not None and response.status_code == OK and user is not None:
        assert row.shows.check(cell, response) == row.shows.expected(role, side)


WORKSPACE_ROWS = [row for row in ROWS if row.name not in AUTH_PAGES]


def test_an_administrator_without_the_second_factor_is_sent_to_it(client, cell):
    """Every workspace URL, page or action, for an administrator who has not passed TOTP."""
    client.force_login(cell.users["admin", OWN].user)
    outcomes = {row.id: outcome(send(client, row, cell)) for row in WORKSPACE_ROWS}
    assert outcomes == {row.id: OTP_SETUP for row in WORKSPACE_ROWS}


def test_an_account_that_is_not_a_regulators_is_refused_everywhere(client, cell):
    user = UserFactory()
    client.force_login(user)
    outcomes = {row.id: outcome(send(client, row, cell)) for row in WORKSPACE_ROWS}
    assert outcomes == {row.id: DENIED for row in WORKSPACE_ROWS}
    assert denials(user) == len(WORKSPACE_ROWS)


ACTIONS = [row for row in WORKSPACE_ROWS if row.method == POST and not row.label]


def test_actions_refuse_get(client, cell):
    """An action never runs on a GET (a link, a prefetch), whoever asks."""
    log_in(client, cell.users["leader", OWN])
    entries = AuditEntry.objects.count()
    outcomes = {row.id: client.get(url_of(row, cell)).status_code for row in ACTIONS}
    assert outcomes == {row.id: 405 for row in ACTIONS}
    assert AuditEntry.objects.count() == entries
