"""部门考核 pages: the ranked scorecard, trends with their charts, the drill-down and the CSV exports;
who sees which department (own vs all), what enters the audit trail, and the pages' query counts."""

from __future__ import annotations

import pytest

from supervision.models import DepartmentMonthScore
from supervision.selectors import assessment as selectors
from supervision.services.assessment import month_assess
from tests.auth import log_in
from tests.supervision.assessment_data import build_october
from warning_system.audit.models import Action, AuditEntry

SCORECARD = "/supervision/assessment/"
EXPORT = "/supervision/assessment/export.csv"
TREND = "/supervision/assessment/{}/"
FINDINGS = "/supervision/assessment/{}/2026/10/"
FINDINGS_EXPORT = "/supervision/assessment/{}/2026/10/export.csv"


@pytest.fixture
def assessed(reference_data):
    build_october()
    month_assess(2026, 9)
    month_assess(2026, 10)


def csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode("utf-8-sig").splitlines()


def audited(user, action: str) -> list[dict]:
    return list(AuditEntry.objects.filter(actor_id=user.pk, action=action).values_list("after", flat=True))


# --------------------------------------------------------------------------- the scorecard


def test_an_administrator_sees_every_department_ranked(client, assessed, staff_of):
    log_in(client, staff_of("BB", role="admin"))
    response = client.get(SCORECARD + "?month=2026-10")
    rows = response.context["board"].rows
    assert len(rows) == 33
    assert [r.score.department_id for r in rows[:2]] == ["FGW", "SCJG"]
    assert [r.score.rank for r in rows] == sorted(r.score.rank for r in rows)
    assert response.context["board"].chart is not None
    assert "<svg" in response.content.decode()


def test_a_department_sees_only_its_own_row(client, assessed, staff_of):
    log_in(client, staff_of("SCJG", role="leader"))
    response = client.get(SCORECARD + "?month=2026-10")
    assert [r.score.department_id for r in response.context["board"].rows] == ["SCJG"]
    assert "南昌市发展和改革委员会" not in response.content.decode()


def test_a_department_reads_its_rank_among_all_the_departments_ranked(client, assessed, staff_of):
    log_in(client, staff_of("SCJG", role="leader"))
    response = client.get(SCORECARD + "?month=2026-10")
    rank = response.context["board"].rows[0].score.rank
    page = response.content.decode()
    assert f"在本月参加考核的 33 个部门中排第 {rank} 名" in page
    assert f"第 {rank} 名 / 共 33 个部门" in page


def test_the_scorecard_shows_the_change_since_the_previous_month(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    row = client.get(SCORECARD + "?month=2026-10").context["board"].rows[0]
    september = DepartmentMonthScore.objects.get(department_id="SCJG", month="2026-09-01")
    assert row.change == row.score.total - september.total < 0
    assert f"{row.change}</span>" in client.get(SCORECARD + "?month=2026-10").content.decode()


def test_the_scorecard_defaults_to_the_newest_assessed_month(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    assert client.get(SCORECARD).context["board"].month.isoformat() == "2026-10-01"


def test_a_malformed_month_is_reported_and_the_newest_month_shown(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    response = client.get(SCORECARD + "?month=2026-13")
    assert "月份格式应为 YYYY-MM" in response.content.decode()
    assert response.context["board"].month.isoformat() == "2026-10-01"


def test_before_any_assessment_the_scorecard_says_how_to_get_one(client, reference_data, staff_of):
    log_in(client, staff_of("SCJG"))
    assert "assess_departments" in client.get(SCORECARD).content.decode()


def test_the_workspace_header_links_to_the_scorecard(client, reference_data, staff_of):
    log_in(client, staff_of("SCJG"))
    assert f'href="{SCORECARD}"' in client.get("/supervision/").content.decode()


# --------------------------------------------------------------------------- trend and drill-down


def test_the_trend_draws_twelve_months_with_gaps_for_months_not_assessed(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    response = client.get(TREND.format("SCJG") + "?month=2026-10")
    trend = response.context["trend"]
    assert len(trend.months) == 12
    assert [m.isoformat() for m, s in trend.months if s is not None] == ["2026-09-01", "2026-10-01"]
    total = next(s for s in trend.chart.series if s.label == "总分")
    assert len(total.points) == 2 and total.path.startswith("M")
    assert "<svg" in response.content.decode()


def test_a_department_may_not_see_another_departments_trend_or_findings(client, assessed, staff_of):
    staff = staff_of("WGLJ", role="leader")
    log_in(client, staff)
    assert client.get(TREND.format("SCJG")).status_code == 403
    assert client.get(FINDINGS.format("SCJG")).status_code == 403
    assert client.get(FINDINGS_EXPORT.format("SCJG")).status_code == 403


def test_an_administrators_look_at_another_department_enters_the_trail(client, assessed, staff_of):
    admin = staff_of("BB", role="admin")
    log_in(client, admin)
    assert client.get(FINDINGS.format("SCJG")).status_code == 200
    assert audited(admin.user, Action.ASSESSMENT_VIEW) == [{"department": "SCJG", "month": "2026-10"}]


def test_looking_at_ones_own_department_is_not_audited(client, assessed, staff_of):
    staff = staff_of("SCJG")
    log_in(client, staff)
    client.get(FINDINGS.format("SCJG"))
    client.get(TREND.format("SCJG"))
    assert audited(staff.user, Action.ASSESSMENT_VIEW) == []


def test_the_drill_down_filters_by_problem(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    response = client.get(FINDINGS.format("SCJG") + "?problem=late")
    rows = response.context["rows"]
    assert [(r.finding.record_id, r.finding.deadline.isoformat()) for r in rows] == [
        ("CF-LATE", "2026-10-15")
    ]


def test_the_drill_down_shows_missing_fields_by_their_labels(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    response = client.get(FINDINGS.format("SCJG") + "?problem=incomplete")
    assert response.context["rows"][0].details == ["处罚依据", "处罚机关统一社会信用代码"]


def test_the_drill_down_is_paginated(client, assessed, staff_of, monkeypatch):
    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    log_in(client, staff_of("SCJG"))
    response = client.get(FINDINGS.format("SCJG"))
    assert response.context["page"].paginator.num_pages > 1
    assert 'rel="next"' in response.content.decode()


def test_an_invalid_filter_is_reported_and_ignored(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    response = client.get(FINDINGS.format("SCJG") + "?problem=nonsense")
    assert "以下筛选条件无效" in response.content.decode()


def test_a_month_without_a_score_is_not_found(client, assessed, staff_of):
    log_in(client, staff_of("SCJG"))
    assert client.get("/supervision/assessment/SCJG/2025/10/").status_code == 404
    assert client.get("/supervision/assessment/SCJG/2026/13/").status_code == 404


@pytest.mark.parametrize(
    "path", ["9223372036854775808/12/", "2026/99999999999999999999/", "99999999999999999999/1/export.csv"]
)
def test_a_month_beyond_any_calendar_is_not_found(client, assessed, staff_of, path):
    log_in(client, staff_of("SCJG"))
    assert client.get(f"/supervision/assessment/SCJG/{path}").status_code == 404


# --------------------------------------------------------------------------- CSV


def test_the_scorecard_export_holds_the_visible_rows_and_is_audited(client, assessed, staff_of):
    staff = staff_of("SCJG")
    log_in(client, staff)
    lines = csv_lines(client.get(EXPORT + "?month=2026-10"))
    assert len(lines) == 2 and lines[1].startswith("2026-10,2,SCJG,")
    assert audited(staff.user, Action.EXPORT) == [
        {"what": "scorecard", "month": "2026-10", "department": "SCJG", "filters": {}}
    ]


def test_an_administrators_scorecard_export_holds_every_department(client, assessed, staff_of):
    log_in(client, staff_of("BB", role="admin"))
    assert len(csv_lines(client.get(EXPORT + "?month=2026-10"))) == 34


def test_the_findings_export_holds_the_filtered_findings_and_is_audited(client, assessed, staff_of):
    staff = staff_of("SCJG")
    log_in(client, staff)
    lines = csv_lines(client.get(FINDINGS_EXPORT.format("SCJG") + "?problem=late"))
    assert len(lines) == 2
    assert "CF-LATE" in lines[1] and "2026-09-30,2026-10-15,2026-10-16 09:00" in lines[1]
    assert audited(staff.user, Action.EXPORT)[0]["filters"] == {"problem": "late"}


# --------------------------------------------------------------------------- query counts

# An administrator looking at SCJG: the session, user, TOTP device and profile; the page's reads (the
# scorecard of 33 departments in one query); the audit entry of a look or an export (5 statements);
# two to spare for the session and authentication middleware.


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (SCORECARD + "?month=2026-10", 13),
        (TREND.format("SCJG") + "?month=2026-10", 17),
        (FINDINGS.format("SCJG"), 18),
        (EXPORT + "?month=2026-10", 17),
        (FINDINGS_EXPORT.format("SCJG"), 17),
    ],
)
def test_pages_read_a_bounded_number_of_queries(client, assessed, staff_of, url, queries,
                                                django_assert_max_num_queries):  # fmt: skip
    log_in(client, staff_of("BB", role="admin"))
    with django_assert_max_num_queries(queries):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
