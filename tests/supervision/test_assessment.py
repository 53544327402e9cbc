"""部门考核: the formulas on the hand-built October of tests.supervision.assessment_data, worked out
by hand there (working days and the National Day holiday, backfill, quarantine, corrections,
withdrawals, missing feeds, month boundaries in China time, ranking), and the policy's versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError

from supervision.models import AssessmentFinding, AssessmentPolicy, DepartmentMonthScore, WorkdayOverride
from supervision.services.assessment import (
    DECISION_DATES,
    IMPORTANT_FIELDS,
    Counts,
    month_assess,
    score_parts,
)
from supervision.tasks.assessment import assess_departments
from tests.supervision.assessment_data import OCTOBER, build_october
from warning_system.registry import contract


@pytest.fixture
def october(reference_data):
    build_october()


def score(department: str, month: date = OCTOBER) -> DepartmentMonthScore:
    return DepartmentMonthScore.objects.get(department_id=department, month=month)


def findings(department: str, problem: str) -> list[AssessmentFinding]:
    return list(
        AssessmentFinding.objects.filter(score=score(department), problem=problem).order_by("kind", "id")
    )


# --------------------------------------------------------------------------- timeliness


def test_the_deadline_counts_working_days_across_the_national_day_holiday(october):
    month_assess(2026, 10)
    late = findings("SCJG", "late")
    assert [(f.record_id, f.decided_on, f.deadline) for f in late] == [
        ("CF-LATE", date(2026, 9, 30), date(2026, 10, 15))
    ]


def test_timeliness_is_the_share_of_timed_records_on_time(october):
    month_assess(2026, 10)
    s = score("SCJG")
    # CF-ONTIME, CF-LATE, CF-LASTNIGHT; CF-BACKFILL is backfill, CF-WITHDRAWN withdrawn, REG-1 undated.
    assert (s.timed, s.late, s.backfill) == (3, 1, 1)
    assert s.timeliness == Decimal("66.67")


def test_a_workday_override_moves_the_deadline(october):
    WorkdayOverride.objects.create(day=date(2026, 10, 12), is_workday=False, note="测试：临时休息日")
    month_assess(2026, 10)
    assert score("SCJG").late == 0
    assert findings("SCJG", "late") == []


def test_a_record_counts_in_the_month_of_its_arrival_in_china_time(october):
    month_assess(2026, 10)
    month_assess(2026, 11)
    october_ids = {f.record_id for f in AssessmentFinding.objects.filter(score=score("SCJG"))}
    assert "CF-NOVEMBER" not in october_ids
    november = score("SCJG", date(2026, 11, 1))
    assert (november.received, november.timed) == (1, 1)


def test_records_decided_before_the_feed_went_live_are_backfill_not_late(october):
    month_assess(2026, 10)
    assert "CF-BACKFILL" not in {f.record_id for f in findings("SCJG", "late")}
    assert score("SCJG").backfill == 1


# --------------------------------------------------------------------------- accuracy


def test_accuracy_deducts_quarantined_corrected_and_withdrawn_records(october):
    month_assess(2026, 10)
    s = score("SCJG")
    # Arrivals: CF-ONTIME, CF-LATE, CF-BACKFILL, CF-LASTNIGHT, CF-WITHDRAWN, REG-1, + 1 quarantined.
    assert (s.received, s.quarantined, s.corrections, s.withdrawals) == (7, 1, 1, 1)
    assert s.accuracy == Decimal("64.29")  # (7 − 1 − 0.5 × 1 − 1 × 1) / 7


def test_the_drill_down_names_quarantined_corrected_and_withdrawn_records(october):
    month_assess(2026, 10)
    assert [f.details for f in findings("SCJG", "quarantined")] == [["缺少必填字段 decided_on"]]
    assert [f.record_id for f in findings("SCJG", "corrected")] == ["CF-CORRECTED"]
    assert [f.record_id for f in findings("SCJG", "withdrawn")] == ["CF-WITHDRAWN"]


# --------------------------------------------------------------------------- completeness


def test_completeness_weighs_important_fields_and_feeds_received(october):
    month_assess(2026, 10)
    s = score("SCJG")
    # Fields: 4 penalties × 6 + 1 registration × 5 = 29 cells, CF-LATE misses 2.
    assert (s.fields_expected, s.fields_filled, s.incomplete) == (29, 27, 1)
    assert s.fields_score == Decimal("93.10")
    # Feeds: penalty and registration of SCJG's 10 kinds (the rejected licence file does not count).
    assert (s.feeds_expected, s.feeds_received) == (10, 2)
    assert s.completeness == Decimal("56.55")


def test_incomplete_records_list_their_missing_fields(october):
    month_assess(2026, 10)
    assert [(f.record_id, f.details) for f in findings("SCJG", "incomplete")] == [
        ("CF-LATE", ["legal_basis", "authority_uscc"])
    ]


def test_every_kind_expected_but_not_delivered_is_a_missing_feed(october):
    month_assess(2026, 10)
    missing = {f.kind for f in findings("SCJG", "missing_feed")}
    assert missing == {"license", "abnormal_listing", "serious_violation", "complaint", "inspection",
                       "annual_report", "property_right", "honor"}  # fmt: skip


def test_a_department_that_sent_nothing_scores_only_its_missing_feeds(october):
    month_assess(2026, 10)
    s = score("WGLJ")
    assert (s.timeliness, s.accuracy, s.fields_score) == (None, None, None)
    assert (s.feeds_score, s.completeness, s.total) == (Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


# --------------------------------------------------------------------------- total and rank


def test_the_total_weighs_the_parts_by_the_policy(october):
    month_assess(2026, 10)
    assert score("SCJG").total == Decimal("62.92")  # 0.4 × 66.67 + 0.3 × 64.29 + 0.3 × 56.55
    assert score("FGW").total == Decimal("100.00")


def test_departments_are_ranked_by_total_ties_sharing_a_rank(october):
    month_assess(2026, 10)
    assert (score("FGW").rank, score("SCJG").rank, score("WGLJ").rank, score("ZY").rank) == (1, 2, 3, 3)


def test_a_part_with_nothing_to_score_leaves_the_total_to_the_others():
    policy = AssessmentPolicy(
        weight_timeliness=40, weight_accuracy=30, weight_completeness=30, fields_share=50
    )
    parts = score_parts(Counts(received=10, quarantined=1, feeds_expected=2, feeds_received=2), policy)
    assert parts.timeliness is None
    assert (parts.accuracy, parts.completeness) == (Decimal("90.00"), Decimal("100.00"))
    assert parts.total == Decimal("95.00")  # accuracy and completeness, 30 : 30


def test_accuracy_never_drops_below_zero():
    policy = AssessmentPolicy(withdrawal_deduction=Decimal("1.00"))
    assert score_parts(Counts(received=1, quarantined=1, withdrawals=3), policy).accuracy == Decimal("0.00")


def test_assessing_a_month_again_replaces_its_scores_and_findings(october):
    month_assess(2026, 10)
    first = AssessmentFinding.objects.count()
    month_assess(2026, 10)
    assert AssessmentFinding.objects.count() == first
    assert DepartmentMonthScore.objects.filter(month=OCTOBER).count() == 33


# --------------------------------------------------------------------------- the policy


def test_a_new_policy_version_is_used_and_named_by_the_scores(october):
    AssessmentPolicy.objects.create(
        version=2, weight_timeliness=100, weight_accuracy=0, weight_completeness=0
    )
    month_assess(2026, 10)
    s = score("SCJG")
    assert (s.policy.version, s.total) == (2, Decimal("66.67"))


def test_a_longer_deadline_of_the_policy_makes_the_late_record_on_time(october):
    AssessmentPolicy.objects.create(version=2, deadline_workdays=8)
    month_assess(2026, 10)
    assert score("SCJG").late == 0


def test_weights_must_add_up_to_100(db):
    with pytest.raises(IntegrityError):
        AssessmentPolicy.objects.create(
            version=9, weight_timeliness=50, weight_accuracy=30, weight_completeness=30
        )


def test_the_migration_provides_the_rules_defaults(db):
    policy = AssessmentPolicy.objects.get(version=1)
    assert (policy.deadline_workdays, policy.weights) == (
        7, {"timeliness": 40, "accuracy": 30, "completeness": 30},
    )  # fmt: skip


def test_decision_dates_and_important_fields_name_optional_public_fields_of_the_contract():
    for kind, key in DECISION_DATES.items():
        assert contract.KINDS[kind].by_key[key].type == contract.DATE
    for kind, keys in IMPORTANT_FIELDS.items():
        for key in keys:
            f = contract.KINDS[kind].by_key[key]
            assert not f.required and not f.personal, (kind, key)
    assert set(IMPORTANT_FIELDS) == set(contract.KINDS)


# --------------------------------------------------------------------------- entry points


def test_the_command_assesses_the_month_asked_for(october, capsys):
    call_command("assess_departments", "--month", "2026-10")
    assert "2026-10: 33 departments" in capsys.readouterr().out
    assert score("SCJG").total == Decimal("62.92")


def test_the_command_refuses_a_malformed_month(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("assess_departments", "--month", "2026/10")


def test_the_monthly_task_assesses_the_month_just_ended(october, time_machine):
    time_machine.move_to("2026-11-01 01:30:00+08:00")
    assert assess_departments.delay().get()["month"] == "2026-10-01"
    assert score("SCJG").total == Decimal("62.92")


def test_the_beat_runs_the_task_on_the_first_of_each_month(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["assess-departments"]
    assert entry["task"] == "supervision.tasks.assessment.assess_departments"
    assert entry["schedule"].day_of_month == {1}


def test_the_admin_saves_a_change_as_a_new_version(admin_client):
    data = {"deadline_workdays": 5, "weight_timeliness": 50, "weight_accuracy": 25, "weight_completeness": 25,
            "fields_share": 50, "correction_deduction": "0.5", "withdrawal_deduction": "1", "runs_per_kind": 1,
            "note": "提高及时性权重"}  # fmt: skip
    response = admin_client.post("/admin/supervision/assessmentpolicy/add/", data)
    assert response.status_code == 302
    newest = AssessmentPolicy.objects.order_by("-version").first()
    assert (newest.version, newest.deadline_workdays, newest.weight_timeliness) == (2, 5, 50)
    assert AssessmentPolicy.objects.get(version=1).deadline_workdays == 7


def test_the_admin_refuses_weights_that_do_not_add_up_to_100(admin_client):
    data = {"deadline_workdays": 7, "weight_timeliness": 50, "weight_accuracy": 30, "weight_completeness": 30,
            "fields_share": 50, "correction_deduction": "0.5", "withdrawal_deduction": "1", "runs_per_kind": 1}  # fmt: skip
    response = admin_client.post("/admin/supervision/assessmentpolicy/add/", data)
    assert response.status_code == 200
    assert "三项权重之和应为 100%，现为 110%。" in response.content.decode()
    assert AssessmentPolicy.objects.count() == 1
