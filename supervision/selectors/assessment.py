"""Reads of 部门考核: the ranked scorecard of a month, a department's 12-month trend with its
charts (SVG geometry computed here, drawn by templates), the findings behind a score, CSV rows.

Who sees what: a department's staff and leaders see their own department's scores and findings;
administrators (the city's leaders) see every department.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.access import require_department
from supervision.models import AssessmentFinding, AssessmentPolicy, DepartmentMonthScore, FindingProblem
from warning_system.accounts.models import StaffProfile
from warning_system.registry import contract
from warning_system.registry.models import Department

PAGE_SIZE = 50
TREND_MONTHS = 12
EXPORT_CHUNK = 2_000

PARTS = (
    ("timeliness", _("及时性"), "#0b5cad"),
    ("accuracy", _("准确性"), "#3f9142"),
    ("completeness", _("完整性"), "#f0b429"),
    ("total", _("总分"), "#d64545"),
)


def parse_month(value: str | None) -> date | None:
    """`2026-09` → 2026-09-01; None for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def kind_label(kind: str) -> str:
    found = contract.KINDS.get(kind)
    return gettext(found.label) if found else kind


def field_label(kind: str, key: str) -> str:
    """A contract field's Chinese label (its first non-ASCII spelling)."""
    found = contract.KINDS.get(kind)
    spelling = found.by_key.get(key) if found else None
    chinese = [a for a in spelling.aliases if not a.isascii()] if spelling else []
    return gettext(chinese[0]) if chinese else key


def policy_current() -> AssessmentPolicy | None:
    return AssessmentPolicy.objects.order_by("-version").first()


def assessed_months() -> list[date]:
    """Months with scores, newest first."""
    return list(DepartmentMonthScore.objects.order_by("-month").values_list("month", flat=True).distinct())


# --------------------------------------------------------------------------- the scorecard


@dataclass
class ScoreRow:
    score: DepartmentMonthScore
    previous_total: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.score.total is None or self.previous_total is None:
            return None
        return self.score.total - self.previous_total


@dataclass
class Bar:
    label: str
    value: str
    width: str
    y: int
    title: str


@dataclass
class RankChart:
    id: str
    title: str
    width: int
    height: int
    label_width: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Scorecard:
    month: date
    rows: list[ScoreRow]
    chart: RankChart | None
    ranked: int = 0  # how many departments were ranked that month: "rank 2" means "2nd of `ranked`"


def _visible(staff: StaffProfile, scores: QuerySet[DepartmentMonthScore]) -> QuerySet[DepartmentMonthScore]:
    return scores if staff.is_admin else scores.filter(department_id=staff.department_id)


def _rank_chart(rows: list[ScoreRow], month: date) -> RankChart | None:
    """Totals as horizontal bars, in rank order (0–100 across the plot)."""
    scored = [row for row in rows if row.score.total is not None]
    if len(scored) < 2:
        return None
    # Wide enough for the longest "12. 南昌市…局" at 12 px (a CJK character is as wide as the font size).
    longest = max(len(f"{row.score.rank}. {row.score.department.name}") for row in scored)
    label_width, plot, row_height = max(190, longest * 12 + 12), 300, 20
    chart = RankChart(
        f"assessment-rank-{month:%Y-%m}", str(_("总分排名")), label_width + plot + 50,
        row_height * len(scored) + 4, label_width,
    )  # fmt: skip
    for i, row in enumerate(scored):
        total = row.score.total
        chart.bars.append(
            Bar(
                label=f"{row.score.rank}. {row.score.department.name}",
                value=f"{total:.2f}",
                width=f"{plot * float(total) / 100:.1f}",
                y=i * row_height + 2,
                title=f"{row.score.department.name} {total:.2f}",
            )
        )
    return chart


def scorecard(staff: StaffProfile, month: date) -> Scorecard:
    """The month's scores in rank order (unranked last), each with the change since the month before."""
    scores = list(
        _visible(staff, DepartmentMonthScore.objects.filter(month=month))
        .select_related("department", "policy")
        .order_by("rank", "department_id")
    )
    previous = dict(
        _visible(staff, DepartmentMonthScore.objects.filter(month=add_months(month, -1))).values_list(
            "department_id", "total"
        )
    )
    rows = [ScoreRow(score, previous.get(score.department_id)) for score in scores]
    if staff.is_admin:
        ranked = sum(1 for score in scores if score.rank is not None)
    else:
        ranked = DepartmentMonthScore.objects.filter(month=month, rank__isnull=False).count()
    return Scorecard(month, rows, _rank_chart(rows, month) if staff.is_admin else None, ranked)


def scorecard_rows(staff: StaffProfile, month: date) -> Iterator[list[str]]:
    """The scorecard as CSV rows: a header, then one line per department."""
    yield [str(h) for h in (_("月份"), _("排名"), _("部门代码"), _("部门"), _("及时性"), _("准确性"),
                            _("字段完整"), _("按期报送"), _("完整性"), _("总分"), _("较上月"),
                            _("计入及时性的记录"), _("逾期报送"), _("初始补录（不计及时性）"), _("接收记录"),
                            _("隔离记录"), _("更正"), _("撤回"), _("应填重要字段"), _("已填重要字段"),
                            _("应报数据类型"), _("按期报送的数据类型"), _("考核参数版本"))]  # fmt: skip
    for row in scorecard(staff, month).rows:
        s = row.score
        yield [
            f"{s.month:%Y-%m}", _text(s.rank), s.department_id, s.department.name, _text(s.timeliness),
            _text(s.accuracy), _text(s.fields_score), _text(s.feeds_score), _text(s.completeness),
            _text(s.total), _text(row.change), str(s.timed), str(s.late), str(s.backfill), str(s.received),
            str(s.quarantined), str(s.corrections), str(s.withdrawals), str(s.fields_expected),
            str(s.fields_filled), str(s.feeds_expected), str(s.feeds_received), f"v{s.policy.version}",
        ]  # fmt: skip


def _text(value) -> str:
    return "" if value is None else str(value)


# --------------------------------------------------------------------------- one department


def department_for(staff: StaffProfile, code: str) -> Department:
    """The department, if the user may see its scores (403 otherwise, 404 if there is none)."""
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise Http404
    require_department(staff, department.code)
    return department


@dataclass
class Point:
    x: str
    y: str
    title: str


@dataclass
class Series:
    label: str
    colour: str
    points: list[Point]
    path: str


@dataclass
class LineChart:
    id: str
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    gridlines: list[tuple[str, int]]  # (y, value)
    months: list[tuple[str, str]]  # (x, label)
    series: list[Series]
    legend: list[tuple[int, str, str]]  # (x, colour, label)


@dataclass
class Trend:
    department: Department
    last: date
    months: list[tuple[date, DepartmentMonthScore | None]]
    chart: LineChart


def _line_chart(department: Department, months: list[tuple[date, DepartmentMonthScore | None]]) -> LineChart:
    """The three parts and the total, 0–100, one point per assessed month; gaps stay gaps."""
    width, height = 640, 260
    left, right, top, bottom = 40, width - 24, 36, height - 28  # room for the last month's label
    step = (right - left) / max(len(months) - 1, 1)

    def y_of(value: Decimal) -> float:
        return bottom - (bottom - top) * float(value) / 100

    series = []
    for part, label, colour in PARTS:
        points, path, pen_down = [], [], False
        for i, (month, score) in enumerate(months):
            value = getattr(score, part) if score is not None else None
            if value is None:
                pen_down = False
                continue
            x, y = left + i * step, y_of(value)
            points.append(Point(f"{x:.1f}", f"{y:.1f}", f"{month:%Y-%m} {label} {value:.2f}"))
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
        series.append(Series(str(label), colour, points, " ".join(path)))
    legend, x = [], left
    for _part, label, colour in PARTS:
        legend.append((x, colour, str(label)))
        x += 16 + 14 * len(str(label)) + 16
    return LineChart(
        id=f"assessment-trend-{department.code}",
        title=str(_("近 12 个月得分")),
        width=width, height=height, plot_left=left, plot_right=right, plot_top=top, plot_bottom=bottom,
        gridlines=[(f"{y_of(Decimal(v)):.1f}", v) for v in (0, 25, 50, 75, 100)],
        months=[(f"{left + i * step:.1f}", _month_label(m)) for i, (m, _s) in enumerate(months)],
        series=series,
        legend=legend,
    )  # fmt: skip


def _month_label(month: date) -> str:
    """An axis label: the year at January, else the month."""
    return str(month.year) if month.month == 1 else str(_("%(month)d月")) % {"month": month.month}


def trend(staff: StaffProfile, code: str, last: date) -> Trend:
    """The department's TREND_MONTHS months up to `last` (a month without a score is a gap)."""
    department = department_for(staff, code)
    first = add_months(last, -(TREND_MONTHS - 1))
    scores = {
        s.month: s
        for s in DepartmentMonthScore.objects.filter(department=department, month__range=(first, last))
    }
    months = [(add_months(first, i), scores.get(add_months(first, i))) for i in range(TREND_MONTHS)]
    return Trend(department, last, months, _line_chart(department, months))


def score_for(staff: StaffProfile, code: str, month: date) -> DepartmentMonthScore:
    """The department's score of the month, if the user may see it (403 otherwise, 404 if none)."""
    require_department(staff, code)
    score = (
        DepartmentMonthScore.objects.filter(department_id=code, month=month)
        .select_related("department", "policy")
        .first()
    )
    if score is None:
        raise Http404
    return score


def findings(score: DepartmentMonthScore) -> QuerySet[AssessmentFinding]:
    return AssessmentFinding.objects.filter(score=score).order_by("problem", "kind", "id")


@dataclass
class FindingRow:
    finding: AssessmentFinding
    problem_label: str
    kind_label: str
    details: list[str]


def finding_rows(items) -> list[FindingRow]:
    """Labels for a page of findings: missing fields by their Chinese names."""
    rows = []
    for f in items:
        if f.problem == FindingProblem.INCOMPLETE:
            details = [field_label(f.kind, key) for key in f.details]
        elif f.problem == FindingProblem.MISSING_FEED:
            details = [str(_("本月成功报送 %(runs)s 批次")) % {"runs": f.details[0] if f.details else 0}]
        else:
            details = list(f.details)
        rows.append(FindingRow(f, FindingProblem(f.problem).label, kind_label(f.kind), details))
    return rows


def findings_page(queryset: QuerySet[AssessmentFinding], number: str | None) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(number)


def finding_export_rows(queryset: QuerySet[AssessmentFinding]) -> Iterator[list[str]]:
    yield [str(h) for h in (_("扣分原因"), _("数据类型"), _("记录编号"), _("主体名称"), _("决定日期"),
                            _("报送期限"), _("接收时间"), _("明细"))]  # fmt: skip
    chunk: list[AssessmentFinding] = []
    for finding in queryset.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(finding)
        if len(chunk) >= EXPORT_CHUNK:
            yield from _finding_cells(chunk)
            chunk = []
    yield from _finding_cells(chunk)


def _finding_cells(chunk: list[AssessmentFinding]) -> Iterator[list[str]]:
    for row in finding_rows(chunk):
        f = row.finding
        yield [
            str(row.problem_label), row.kind_label, f.record_id, f.subject_name, _text(f.decided_on),
            _text(f.deadline), timezone.localtime(f.arrived_at).strftime("%Y-%m-%d %H:%M") if f.arrived_at else "",
            "；".join(row.details),
        ]  # fmt: skip
