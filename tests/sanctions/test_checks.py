"""Checks against the database: the engine's colours and rules, the records behind them, what is
stored and audited, the catalogue's versions, and the outcomes askers report back."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.sanctions import world
from tests.supervision.feeds import push, register
from warning_system.audit.models import Action, AuditEntry
from warning_system.classification.services import ruleset_for, ruleset_publish
from warning_system.sanctions import measures, services
from warning_system.sanctions.models import JointCheck, MeasuresCatalogue
from warning_system.sanctions.services import Requester, SanctionError

pytestmark = pytest.mark.django_db

DEFAULT_RESTRICTED = {
    "red": set(measures.DEFAULT_USES),
    "orange": {"procurement", "bidding", "subsidy", "honour", "licensing"},
    "yellow": {"honour"},
    "green": set(),
}


@pytest.mark.parametrize("colour", ["red", "orange", "yellow", "green"])
@pytest.mark.parametrize("use", measures.DEFAULT_USES)
def test_a_check_answers_each_use_by_the_subjects_engine_colour(coloured, asker, use, colour):
    uscc = coloured(colour)
    result = services.subject_check(uscc=uscc, use=use, requester=asker)
    assert result.colour == colour
    expected = "restricted" if use in DEFAULT_RESTRICTED[colour] else "allowed"
    assert (result.outcome, result.check.outcome) == (expected, expected)


def test_a_restricted_check_gives_the_rule_its_public_records_and_the_legal_basis(coloured, asker):
    uscc = coloured("red")
    result = services.subject_check(uscc=uscc, use="procurement", requester=asker)
    (reason,) = result.reasons
    assert (reason["rule"], reason["basis"]) == ("serious_violation", "list")  # listed by default, and red
    (record,) = reason["records"]
    assert record["kind"] == "serious_violation"
    assert record["department_name"] == "南昌市市场监督管理局"
    assert record["reference"].startswith("洪市监严列")
    assert "id" not in record
    assert "第二十二条" in result.legal_basis
    assert result.catalogue_version == 1


def test_a_subject_not_in_the_registry_is_not_found_and_nothing_is_stored(reference_data, asker):
    from tests.factories import make_uscc

    result = services.subject_check(uscc=make_uscc(), use="procurement", requester=asker)
    assert not result.found
    assert result.check is None
    assert not JointCheck.objects.exists()


def test_an_unknown_use_is_refused(coloured, asker):
    with pytest.raises(SanctionError) as raised:
        services.subject_check(uscc=coloured("green"), use="lottery", requester=asker)
    assert raised.value.code == "unknown_use"


def test_a_check_is_stored_with_who_asked_and_audited(coloured, asker, scjg):
    uscc = coloured("orange")
    check = services.subject_check(uscc=uscc, use="bidding", requester=asker).check
    check.refresh_from_db()
    assert (check.department_id, check.user, check.requester_kind, check.channel) == (
        "SCJG",
        scjg.user,
        "department",
        "page",
    )
    assert check.subject_name and check.colour == "orange"
    entry = AuditEntry.objects.get(action=Action.JOINT_CHECK, object_id=str(check.pk))
    assert (entry.subject_uscc, entry.department_id, entry.after["outcome"]) == (uscc, "SCJG", "restricted")


def test_an_institutions_check_stores_its_label_and_key_without_a_department(coloured):
    bank = Requester.of_institution(institution_id=7, label="南昌银行", api_key_id=3)
    check = services.subject_check(uscc=coloured("red"), use="financing", requester=bank, channel="api").check
    assert (check.institution_id, check.api_key_id, check.requester_label, check.department_id) == (
        7,
        3,
        "南昌银行",
        None,
    )


def test_a_withdrawn_record_is_not_shown_as_a_reason(coloured, asker):
    uscc = register()
    listing = world.serious_violation(uscc, "YZ-WITHDRAWN")
    push("SCJG", "serious_violation", [listing])
    push(
        "SCJG",
        "serious_violation",
        [{**listing, "op": "delete", "updated_at": timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")}],
    )
    result = services.subject_check(uscc=uscc, use="procurement", requester=asker)
    assert result.outcome == "allowed"
    assert result.reasons == []


# --------------------------------------------------------------------------- lists regardless of colour


def catalogue_with(use: str, **entry) -> dict:
    catalogue = measures.default_measures()
    catalogue[use].update(entry)
    return catalogue


def test_a_listed_rule_restricts_although_the_colour_does_not(coloured, asker, scjg):
    """The city moves dishonest debtors to orange; financing still refuses them by the list."""
    ruleset = ruleset_for(timezone.localdate())
    moved = [
        {**rule, "colour": "orange"} if rule["key"] == "dishonest_debtor" else rule for rule in ruleset.rules
    ]
    ruleset_publish(rules_data=moved, author=scjg.user, note="失信被执行人改为橙色")
    debtor = world.red_debtor()
    abnormal = coloured("orange")

    debtor_result = services.subject_check(uscc=debtor, use="financing", requester=asker)
    abnormal_result = services.subject_check(uscc=abnormal, use="financing", requester=asker)

    assert (debtor_result.colour, debtor_result.outcome) == ("orange", "restricted")
    assert [(r["rule"], r["basis"]) for r in debtor_result.reasons] == [("dishonest_debtor", "list")]
    assert (abnormal_result.colour, abnormal_result.outcome) == ("orange", "allowed")


def test_a_red_subject_not_on_a_list_is_allowed_where_the_catalogue_lifts_red(coloured, asker, scjg):
    services.catalogue_publish(measures_data=catalogue_with("listing", colours=[], lists=["dishonest_debtor"]),
                               author=scjg.user)  # fmt: skip
    assert services.subject_check(uscc=world.red_debtor(), use="listing", requester=asker).restricted
    assert not services.subject_check(uscc=coloured("red"), use="listing", requester=asker).restricted


# --------------------------------------------------------------------------- catalogue versions


def test_publishing_makes_a_new_version_with_author_and_audit(reference_data, scjg):
    catalogue = services.catalogue_publish(
        measures_data=catalogue_with("financing", colours=["red", "orange"]), author=scjg.user, note="从严"
    )
    assert (catalogue.version, catalogue.author, catalogue.effective_from) == (
        2,
        scjg.user,
        timezone.localdate(),
    )
    assert MeasuresCatalogue.objects.get(version=1).measures == measures.default_measures()
    entry = AuditEntry.objects.get(action=Action.MEASURES_CHANGE)
    assert entry.before["version"] == 1
    assert entry.after["restrictions"]["financing"]["colours"] == ["red", "orange"]


def test_a_version_takes_effect_on_its_date_and_old_checks_keep_theirs(coloured, asker, scjg):
    uscc = coloured("orange")
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.catalogue_publish(measures_data=catalogue_with("financing", colours=["red", "orange"]),
                               effective_from=tomorrow, author=scjg.user)  # fmt: skip

    today_check = services.subject_check(uscc=uscc, use="financing", requester=asker)
    assert (today_check.outcome, today_check.catalogue_version) == ("allowed", 1)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        tomorrow_check = services.subject_check(uscc=uscc, use="financing", requester=asker)
    assert (tomorrow_check.outcome, tomorrow_check.catalogue_version) == ("restricted", 2)

    stored = JointCheck.objects.get(pk=today_check.check.pk)
    assert (stored.catalogue.version, stored.outcome) == (1, "allowed")


def test_a_version_cannot_take_effect_in_the_past(reference_data, scjg):
    with pytest.raises(SanctionError) as raised:
        services.catalogue_publish(measures_data=measures.default_measures(),
                                   effective_from=timezone.localdate() - timedelta(days=1), author=scjg.user)  # fmt: skip
    assert raised.value.code == "past_date"


def test_an_invalid_catalogue_is_refused_and_nothing_published(reference_data, scjg):
    broken = catalogue_with("honour", legal_basis="")
    with pytest.raises(SanctionError):
        services.catalogue_publish(measures_data=broken, author=scjg.user)
    assert MeasuresCatalogue.objects.count() == 1


# --------------------------------------------------------------------------- outcomes


def test_an_outcome_is_recorded_once_and_audited(coloured, asker):
    check = services.subject_check(uscc=coloured("red"), use="procurement", requester=asker).check
    reported = services.outcome_report(
        check=check, action="bid_rejected", note="投标文件被拒收", requester=asker
    )
    assert (reported.reported_action, reported.reported_on, reported.reported_note) == (
        "bid_rejected",
        timezone.localdate(),
        "投标文件被拒收",
    )
    assert AuditEntry.objects.filter(action=Action.JOINT_OUTCOME, object_id=str(check.pk)).exists()
    with pytest.raises(SanctionError) as raised:
        services.outcome_report(check=check, action="none", requester=asker)
    assert raised.value.code == "already_reported"


def test_a_restriction_cannot_be_reported_on_an_allowed_check(coloured, asker):
    check = services.subject_check(uscc=coloured("green"), use="procurement", requester=asker).check
    with pytest.raises(SanctionError) as raised:
        services.outcome_report(check=check, action="bid_rejected", requester=asker)
    assert raised.value.code == "not_restricted"
    assert services.outcome_report(check=check, action="none", requester=asker).reported_action == "none"


def test_a_measure_must_fit_the_use(coloured, asker):
    check = services.subject_check(uscc=coloured("red"), use="financing", requester=asker).check
    with pytest.raises(SanctionError) as raised:
        services.outcome_report(check=check, action="bid_rejected", requester=asker)
    assert raised.value.code == "action_mismatch"


def test_only_the_asker_reports_the_outcome(coloured, asker, staff_of):
    check = services.subject_check(uscc=coloured("red"), use="honour", requester=asker).check
    other = Requester.of_staff(staff_of("WGLJ"))
    with pytest.raises(SanctionError) as raised:
        services.outcome_report(check=check, action="honour_withdrawn", requester=other)
    assert raised.value.code == "not_yours"


def test_an_outcome_dated_in_the_future_is_refused(coloured, asker):
    check = services.subject_check(uscc=coloured("red"), use="subsidy", requester=asker).check
    with pytest.raises(SanctionError) as raised:
        services.outcome_report(check=check, action="subsidy_denied", on=timezone.localdate() + timedelta(days=1),
                                requester=asker)  # fmt: skip
    assert raised.value.code == "future_date"


# --------------------------------------------------------------------------- batches


def test_a_batch_checks_each_pair_in_order_and_stores_the_found_ones(coloured, asker):
    from tests.factories import make_uscc

    red, green, unknown = coloured("red"), coloured("green"), make_uscc()
    batch = services.subjects_check(pairs=[(red, "procurement"), (unknown, "bidding"), (green.lower(), "honour")],
                                requester=asker)  # fmt: skip
    assert [(r.uscc, r.found, r.outcome) for r in batch.results] == [
        (red, True, "restricted"),
        (unknown, False, ""),
        (green, True, "allowed"),
    ]
    assert JointCheck.objects.filter(batch=batch.batch, channel="batch").count() == 2
    entry = AuditEntry.objects.get(action=Action.JOINT_CHECK, object_id=str(batch.batch))
    assert entry.after["not_found"] == [[unknown, "bidding"]]


def test_a_batch_reads_set_wise_whatever_its_size(coloured, asker, django_assert_max_num_queries):
    small = [(coloured(c), "honour") for c in ("red", "orange", "yellow")]
    large = small + [
        (coloured(c), use) for c in ("red", "orange", "yellow", "red") for use in measures.DEFAULT_USES
    ]
    with django_assert_max_num_queries(30) as small_queries:
        services.subjects_check(pairs=small, requester=asker)
    with django_assert_max_num_queries(30) as large_queries:
        services.subjects_check(pairs=large, requester=asker)
    assert len(large_queries.captured_queries) == len(small_queries.captured_queries)
