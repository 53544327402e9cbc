"""Reads of the 双告知 area: who sees which notification, what a user may do with it, the queues,
the printable documents and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from supervision.models import (
    OPEN_STATUSES,
    CatalogRevision,
    DualFeedback,
    DualNotification,
    DualStatus,
    DualStep,
)
from supervision.selectors.queues import Queue
from supervision.workdays import workdays_between
from warning_system.accounts.models import Role, StaffProfile
from warning_system.notices import DualNotice
from warning_system.registry.models import Department, PostLicenceCatalogEntry, Subject

PAGE_SIZE = 50
TREND_WEEKS = 12

# --------------------------------------------------------------------------- who may see and do what


def _handled_by(department_id: str) -> Q:
    """Notifications a department answers for: claimed by it, or unclaimed and its own."""
    return Q(claimed_by_id=department_id) | Q(claimed_by__isnull=True, department_id=department_id)


def visible_q(staff: StaffProfile) -> Q | None:
    """What a department sees: pushed to it, claimed or returned by it, and the shared pool.
    None for administrators (everything)."""
    if staff.is_admin:
        return None
    dept = staff.department_id
    return (
        Q(department_id=dept)
        | Q(claimed_by_id=dept)
        | Q(returned_by_id=dept)
        | Q(feedback_department_id=dept)
        | Q(status=DualStatus.POOLED)
    )


def may_view(staff: StaffProfile, notification: DualNotification) -> bool:
    dept = staff.department_id
    return (
        staff.is_admin
        or notification.status == DualStatus.POOLED
        or dept
        in {
            notification.department_id,
            notification.claimed_by_id,
            notification.returned_by_id,
            notification.feedback_department_id,
        }
    )


def may_view_personal(staff: StaffProfile, notification: DualNotification) -> bool:
    """The competent department (or the one that claimed it) may read the contact details."""
    return staff.is_admin or staff.department_id in {notification.department_id, notification.claimed_by_id}


def may_claim(staff: StaffProfile, notification: DualNotification) -> bool:
    if notification.status == DualStatus.POOLED:
        return True  # the shared pool is open to every department
    return notification.status == DualStatus.PUSHED and staff.department_id == notification.department_id


def may_return(staff: StaffProfile, notification: DualNotification) -> bool:
    if notification.status == DualStatus.PUSHED:
        return staff.department_id == notification.department_id
    return notification.status == DualStatus.CLAIMED and staff.department_id == notification.claimed_by_id


def may_give_feedback(staff: StaffProfile, notification: DualNotification) -> bool:
    return (
        notification.status in (DualStatus.OVERDUE, DualStatus.FEEDBACK)
        and staff.department_id == notification.handler_id
    )


def may_close(staff: StaffProfile, notification: DualNotification) -> bool:
    if notification.status != DualStatus.FEEDBACK:
        return False
    return staff.is_admin or (staff.role == Role.LEADER and staff.department_id == notification.handler_id)


@dataclass(frozen=True)
class Actions:
    claim: bool
    give_back: bool  # "return" is a keyword
    feedback: bool
    close: bool
    personal: bool

    @property
    def any(self) -> bool:
        return self.claim or self.give_back or self.feedback or self.close


def allowed_actions(staff: StaffProfile, notification: DualNotification) -> Actions:
    return Actions(
        claim=may_claim(staff, notification),
        give_back=may_return(staff, notification),
        feedback=may_give_feedback(staff, notification),
        close=may_close(staff, notification),
        personal=may_view_personal(staff, notification),
    )


# --------------------------------------------------------------------------- queues and lists


@dataclass(frozen=True)
class QueueSpec:
    key: str
    label: str
    statuses: tuple[str, ...]
    ordering: tuple[str, ...]  # the most pressing first


QUEUES: dict[str, QueueSpec] = {
    q.key: q
    for q in (
        QueueSpec("to_claim", _("待认领"), (DualStatus.PUSHED,), ("claim_due", "licence_due", "id")),
        QueueSpec("pool", _("共享池"), (DualStatus.POOLED,), ("licence_due", "id")),
        QueueSpec("claimed", _("已认领待办证"), (DualStatus.CLAIMED,), ("licence_due", "id")),
        QueueSpec("overdue", _("逾期未办证待反馈"), (DualStatus.OVERDUE,), ("feedback_due", "id")),
        QueueSpec("feedback", _("已反馈待办结"), (DualStatus.FEEDBACK,), ("feedback_at", "id")),
        QueueSpec(
            "closed", _("已办证 / 已办结"), (DualStatus.LICENSED, DualStatus.CLOSED), ("-closed_at", "-id")
        ),
        QueueSpec("all", _("全部事项"), (), ("-pushed_at", "-id")),
    )
}


def queue_q(staff: StaffProfile, key: str) -> Q:
    """The notifications of one queue, for the user's department (every department for admins)."""
    spec = QUEUES[key]
    dept = staff.department_id
    where = Q(status__in=spec.statuses) if spec.statuses else Q()
    if key == "pool":
        return where
    if staff.is_admin:
        return where
    if key == "to_claim":
        return where & Q(department_id=dept)
    if key == "claimed":
        return where & Q(claimed_by_id=dept)
    if key in ("overdue", "feedback", "closed"):
        return where & _handled_by(dept)
    return visible_q(staff)  # "all"


def queue_notifications(staff: StaffProfile, key: str) -> QuerySet[DualNotification]:
    if key not in QUEUES:
        raise Http404
    return list_queryset().filter(queue_q(staff, key)).order_by(*QUEUES[key].ordering)


def list_queryset() -> QuerySet[DualNotification]:
    return DualNotification.objects.select_related("subject", "department", "claimed_by").only(
        "id", "status", "licence", "registered_on", "pushed_at", "claim_due", "licence_due", "licensed_on",
        "notice_number", "feedback", "feedback_due", "feedback_at", "closed_at", "trigger", "return_reason",
        "subject__uscc", "subject__name", "subject__district_code",
        "department__code", "department__name", "claimed_by__code", "claimed_by__name",
    )  # fmt: skip


def list_page(queryset: QuerySet[DualNotification], number: str | None) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def queues(staff: StaffProfile) -> list[Queue]:
    """This area's tiles on the workspace home, counted in one query."""
    keys = ["to_claim", "pool", "claimed", "overdue"]
    if staff.is_leader_or_admin:
        keys.append("feedback")
    counts = DualNotification.objects.aggregate(
        **{key: Count("id", filter=queue_q(staff, key)) for key in keys}
    )
    return [
        Queue(
            key=f"dual_{key}",
            label=str(QUEUES[key].label),
            count=counts[key],
            url=reverse("supervision:dual_queue", args=[key]),
        )
        for key in keys
    ]


# --------------------------------------------------------------------------- one notification


def notification_for(staff: StaffProfile, pk: int) -> DualNotification:
    """The notification with what its pages show, or 404 / 403."""
    notification = (
        DualNotification.objects.select_related(
            "subject",
            "department",
            "claimed_by",
            "returned_by",
            "feedback_department",
            "feedback_by",
            "closed_by",
            "catalogue_entry",
        )  # fmt: skip
        .filter(pk=pk)
        .first()
    )
    if notification is None:
        raise Http404
    if not may_view(staff, notification):
        raise PermissionDenied(f"dual notification {pk} of department {notification.department_id}")
    return notification


@dataclass
class TimelineItem:
    at: datetime | date
    label: str
    department: str
    actor: str
    note: str
    upcoming: bool = False


def timeline(notification: DualNotification) -> list[TimelineItem]:
    """Every step taken, then the deadlines still ahead."""
    steps = (
        DualStep.objects.filter(notification=notification).select_related("department").order_by("at", "id")
    )
    items = [
        TimelineItem(
            at=s.at,
            label=s.get_step_display(),
            department=s.department.name if s.department else "",
            actor=_("系统") if s.actor_name == "system" else s.actor_name,
            note=s.note,
        )
        for s in steps
    ]
    if notification.status == DualStatus.PUSHED:
        items.append(TimelineItem(notification.claim_due, _("认领期限（逾期转入共享池）"), "", "", "", True))
    if notification.status in OPEN_STATUSES:
        items.append(
            TimelineItem(notification.licence_due, _("办证期限（逾期生成书面通告）"), "", "", "", True)
        )
    if notification.status == DualStatus.OVERDUE and notification.feedback_due:
        items.append(TimelineItem(notification.feedback_due, _("反馈期限"), "", "", "", True))
    return items


def subject_notifications(staff: StaffProfile, uscc: str) -> tuple[Subject, list[DualNotification]]:
    """The 告知书 of a subject: every licence it was told to obtain. Readable by the registering
    department, the departments the notifications went to, and administrators."""
    subject = Subject.objects.select_related("registered_by").filter(uscc=uscc).first()
    if subject is None:
        raise Http404
    notifications = list(
        DualNotification.objects.filter(subject_id=uscc)
        .select_related("department")
        .order_by("registered_on", "id")
    )
    if not notifications:
        raise Http404
    involved = (
        {subject.registered_by_id}
        | {n.department_id for n in notifications}
        | {n.claimed_by_id for n in notifications}
    )
    if not staff.is_admin and staff.department_id not in involved:
        raise PermissionDenied(f"告知书 of {uscc}")
    return subject, notifications


# --------------------------------------------------------------------------- dashboard


@dataclass
class Bar:
    x: int
    y: int
    height: int
    label: str
    value: int
    title: str


@dataclass
class BarChart:
    id: str
    title: str
    width: int
    height: int
    baseline: int
    fill: str
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Counts:
    pushed: int = 0
    claimed: int = 0
    overdue: int = 0
    licensed_in_time: int = 0

    @property
    def licensed_share(self) -> int | None:
        return round(100 * self.licensed_in_time / self.pushed) if self.pushed else None


@dataclass
class DepartmentRow:
    code: str
    name: str
    counts: Counts


@dataclass
class Dashboard:
    scope_label: str
    department: Department | None
    totals: Counts
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    weeks: list[tuple[date, Counts]]
    charts: list[BarChart]
    departments: list[DepartmentRow]


METRICS = (
    ("pushed", _("推送"), "#0b5cad"),
    ("claimed", _("认领"), "#486581"),
    ("overdue", _("逾期"), "#d64545"),
    ("licensed_in_time", _("30日内办证"), "#3f9142"),
)


def _metric_counts(prefix: str = "") -> dict:
    """Conditional counts of the four metrics (a notification counts in the week it was pushed)."""
    return {
        f"{prefix}pushed": Count("id"),
        f"{prefix}claimed": Count("id", filter=Q(claimed_at__isnull=False)),
        f"{prefix}overdue": Count("id", filter=Q(overdue_at__isnull=False)),
        f"{prefix}licensed_in_time": Count(
            "id", filter=Q(licensed_on__isnull=False, licensed_on__lte=F("licence_due"))
        ),
    }


def _bar_chart(chart_id: str, title: str, fill: str, weeks: list[tuple[date, int]]) -> BarChart:
    width, height, top, bottom = 360, 150, 16, 24
    slot = width // max(len(weeks), 1)
    peak = max((v for _w, v in weeks), default=0) or 1
    chart = BarChart(chart_id, str(title), width, height, height - bottom, fill)
    for i, (week, value) in enumerate(weeks):
        bar_height = round((height - top - bottom) * value / peak)
        chart.bars.append(
            Bar(
                x=i * slot + 3,
                y=height - bottom - bar_height,
                height=bar_height,
                label=f"{week.month}/{week.day}",
                value=value,
                title=f"{week.isoformat()} {title} {value}",
            )
        )
    return chart


def dashboard(staff: StaffProfile, department_code: str | None, *, today: date | None = None) -> Dashboard:
    """Pushed, claimed, overdue and licensed within 30 days: totals, open work now, a weekly trend
    over TREND_WEEKS weeks, and for the city view a row per department. A non-administrator sees
    only their own department, whatever they ask for."""
    today = today or timezone.localdate()
    if not staff.is_admin:
        department_code = staff.department_id
    department = Department.objects.filter(code=department_code).first() if department_code else None
    if department_code and department is None:
        raise Http404
    scope = DualNotification.objects.all()
    if department is not None:
        scope = scope.filter(Q(department_id=department.code) | Q(claimed_by_id=department.code))

    totals = Counts(**scope.aggregate(**_metric_counts()))
    status_counts = scope.aggregate(**{s.value: Count("id", filter=Q(status=s.value)) for s in DualStatus})
    by_status = [(s.value, s.label, status_counts[s.value]) for s in DualStatus]
    first_week = today - timedelta(days=today.weekday() + 7 * (TREND_WEEKS - 1))
    start = timezone.make_aware(datetime.combine(first_week, datetime.min.time()))
    by_week = {
        row["week"].date() if isinstance(row["week"], datetime) else row["week"]: row
        for row in scope.filter(pushed_at__gte=start)
        .annotate(week=TruncWeek("pushed_at"))
        .values("week")
        .annotate(**_metric_counts())
        .order_by("week")
    }
    weeks = []
    for i in range(TREND_WEEKS):
        week = first_week + timedelta(weeks=i)
        row = by_week.get(week, {})
        weeks.append((week, Counts(**{m: row.get(m, 0) for m, _label, _fill in METRICS})))
    charts = [
        _bar_chart(f"dual-{metric}", label, fill, [(w, getattr(c, metric)) for w, c in weeks])
        for metric, label, fill in METRICS
    ]
    departments: list[DepartmentRow] = []
    if department is None:
        names = dict(Department.objects.values_list("code", "name"))
        rows = (
            DualNotification.objects.values("department_id")
            .annotate(**_metric_counts())
            .order_by("department_id")
        )
        departments = [
            DepartmentRow(
                r["department_id"],
                names.get(r["department_id"], r["department_id"]),
                Counts(**{m: r[m] for m, _label, _fill in METRICS}),
            )
            for r in rows
        ]
    label = department.name if department else _("全市")
    return Dashboard(label, department, totals, by_status, weeks, charts, departments)


def dashboard_departments() -> list[tuple[str, str]]:
    """Departments an administrator can pick on the dashboard: those with notifications."""
    codes = DualNotification.objects.values_list("department_id", flat=True).distinct()
    return list(Department.objects.filter(code__in=codes).order_by("code").values_list("code", "name"))


# --------------------------------------------------------------------------- catalogue


def catalogue_entries() -> QuerySet[PostLicenceCatalogEntry]:
    return PostLicenceCatalogEntry.objects.select_related("department").order_by("department_id", "licence")


def catalogue_entry(pk: int) -> PostLicenceCatalogEntry:
    entry = PostLicenceCatalogEntry.objects.select_related("department").filter(pk=pk).first()
    if entry is None:
        raise Http404
    return entry


def catalogue_revision(version: int) -> CatalogRevision:
    revision = CatalogRevision.objects.select_related("author").filter(version=version).first()
    if revision is None:
        raise Http404
    return revision


def catalogue_revisions() -> QuerySet[CatalogRevision]:
    return CatalogRevision.objects.select_related("author").defer("entries").order_by("-version")


def catalogue_version() -> int | None:
    return CatalogRevision.objects.aggregate(v=Max("version"))["v"]


def feedback_choices() -> list[tuple[str, str]]:
    return list(DualFeedback.choices)


def subject_notice(staff: StaffProfile, uscc: str) -> tuple[Subject, list[DualNotification]]:
    """The 告知书 of a subject for its registration authority, with or without licences to notify
    (the activation code of the enterprise's account is printed on it either way)."""
    subject = Subject.objects.select_related("registered_by").filter(uscc=uscc, withdrawn=False).first()
    if subject is None:
        raise Http404
    if staff.department_id != subject.registered_by_id:
        raise PermissionDenied(f"activation code of {uscc}")
    notifications = list(
        DualNotification.objects.filter(subject_id=uscc)
        .select_related("department")
        .order_by("registered_on", "id")
    )
    return subject, notifications


def enterprise_dual_notices(uscc: str) -> list[DualNotice]:
    """The enterprise's own view of its 告知书 (registered in apps.py into warning_system.notices):
    each licence, who claimed it, working days left to the deadline, whether the licence arrived."""
    today = timezone.localdate()
    rows = (
        DualNotification.objects.filter(subject_id=uscc)
        .select_related("department", "claimed_by")
        .order_by("registered_on", "id")
    )
    return [
        DualNotice(
            pk=n.pk, licence=n.licence, department_name=n.department.name, legal_basis=n.legal_basis,
            registered_on=n.registered_on, licence_due=n.licence_due,
            workdays_left=workdays_between(today, n.licence_due), status=n.status,
            status_label=str(n.get_status_display()),
            claimed_by=n.claimed_by.name if n.claimed_by_id else None, licensed_on=n.licensed_on,
            matched_keywords=list(n.matched_keywords or []),
        )
        for n in rows
    ]  # fmt: skip
