"""The colour engine against the database: ingest records, and subjects take (and lose) their colours,
with history, daily counts, ruleset versions, commands and credit repair."""

import io
import json
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from collectors.parsers import parse_push_body
from collectors.services import batch_ingest
from tests.collectors.conftest import reference_data  # noqa: F401  (fixture)
from tests.factories import make_uscc, penalty, registration
from warning_system.classification import rules, services
from warning_system.classification.models import (
    ColourChange,
    DailyColourCount,
    RepairApplication,
    RepairStatus,
    Ruleset,
    SubjectColour,
)
from warning_system.registry.models import Department, Penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def ingest(reference_data, django_capture_on_commit_callbacks):  # noqa: F811
    """Ingest records of one kind from SCJG and run the re-classification its commit schedules."""
    department = Department.objects.get(code="SCJG")

    def _ingest(kind: str, records: list[dict]):
        items, _ = parse_push_body(json.dumps(records, ensure_ascii=False).encode(), "application/json", kind)
        with django_capture_on_commit_callbacks(execute=True):
            receipt = batch_ingest(department=department, kind=kind, items=items, channel="push")
        assert receipt.quarantined == []
        return receipt

    return _ingest


def iso(day: date) -> str:
    return day.isoformat()


def months_ago(today: date, months: int) -> date:
    return today - relativedelta(months=months)


@pytest.fixture
def subject(ingest) -> str:
    uscc = make_uscc()
    ingest("registration", [registration(uscc)])
    return uscc


def penalise(ingest, uscc: str, record_id: str, decided_on: date, **overrides) -> Penalty:
    ingest("penalty", [penalty(uscc, record_id, decided_on=iso(decided_on), **overrides)])
    return Penalty.objects.get(record_id=record_id)


def colour_of(uscc: str) -> SubjectColour:
    return SubjectColour.objects.get(subject_id=uscc)


def rule_keys(stored: SubjectColour) -> list[str]:
    return [r["rule"] for r in stored.explanation["rules"]]


# --------------------------------------------------------------------------- ingest → colour


def test_a_registered_subject_without_records_is_green(subject):
    stored = colour_of(subject)
    assert stored.colour == rules.GREEN
    assert stored.explanation == {"rules": [], "next_change": None}


def test_a_recent_penalty_turns_the_subject_yellow_and_names_the_record(ingest, subject, today):
    decided = months_ago(today, 2)
    penalise(ingest, subject, "P-YELLOW-1", decided)

    stored = colour_of(subject)
    assert stored.colour == rules.YELLOW
    assert rule_keys(stored) == ["penalty"]
    (rule,) = stored.explanation["rules"]
    assert [r["record_id"] for r in rule["records"]] == ["P-YELLOW-1"]
    assert rule["ends_on"] == iso(decided + relativedelta(years=1) - timedelta(days=1))
    assert stored.next_change_on == decided + relativedelta(years=1)
    assert stored.next_colour == rules.GREEN
    assert stored.explanation["next_change"] == {"on": iso(stored.next_change_on), "colour": rules.GREEN}


def test_a_recent_penalty_writes_a_green_to_yellow_change(ingest, subject, today):
    penalise(ingest, subject, "P-HIST-1", months_ago(today, 2))

    change = ColourChange.objects.filter(subject_id=subject).first()
    assert (change.from_colour, change.to_colour, change.effective_on) == (rules.GREEN, rules.YELLOW, today)
    assert [r["rule"] for r in change.explanation["rules"]] == ["penalty"]
    assert list(
        ColourChange.objects.filter(subject_id=subject).order_by("id").values_list("from_colour", "to_colour")
    ) == [("", rules.GREEN), (rules.GREEN, rules.YELLOW)]


def test_withdrawing_the_penalty_turns_the_subject_green_again(ingest, subject, today):
    decided = months_ago(today, 2)
    penalise(ingest, subject, "P-WD-1", decided)
    assert colour_of(subject).colour == rules.YELLOW

    ingest(
        "penalty",
        [penalty(subject, "P-WD-1", op="delete", decided_on=iso(decided), updated_at="2026-11-03T09:00:00")],
    )

    stored = colour_of(subject)
    assert stored.colour == rules.GREEN
    assert stored.explanation == {"rules": [], "next_change": None}
    assert stored.next_change_on is None
    latest = ColourChange.objects.filter(subject_id=subject).first()
    assert (latest.from_colour, latest.to_colour) == (rules.YELLOW, rules.GREEN)


def test_a_warning_only_penalty_leaves_the_subject_green(ingest, subject, today):
    penalise(ingest, subject, "P-WARN-1", months_ago(today, 2), penalty_categories="警告", fine_amount=None)

    assert Penalty.objects.get(record_id="P-WARN-1").subject_id == subject
    stored = colour_of(subject)
    assert stored.colour == rules.GREEN
    assert stored.explanation["rules"] == []
    assert not ColourChange.objects.filter(subject_id=subject, to_colour=rules.YELLOW).exists()


# --------------------------------------------------------------------------- the daily job


def test_reclassify_due_evaluates_only_subjects_whose_change_falls_due(ingest, today):
    due, later = make_uscc(), make_uscc()
    ingest("registration", [registration(due), registration(later)])
    penalise(ingest, due, "P-DUE-1", months_ago(today, 11))
    penalise(ingest, later, "P-DUE-2", months_ago(today, 2))
    due_day = colour_of(due).next_change_on
    assert due_day is not None and due_day < colour_of(later).next_change_on
    untouched = colour_of(later)

    result = services.reclassify_due(due_day)

    assert (result.day, result.evaluated, result.changed) == (due_day, 1, 1)
    stored = colour_of(due)
    assert (stored.colour, stored.evaluated_on, stored.since) == (rules.GREEN, due_day, due_day)
    assert stored.next_change_on is None
    after = colour_of(later)
    assert (after.colour, after.evaluated_on, after.updated_at, after.explanation) == (
        untouched.colour,
        untouched.evaluated_on,
        untouched.updated_at,
        untouched.explanation,
    )


def test_reclassify_due_records_the_days_colour_counts(ingest, today):
    due, later = make_uscc(), make_uscc()
    ingest("registration", [registration(due), registration(later)])
    penalise(ingest, due, "P-CNT-1", months_ago(today, 11))
    penalise(ingest, later, "P-CNT-2", months_ago(today, 2))
    due_day = colour_of(due).next_change_on

    services.reclassify_due(due_day)

    counts = DailyColourCount.objects.get(day=due_day)
    assert (counts.green, counts.yellow, counts.orange, counts.red) == (1, 1, 0, 0)


def test_reclassify_due_with_nothing_due_evaluates_nobody(ingest, subject, today):
    penalise(ingest, subject, "P-NONE-1", months_ago(today, 2))
    before = colour_of(subject)

    result = services.reclassify_due(today)

    assert (result.evaluated, result.changed) == (0, 0)
    assert colour_of(subject).updated_at == before.updated_at
    assert DailyColourCount.objects.get(day=today).yellow == 1


# --------------------------------------------------------------------------- classify without storing


def test_classify_without_store_counts_but_changes_no_stored_colour(ingest, subject, today):
    penalise(ingest, subject, "P-NOSTORE-1", months_ago(today, 2))
    other = make_uscc()
    ingest("registration", [registration(other)])
    before = {row.subject_id: (row.colour, row.updated_at) for row in SubjectColour.objects.all()}
    changes = ColourChange.objects.count()

    now = services.classify(day=today, store=False)
    next_year = services.classify(day=today + relativedelta(years=1), store=False)

    assert (now.counts[rules.YELLOW], now.counts[rules.GREEN], now.evaluated) == (1, 1, 2)
    assert (next_year.counts[rules.YELLOW], next_year.counts[rules.GREEN]) == (0, 2)
    assert now.changed == next_year.changed == 0
    assert {row.subject_id: (row.colour, row.updated_at) for row in SubjectColour.objects.all()} == before
    assert ColourChange.objects.count() == changes


def test_the_classify_command_as_of_another_day_prints_json_and_stores_nothing(ingest, subject, today):
    penalise(ingest, subject, "P-CMD-1", months_ago(today, 2))
    day = today + relativedelta(years=1)
    before = colour_of(subject)
    out = io.StringIO()

    call_command("classify", "--all", "--as-of", iso(day), "--json", stdout=out)

    summary = json.loads(out.getvalue())
    assert summary["stored"] is False
    assert summary["as_of"] == iso(day)
    assert summary["evaluated"] == 1
    assert summary["counts"] == {"green": 1, "yellow": 0, "orange": 0, "red": 0}
    after = colour_of(subject)
    assert (after.colour, after.evaluated_on, after.updated_at) == (
        rules.YELLOW,
        before.evaluated_on,
        before.updated_at,
    )
    assert not DailyColourCount.objects.filter(day=day).exists()


# --------------------------------------------------------------------------- explain


def test_the_explain_command_prints_the_documented_json(ingest, subject, today):
    decided = months_ago(today, 2)
    penalise(ingest, subject, "P-EXPLAIN-1", decided)
    out = io.StringIO()

    call_command("explain", subject, "--json", stdout=out)

    explained = json.loads(out.getvalue())
    assert set(explained) == {"uscc", "colour", "as_of", "rules", "next_change"}
    assert (explained["uscc"], explained["colour"], explained["as_of"]) == (subject, rules.YELLOW, iso(today))
    (rule,) = explained["rules"]
    assert (
        {"rule", "colour", "records", "ends_on"}
        <= set(rule)
        <= {
            "rule",
            "colour",
            "records",
            "ends_on",
            "label",
            "repair",
        }
    )
    assert (rule["rule"], rule["colour"]) == ("penalty", rules.YELLOW)
    assert rule["records"] == [{"kind": "penalty", "department": "SCJG", "record_id": "P-EXPLAIN-1"}]
    assert rule["ends_on"] == iso(decided + relativedelta(years=1) - timedelta(days=1))
    assert explained["next_change"] == {"on": iso(decided + relativedelta(years=1)), "colour": rules.GREEN}


# --------------------------------------------------------------------------- ruleset versions


def test_publishing_a_ruleset_without_the_penalty_rule_turns_the_subject_green(ingest, subject, today):
    penalise(ingest, subject, "P-RS-1", months_ago(today, 2))
    assert colour_of(subject).colour == rules.YELLOW
    without_penalty = [dict(r) for r in rules.DEFAULT_RULES if r["key"] != "penalty"]

    ruleset, result = services.ruleset_publish(rules_data=without_penalty, note="no light penalties")

    assert ruleset.version == 2
    assert Ruleset.objects.count() == 2
    assert result is not None and subject in services.affected_subjects(rules.DEFAULT_RULES, without_penalty)
    stored = colour_of(subject)
    assert (stored.colour, stored.ruleset_id) == (rules.GREEN, ruleset.pk)
    change = ColourChange.objects.filter(subject_id=subject).first()
    assert (change.from_colour, change.to_colour, change.ruleset_id) == (
        rules.YELLOW,
        rules.GREEN,
        ruleset.pk,
    )


def test_a_ruleset_published_ahead_takes_effect_in_the_daily_job_of_its_day(ingest, subject, today):
    penalise(ingest, subject, "P-RS-2", months_ago(today, 2))
    without_penalty = [dict(r) for r in rules.DEFAULT_RULES if r["key"] != "penalty"]
    tomorrow = today + timedelta(days=1)

    ruleset, result = services.ruleset_publish(rules_data=without_penalty, effective_from=tomorrow)

    assert result is None and colour_of(subject).colour == rules.YELLOW
    services.reclassify_due(tomorrow)
    stored = colour_of(subject)
    assert (stored.colour, stored.ruleset_id) == (rules.GREEN, ruleset.pk)


# --------------------------------------------------------------------------- credit repair


def apply(record: Penalty, **overrides):
    arguments = {
        "kind": "penalty",
        "record_pk": record.pk,
        "applicant": "subject",
        "applicant_name": "南昌测试贸易有限公司",
        "reason": "已整改完毕，罚款已缴清",
    }
    return services.repair_apply(**{**arguments, **overrides})


def test_a_penalty_decided_less_than_six_months_ago_cannot_be_repaired_yet(ingest, subject, today):
    record = penalise(ingest, subject, "P-RP-EARLY", months_ago(today, 2))

    with pytest.raises(services.RepairError, match="6个月"):
        apply(record)


def test_a_penalty_decided_seven_months_ago_can_be_applied_for(ingest, subject, today):
    record = penalise(ingest, subject, "P-RP-OK", months_ago(today, 7), fine_amount="1")
    assert colour_of(subject).colour == rules.YELLOW

    application = apply(record)

    assert (application.status, application.subject_id, application.department_id) == (
        RepairStatus.PENDING,
        subject,
        "SCJG",
    )
    assert application.record_id == "P-RP-OK"
    assert list(application.steps.values_list("action", flat=True)) == ["submitted"]
    assert colour_of(subject).colour == rules.YELLOW


def test_approving_a_repair_turns_the_subject_green_at_once(
    ingest, subject, today, django_capture_on_commit_callbacks
):
    record = penalise(ingest, subject, "P-RP-APPROVE", months_ago(today, 7), fine_amount="1")
    application = apply(record)

    with django_capture_on_commit_callbacks(execute=True):
        services.repair_decide(application=application, approve=True, reviewer=None, reason="ok")

    application.refresh_from_db()
    assert application.status == RepairStatus.APPROVED
    assert colour_of(subject).colour == rules.GREEN
    latest = ColourChange.objects.filter(subject_id=subject).first()
    assert (latest.from_colour, latest.to_colour) == (rules.YELLOW, rules.GREEN)


def test_rejecting_a_repair_without_a_reason_is_refused(ingest, subject, today):
    record = penalise(ingest, subject, "P-RP-REJECT", months_ago(today, 7), fine_amount="1")
    application = apply(record)

    with pytest.raises(services.RepairError):
        services.repair_decide(application=application, approve=False, reviewer=None, reason="  ")

    application.refresh_from_db()
    assert application.status == RepairStatus.PENDING
    assert colour_of(subject).colour == rules.YELLOW


def test_a_restrictive_penalty_cannot_be_applied_for(ingest, subject, today):
    record = penalise(
        ingest,
        subject,
        "P-RP-REVOKE",
        months_ago(today, 7),
        penalty_categories="吊销许可证件",
        fine_amount=None,
    )
    assert colour_of(subject).colour == rules.RED

    with pytest.raises(services.RepairError, match="不可修复"):
        apply(record)


def test_an_application_the_rules_no_longer_allow_cannot_be_approved(
    ingest, subject, today, django_capture_on_commit_callbacks
):
    record = penalise(ingest, subject, "P-RP-LATE", months_ago(today, 7), fine_amount="1")
    application = apply(record)
    # Since the application, the department sent a corrected record: the penalty revokes a licence.
    penalise(ingest, subject, "P-RP-LATE", months_ago(today, 7), penalty_categories="吊销许可证件",
             fine_amount=None, updated_at="2026-11-20T09:00:00")  # fmt: skip

    with pytest.raises(services.RepairError, match="不可修复"):
        services.repair_decide(application=application, approve=True, reviewer=None, reason="ok")

    application.refresh_from_db()
    assert application.status == RepairStatus.PENDING
    assert colour_of(subject).colour == rules.RED


def test_an_application_made_under_a_looser_ruleset_is_judged_by_the_one_in_force(ingest, subject, today):
    record = penalise(ingest, subject, "P-RP-RULES", months_ago(today, 7), fine_amount="1")
    application = apply(record)
    current = services.ruleset_for(today)
    services.ruleset_publish(rules_data=current.rules, repair={**current.repair, "penalty_months": 12})

    with pytest.raises(services.RepairError, match="12个月"):
        services.repair_decide(application=application, approve=True, reviewer=None, reason="ok")


def test_the_admin_add_form_refuses_an_ineligible_application(ingest, subject, today, admin_client):
    record = penalise(ingest, subject, "P-RP-ADMIN", months_ago(today, 7), penalty_categories="吊销许可证件",
                      fine_amount=None)  # fmt: skip
    response = admin_client.post(
        "/admin/classification/repairapplication/add/",
        {"kind": "penalty", "record_pk": record.pk, "applicant": "subject", "applicant_name": "某公司",
         "reason": "已整改"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "不可修复" in response.content.decode()
    assert not RepairApplication.objects.exists()


def test_the_admin_add_form_makes_an_eligible_application_through_the_service(
    ingest, subject, today, admin_client
):
    record = penalise(ingest, subject, "P-RP-ADMIN2", months_ago(today, 7), fine_amount="1")
    response = admin_client.post(
        "/admin/classification/repairapplication/add/",
        {"kind": "penalty", "record_pk": record.pk, "applicant": "subject", "applicant_name": "某公司",
         "reason": "已整改"},
    )  # fmt: skip
    assert response.status_code == 302
    application = RepairApplication.objects.get()
    assert (application.subject_id, application.department_id, application.status) == (
        subject,
        "SCJG",
        "pending",
    )
    assert list(application.steps.values_list("action", flat=True)) == ["submitted"]


# --------------------------------------------------------------------------- bulk files


def test_a_file_colours_the_subjects_it_touched_and_only_those(
    ingest, today, tmp_path, django_capture_on_commit_callbacks
):
    from collectors import services as collector_services
    from tests.collectors.conftest import write_jsonl

    first, second, untouched = make_uscc(), make_uscc(), make_uscc()
    ingest("registration", [registration(u) for u in (first, second, untouched)])
    SubjectColour.objects.filter(subject_id=untouched).delete()
    write_jsonl(
        tmp_path / "SCJG" / "penalty_20261127090000.jsonl",
        [penalty(u, f"P-BULK-{u}", decided_on=iso(months_ago(today, 2))) for u in (first, second)],
    )

    with django_capture_on_commit_callbacks(execute=True):
        collector_services.collect_inbox(tmp_path)

    assert colour_of(first).colour == colour_of(second).colour == rules.YELLOW
    assert not SubjectColour.objects.filter(subject_id=untouched).exists()
