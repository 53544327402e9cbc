"""docs/rules.md §2–4: the colour rules at their boundaries, on plain dicts. Pure functions, no database.

Convention (rules.py): a record counts on the days start <= day <= last_day; `ends_on` is that last
day and `next_change_on` the first day of the new colour.
"""

import itertools
from datetime import date
from decimal import Decimal

import pytest

from warning_system.classification import rules

D = date
RULES = rules.DEFAULT_RULES
_ids = itertools.count(1)


def _record(prefix: str, **fields) -> dict:
    n = next(_ids)
    return {"id": n, "record_id": f"{prefix}-{n}", "department_id": "SCJG", **fields}


def penalty(**fields) -> dict:
    base = {
        "penalty_categories": ["fine"],
        "procedure": "ordinary",
        "fine_amount": Decimal("1"),
        "decided_on": D(2025, 3, 1),
    }
    return _record("CF", **{**base, **fields})


def listing(**fields) -> dict:
    return _record("LS", **fields)


def judgment(**fields) -> dict:
    base = {"judged_on": D(2025, 3, 1), "refuses_to_perform": True, "case_number": "(2025)赣01执1号"}
    return _record("CJ", **{**base, **fields})


def registration(status: str) -> dict:
    return _record("DJ", status=status)


def inspection(result: str, **fields) -> dict:
    return _record("JC", **{"inspected_on": D(2025, 3, 1), "result": result, **fields})


def arrears(arrears_type: str, **fields) -> dict:
    return _record("QK", **{"arrears_type": arrears_type, "since": D(2025, 1, 31), **fields})


def complaint(received_on: date, mediation_result: str = "failure") -> dict:
    return _record("TS", received_on=received_on, mediation_result=mediation_result)


def colour(records: dict, day: date) -> str:
    return rules.colour_on(RULES, records, day)[0]


def triggered_keys(records: dict, day: date) -> list[str]:
    return [t.rule["key"] for t in rules.colour_on(RULES, records, day)[1]]


def ends_on(records: dict, day: date, key: str) -> date | None:
    (match,) = [t for t in rules.colour_on(RULES, records, day)[1] if t.rule["key"] == key]
    return match.ends_on


# --------------------------------------------------------------------------- no records


def test_no_records_is_green():
    assert colour({}, D(2025, 3, 1)) == rules.GREEN
    assert triggered_keys({}, D(2025, 3, 1)) == []


# --------------------------------------------------------------------------- yellow penalty


def test_yellow_penalty_does_not_count_before_its_decision():
    assert colour({"penalty": [penalty()]}, D(2025, 2, 28)) == rules.GREEN


def test_yellow_penalty_counts_from_its_decision_day():
    assert colour({"penalty": [penalty()]}, D(2025, 3, 1)) == rules.YELLOW


def test_yellow_penalty_counts_the_day_before_its_last_day():
    assert colour({"penalty": [penalty()]}, D(2026, 2, 27)) == rules.YELLOW


def test_yellow_penalty_counts_on_its_last_day():
    assert colour({"penalty": [penalty()]}, D(2026, 2, 28)) == rules.YELLOW


def test_yellow_penalty_no_longer_counts_one_year_after_its_decision():
    assert colour({"penalty": [penalty()]}, D(2026, 3, 1)) == rules.GREEN


def test_yellow_penalty_ends_on_its_last_day():
    assert ends_on({"penalty": [penalty()]}, D(2025, 6, 1), "penalty") == D(2026, 2, 28)


def test_simple_procedure_penalty_is_yellow():
    rec = penalty(procedure="simple", fine_amount=Decimal("0.02"))
    assert triggered_keys({"penalty": [rec]}, D(2025, 3, 1)) == ["penalty"]


# --------------------------------------------------------------------------- heavy penalty (orange)


def test_ordinary_penalty_with_fine_of_10_wan_is_orange():
    assert colour({"penalty": [penalty(fine_amount=Decimal("10"))]}, D(2025, 3, 1)) == rules.ORANGE


def test_ordinary_penalty_with_fine_given_as_string_is_orange():
    assert colour({"penalty": [penalty(fine_amount="10.00")]}, D(2025, 3, 1)) == rules.ORANGE


def test_ordinary_penalty_with_fine_above_10_wan_is_orange():
    assert colour({"penalty": [penalty(fine_amount=Decimal("250"))]}, D(2025, 3, 1)) == rules.ORANGE


def test_ordinary_penalty_with_fine_of_9_99_wan_is_yellow():
    assert colour({"penalty": [penalty(fine_amount=Decimal("9.99"))]}, D(2025, 3, 1)) == rules.YELLOW


def test_ordinary_penalty_with_fine_of_9_99_wan_is_green_after_one_year():
    assert colour({"penalty": [penalty(fine_amount=Decimal("9.99"))]}, D(2026, 3, 1)) == rules.GREEN


def test_simple_procedure_penalty_with_fine_of_10_wan_is_yellow():
    rec = penalty(procedure="simple", fine_amount=Decimal("10"))
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.YELLOW


def test_penalty_without_fine_amount_is_yellow():
    assert colour({"penalty": [penalty(fine_amount=None)]}, D(2025, 3, 1)) == rules.YELLOW


@pytest.mark.parametrize(
    "category",
    [
        "confiscate_illegal_gains",
        "confiscate_illegal_property",
        "suspend_license",
        "lower_qualification",
        "restrict_production",
    ],
)
def test_heavy_category_penalty_is_orange(category):
    rec = penalty(penalty_categories=[category], fine_amount=None)
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.ORANGE


def test_confiscation_with_small_fine_is_orange():
    rec = penalty(penalty_categories=["fine", "confiscate_illegal_gains"], fine_amount=Decimal("0.5"))
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.ORANGE


def test_heavy_penalty_still_orange_after_one_year():
    rec = penalty(fine_amount=Decimal("10"))
    assert colour({"penalty": [rec]}, D(2026, 3, 1)) == rules.ORANGE


def test_heavy_penalty_counts_the_day_before_its_last_day():
    rec = penalty(fine_amount=Decimal("10"))
    assert colour({"penalty": [rec]}, D(2028, 2, 28)) == rules.ORANGE


def test_heavy_penalty_counts_on_its_last_day():
    rec = penalty(fine_amount=Decimal("10"))
    assert colour({"penalty": [rec]}, D(2028, 2, 29)) == rules.ORANGE


def test_heavy_penalty_no_longer_counts_three_years_after_its_decision():
    rec = penalty(fine_amount=Decimal("10"))
    assert colour({"penalty": [rec]}, D(2028, 3, 1)) == rules.GREEN


def test_heavy_penalty_ends_on_its_last_day():
    rec = penalty(fine_amount=Decimal("10"))
    assert ends_on({"penalty": [rec]}, D(2025, 3, 1), "heavy_penalty") == D(2028, 2, 29)


def test_simple_procedure_confiscation_is_orange_only_while_published():
    rec = penalty(procedure="simple", penalty_categories=["confiscate_illegal_gains"], fine_amount=None)
    assert colour({"penalty": [rec]}, D(2026, 2, 28)) == rules.ORANGE
    assert colour({"penalty": [rec]}, D(2026, 3, 1)) == rules.GREEN


# --------------------------------------------------------------------------- restrictive penalty (red)


@pytest.mark.parametrize(
    "category", ["revoke_license", "order_closure", "order_suspension", "restrict_practice"]
)
def test_restrictive_penalty_is_red(category):
    rec = penalty(penalty_categories=[category], fine_amount=None)
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.RED


def test_restrictive_penalty_does_not_count_before_its_decision():
    rec = penalty(penalty_categories=["revoke_license"])
    assert colour({"penalty": [rec]}, D(2025, 2, 28)) == rules.GREEN


def test_restrictive_penalty_counts_the_day_before_its_last_day():
    rec = penalty(penalty_categories=["revoke_license"])
    assert colour({"penalty": [rec]}, D(2028, 2, 28)) == rules.RED


def test_restrictive_penalty_counts_on_its_last_day():
    rec = penalty(penalty_categories=["revoke_license"])
    assert colour({"penalty": [rec]}, D(2028, 2, 29)) == rules.RED


def test_restrictive_penalty_no_longer_counts_three_years_after_its_decision():
    rec = penalty(penalty_categories=["revoke_license"])
    assert colour({"penalty": [rec]}, D(2028, 3, 1)) == rules.GREEN


def test_restrictive_penalty_with_longer_restriction_is_red_for_three_years_only():
    rec = penalty(penalty_categories=["restrict_practice"], penalty_valid_to=D(2030, 6, 30))
    assert colour({"penalty": [rec]}, D(2028, 2, 29)) == rules.RED
    assert colour({"penalty": [rec]}, D(2028, 3, 1)) == rules.GREEN


def test_restrictive_penalty_ends_on_its_last_day():
    rec = penalty(penalty_categories=["order_closure"])
    assert ends_on({"penalty": [rec]}, D(2025, 3, 1), "restrictive_penalty") == D(2028, 2, 29)


# --------------------------------------------------------------------------- listings


def test_abnormal_listing_is_orange_while_listed():
    rec = listing(listed_on=D(2025, 3, 1))
    assert colour({"abnormal_listing": [rec]}, D(2025, 3, 1)) == rules.ORANGE
    assert colour({"abnormal_listing": [rec]}, D(2030, 1, 1)) == rules.ORANGE


def test_abnormal_listing_does_not_count_before_listing():
    rec = listing(listed_on=D(2025, 3, 1))
    assert colour({"abnormal_listing": [rec]}, D(2025, 2, 28)) == rules.GREEN


def test_abnormal_listing_counts_the_day_before_removal():
    rec = listing(listed_on=D(2025, 3, 1), removed_on=D(2025, 6, 1))
    assert colour({"abnormal_listing": [rec]}, D(2025, 5, 31)) == rules.ORANGE


def test_abnormal_listing_no_longer_counts_on_its_removal_day():
    rec = listing(listed_on=D(2025, 3, 1), removed_on=D(2025, 6, 1))
    assert colour({"abnormal_listing": [rec]}, D(2025, 6, 1)) == rules.GREEN


def test_abnormal_listing_without_removal_has_open_end():
    rec = listing(listed_on=D(2025, 3, 1))
    assert ends_on({"abnormal_listing": [rec]}, D(2025, 3, 1), "abnormal_listing") is None


def test_abnormal_listing_with_removal_ends_the_day_before_removal():
    rec = listing(listed_on=D(2025, 3, 1), removed_on=D(2025, 6, 1))
    assert ends_on({"abnormal_listing": [rec]}, D(2025, 3, 1), "abnormal_listing") == D(2025, 5, 31)


def test_serious_violation_listing_is_red_while_listed():
    rec = listing(listed_on=D(2025, 3, 1))
    assert colour({"serious_violation": [rec]}, D(2025, 3, 1)) == rules.RED
    assert colour({"serious_violation": [rec]}, D(2035, 3, 1)) == rules.RED


def test_serious_violation_listing_does_not_count_before_listing():
    rec = listing(listed_on=D(2025, 3, 1))
    assert colour({"serious_violation": [rec]}, D(2025, 2, 28)) == rules.GREEN


def test_serious_violation_listing_counts_the_day_before_removal():
    rec = listing(listed_on=D(2025, 3, 1), removed_on=D(2026, 3, 1))
    assert colour({"serious_violation": [rec]}, D(2026, 2, 28)) == rules.RED


def test_serious_violation_listing_no_longer_counts_on_its_removal_day():
    rec = listing(listed_on=D(2025, 3, 1), removed_on=D(2026, 3, 1))
    assert colour({"serious_violation": [rec]}, D(2026, 3, 1)) == rules.GREEN


def test_dishonest_debtor_is_red_from_publication():
    rec = listing(published_on=D(2025, 3, 1))
    assert colour({"dishonest_debtor": [rec]}, D(2025, 2, 28)) == rules.GREEN
    assert colour({"dishonest_debtor": [rec]}, D(2025, 3, 1)) == rules.RED


def test_dishonest_debtor_counts_the_day_before_removal():
    rec = listing(published_on=D(2025, 3, 1), removed_on=D(2025, 9, 1))
    assert colour({"dishonest_debtor": [rec]}, D(2025, 8, 31)) == rules.RED


def test_dishonest_debtor_no_longer_counts_on_its_removal_day():
    rec = listing(published_on=D(2025, 3, 1), removed_on=D(2025, 9, 1))
    assert colour({"dishonest_debtor": [rec]}, D(2025, 9, 1)) == rules.GREEN


# --------------------------------------------------------------------------- court judgments


def test_court_judgment_refused_is_red_from_judgment_day():
    recs = {"court_judgment": [judgment()]}
    assert colour(recs, D(2025, 2, 28)) == rules.GREEN
    assert colour(recs, D(2025, 3, 1)) == rules.RED


def test_court_refusal_counts_the_day_before_its_last_day():
    assert colour({"court_judgment": [judgment()]}, D(2028, 2, 28)) == rules.RED


def test_court_refusal_counts_on_its_last_day():
    assert colour({"court_judgment": [judgment()]}, D(2028, 2, 29)) == rules.RED


def test_court_refusal_no_longer_counts_three_years_after_judgment():
    assert colour({"court_judgment": [judgment()]}, D(2028, 3, 1)) == rules.GREEN


def test_court_judgment_without_refusal_is_green():
    assert colour({"court_judgment": [judgment(refuses_to_perform=False)]}, D(2025, 3, 1)) == rules.GREEN


def test_court_judgment_with_unknown_refusal_is_green():
    assert colour({"court_judgment": [judgment(refuses_to_perform=None)]}, D(2025, 3, 1)) == rules.GREEN


# --------------------------------------------------------------------------- registration status


def test_revoked_registration_is_red():
    assert colour({"registration": [registration("revoked")]}, D(2025, 3, 1)) == rules.RED


def test_revoked_registration_has_open_end():
    recs = {"registration": [registration("revoked")]}
    assert ends_on(recs, D(2025, 3, 1), "revoked_registration") is None


@pytest.mark.parametrize("status", ["existing", "operating", "cancelled", "moved_out", "withdrawn"])
def test_other_registration_status_is_green(status):
    assert colour({"registration": [registration(status)]}, D(2025, 3, 1)) == rules.GREEN


# --------------------------------------------------------------------------- inspections


@pytest.mark.parametrize("result", ["false_disclosure", "unreachable", "refused"])
def test_serious_inspection_finding_is_orange(result):
    assert colour({"inspection": [inspection(result)]}, D(2025, 3, 1)) == rules.ORANGE


@pytest.mark.parametrize("result", ["corrected", "undisclosed"])
def test_minor_inspection_finding_is_yellow(result):
    assert colour({"inspection": [inspection(result)]}, D(2025, 3, 1)) == rules.YELLOW


@pytest.mark.parametrize("result", ["no_problem", "pending"])
def test_other_inspection_result_is_green(result):
    assert colour({"inspection": [inspection(result)]}, D(2025, 3, 1)) == rules.GREEN


@pytest.mark.parametrize("result", ["false_disclosure", "corrected"])
def test_inspection_finding_does_not_count_before_inspection(result):
    assert colour({"inspection": [inspection(result)]}, D(2025, 2, 28)) == rules.GREEN


@pytest.mark.parametrize(("result", "expected"), [("false_disclosure", "orange"), ("corrected", "yellow")])
def test_inspection_finding_counts_the_day_before_its_last_day(result, expected):
    assert colour({"inspection": [inspection(result)]}, D(2026, 2, 27)) == expected


@pytest.mark.parametrize(("result", "expected"), [("unreachable", "orange"), ("undisclosed", "yellow")])
def test_inspection_finding_counts_on_its_last_day(result, expected):
    assert colour({"inspection": [inspection(result)]}, D(2026, 2, 28)) == expected


@pytest.mark.parametrize("result", ["refused", "undisclosed"])
def test_inspection_finding_no_longer_counts_one_year_after_inspection(result):
    assert colour({"inspection": [inspection(result)]}, D(2026, 3, 1)) == rules.GREEN


def test_serious_inspection_finding_ends_on_its_last_day():
    recs = {"inspection": [inspection("refused")]}
    assert ends_on(recs, D(2025, 3, 1), "serious_inspection_finding") == D(2026, 2, 28)


# --------------------------------------------------------------------------- arrears


@pytest.mark.parametrize("arrears_type", rules.ALL_ARREARS)
def test_outstanding_arrears_of_any_type_is_yellow(arrears_type):
    assert colour({"arrears": [arrears(arrears_type)]}, D(2025, 1, 31)) == rules.YELLOW


def test_arrears_does_not_count_before_it_arises():
    assert colour({"arrears": [arrears("loan")]}, D(2025, 1, 30)) == rules.GREEN


@pytest.mark.parametrize(
    "arrears_type", ["loan", "social_security", "medical_insurance", "disability_fund", "utilities"]
)
def test_other_arrears_stay_yellow_after_six_months(arrears_type):
    assert colour({"arrears": [arrears(arrears_type)]}, D(2026, 1, 31)) == rules.YELLOW


@pytest.mark.parametrize("arrears_type", ["tax", "wages"])
def test_tax_or_wage_arrears_is_yellow_the_day_before_six_months(arrears_type):
    # since 2025-01-31 + 6 months = 2025-07-31
    assert colour({"arrears": [arrears(arrears_type)]}, D(2025, 7, 30)) == rules.YELLOW


@pytest.mark.parametrize("arrears_type", ["tax", "wages"])
def test_tax_or_wage_arrears_is_orange_at_exactly_six_months(arrears_type):
    assert colour({"arrears": [arrears(arrears_type)]}, D(2025, 7, 31)) == rules.ORANGE


def test_six_months_of_arrears_follows_calendar_months():
    rec = arrears("tax", since=D(2025, 3, 15))
    assert colour({"arrears": [rec]}, D(2025, 9, 14)) == rules.YELLOW
    assert colour({"arrears": [rec]}, D(2025, 9, 15)) == rules.ORANGE


def test_long_tax_arrears_is_listed_under_long_arrears_only():
    assert triggered_keys({"arrears": [arrears("tax")]}, D(2025, 8, 1)) == ["long_arrears"]


def test_arrears_counts_the_day_before_settlement():
    rec = arrears("tax", settled_on=D(2025, 9, 1))
    assert colour({"arrears": [rec]}, D(2025, 8, 31)) == rules.ORANGE


def test_arrears_no_longer_counts_on_its_settlement_day():
    rec = arrears("tax", settled_on=D(2025, 9, 1))
    assert colour({"arrears": [rec]}, D(2025, 9, 1)) == rules.GREEN


def test_yellow_arrears_no_longer_counts_on_its_settlement_day():
    rec = arrears("loan", settled_on=D(2025, 3, 1))
    assert colour({"arrears": [rec]}, D(2025, 2, 28)) == rules.YELLOW
    assert colour({"arrears": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_tax_arrears_settled_before_six_months_never_turns_orange():
    rec = arrears("tax", settled_on=D(2025, 7, 31))
    assert colour({"arrears": [rec]}, D(2025, 7, 30)) == rules.YELLOW
    assert colour({"arrears": [rec]}, D(2025, 7, 31)) == rules.GREEN


def test_outstanding_arrears_has_open_end():
    assert ends_on({"arrears": [arrears("loan")]}, D(2025, 3, 1), "arrears") is None


def test_settled_arrears_ends_the_day_before_settlement():
    rec = arrears("loan", settled_on=D(2025, 6, 1))
    assert ends_on({"arrears": [rec]}, D(2025, 3, 1), "arrears") == D(2025, 5, 31)


# --------------------------------------------------------------------------- complaints


def _three_failures():
    return [complaint(D(2025, 1, 10)), complaint(D(2025, 4, 10)), complaint(D(2025, 8, 10))]


def test_three_failed_mediations_in_twelve_months_is_yellow():
    assert colour({"complaint": _three_failures()}, D(2025, 8, 10)) == rules.YELLOW


def test_two_failed_mediations_in_twelve_months_is_green():
    recs = [complaint(D(2025, 1, 10)), complaint(D(2025, 4, 10))]
    assert colour({"complaint": recs}, D(2025, 8, 10)) == rules.GREEN


def test_three_failed_mediations_count_only_from_the_third():
    assert colour({"complaint": _three_failures()}, D(2025, 8, 9)) == rules.GREEN


@pytest.mark.parametrize("result", ["success", "none", None])
def test_complaints_not_ending_in_failure_do_not_count(result):
    recs = [complaint(D(2025, 1, 10)), complaint(D(2025, 4, 10)), complaint(D(2025, 8, 10), result)]
    assert colour({"complaint": recs}, D(2025, 8, 10)) == rules.GREEN


def test_failed_mediations_count_the_day_before_the_oldest_leaves_the_window():
    assert colour({"complaint": _three_failures()}, D(2026, 1, 8)) == rules.YELLOW


def test_failed_mediations_count_on_the_last_day_of_the_oldest():
    assert colour({"complaint": _three_failures()}, D(2026, 1, 9)) == rules.YELLOW


def test_failed_mediations_no_longer_count_when_the_oldest_leaves_the_window():
    assert colour({"complaint": _three_failures()}, D(2026, 1, 10)) == rules.GREEN


def test_complaint_received_twelve_months_ago_is_outside_the_window():
    recs = [complaint(D(2024, 8, 10)), complaint(D(2025, 4, 10)), complaint(D(2025, 8, 10))]
    assert colour({"complaint": recs}, D(2025, 8, 10)) == rules.GREEN


def test_complaint_received_twelve_months_less_a_day_ago_is_inside_the_window():
    recs = [complaint(D(2024, 8, 11)), complaint(D(2025, 4, 10)), complaint(D(2025, 8, 10))]
    assert colour({"complaint": recs}, D(2025, 8, 10)) == rules.YELLOW


def test_failed_mediations_end_when_the_oldest_of_the_newest_three_leaves():
    recs = [complaint(D(2024, 11, 1)), *_three_failures()]
    # Four in the window on 2025-08-10; the newest three hold until 2025-01-10 leaves it.
    assert ends_on({"complaint": recs}, D(2025, 8, 10), "failed_mediations") == D(2026, 1, 9)
    assert colour({"complaint": recs}, D(2026, 1, 9)) == rules.YELLOW
    assert colour({"complaint": recs}, D(2026, 1, 10)) == rules.GREEN


def test_failed_mediations_list_every_failure_in_the_window():
    recs = [complaint(D(2024, 11, 1)), *_three_failures()]
    _, triggered = rules.colour_on(RULES, {"complaint": recs}, D(2025, 8, 10))
    assert [h.record for h in triggered[0].hits] == recs


def test_withdrawn_failed_mediation_does_not_count():
    recs = _three_failures()
    recs[0]["withdrawn"] = True
    assert colour({"complaint": recs}, D(2025, 8, 10)) == rules.GREEN


# --------------------------------------------------------------------------- exclusions


def test_warning_only_penalty_does_not_count():
    rec = penalty(penalty_categories=["warning"], fine_amount=None)
    assert rules.counts("penalty", rec) is False
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_warning_only_penalty_is_never_public():
    rec = penalty(penalty_categories=["warning"], fine_amount=None)
    assert rules.is_public("penalty", rec, D(2025, 3, 1)) is False
    assert rules.is_public("penalty", rec, D(2025, 6, 1)) is False


def test_penalty_without_categories_does_not_count():
    rec = penalty(penalty_categories=[])
    assert rules.counts("penalty", rec) is False


def test_warning_with_fine_counts():
    rec = penalty(penalty_categories=["warning", "fine"])
    assert rules.counts("penalty", rec) is True
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.YELLOW


def test_warning_with_fine_is_public():
    rec = penalty(penalty_categories=["warning", "fine"])
    assert rules.is_public("penalty", rec, D(2025, 3, 1)) is True


def test_withdrawn_penalty_does_not_count():
    rec = penalty(withdrawn=True)
    assert rules.counts("penalty", rec) is False
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_withdrawn_penalty_is_not_public():
    assert rules.is_public("penalty", penalty(withdrawn=True), D(2025, 3, 1)) is False


def test_repaired_penalty_does_not_count():
    rec = penalty(fine_amount=Decimal("50"), repaired=True)
    assert rules.counts("penalty", rec) is False
    assert colour({"penalty": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_repaired_penalty_is_not_public():
    assert rules.is_public("penalty", penalty(repaired=True), D(2025, 3, 1)) is False


def test_repaired_abnormal_listing_does_not_count():
    rec = listing(listed_on=D(2025, 3, 1), repaired=True)
    assert colour({"abnormal_listing": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_withdrawn_serious_violation_listing_does_not_count():
    rec = listing(listed_on=D(2025, 3, 1), withdrawn=True)
    assert colour({"serious_violation": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_withdrawn_court_judgment_does_not_count():
    assert colour({"court_judgment": [judgment(withdrawn=True)]}, D(2025, 3, 1)) == rules.GREEN


def test_withdrawn_arrears_does_not_count():
    assert colour({"arrears": [arrears("tax", withdrawn=True)]}, D(2025, 8, 1)) == rules.GREEN


def test_withdrawn_inspection_does_not_count():
    assert colour({"inspection": [inspection("refused", withdrawn=True)]}, D(2025, 3, 1)) == rules.GREEN


def test_withdrawn_registration_record_does_not_count():
    rec = registration("revoked")
    rec["withdrawn"] = True
    assert colour({"registration": [rec]}, D(2025, 3, 1)) == rules.GREEN


def test_kinds_no_rule_reads_never_colour():
    recs = {
        "license": [_record("XK", status="revoked", valid_to=D(2025, 1, 1))],
        "annual_report": [{"id": 1}],
    }
    assert colour(recs, D(2025, 3, 1)) == rules.GREEN


# --------------------------------------------------------------------------- publication


def test_simple_procedure_penalty_is_published_for_one_year():
    rec = penalty(procedure="simple")
    assert rules.penalty_published_until(rec) == D(2026, 2, 28)


def test_ordinary_procedure_penalty_is_published_for_three_years():
    assert rules.penalty_published_until(penalty()) == D(2028, 2, 29)


def test_penalty_without_procedure_is_published_for_three_years():
    assert rules.penalty_published_until(penalty(procedure=None)) == D(2028, 2, 29)


def test_restrictive_penalty_with_longer_restriction_is_published_as_long_as_the_restriction():
    rec = penalty(penalty_categories=["revoke_license"], penalty_valid_to=D(2030, 6, 30))
    assert rules.penalty_published_until(rec) == D(2030, 6, 30)


def test_restrictive_penalty_with_shorter_restriction_is_published_for_three_years():
    rec = penalty(penalty_categories=["order_suspension"], penalty_valid_to=D(2025, 9, 1))
    assert rules.penalty_published_until(rec) == D(2028, 2, 29)


def test_restriction_end_does_not_extend_a_non_restrictive_penalty():
    rec = penalty(penalty_categories=["fine"], penalty_valid_to=D(2030, 6, 30))
    assert rules.penalty_published_until(rec) == D(2028, 2, 29)


def test_warning_only_penalty_is_never_published():
    assert rules.penalty_published_until(penalty(penalty_categories=["warning"])) is None


def test_penalty_without_decision_date_is_never_published():
    assert rules.penalty_published_until(penalty(decided_on=None)) is None


def test_penalty_is_public_on_its_decision_day_and_last_day_only_between():
    rec = penalty(procedure="simple")
    assert rules.is_public("penalty", rec, D(2025, 2, 28)) is False
    assert rules.is_public("penalty", rec, D(2025, 3, 1)) is True
    assert rules.is_public("penalty", rec, D(2026, 2, 28)) is True
    assert rules.is_public("penalty", rec, D(2026, 3, 1)) is False


def test_restrictive_penalty_stays_public_after_it_stops_colouring():
    rec = penalty(penalty_categories=["restrict_practice"], penalty_valid_to=D(2030, 6, 30))
    assert rules.is_public("penalty", rec, D(2030, 6, 30)) is True
    assert rules.is_public("penalty", rec, D(2030, 7, 1)) is False


def test_simple_procedure_restrictive_penalty_is_red_only_while_published():
    rec = penalty(procedure="simple", penalty_categories=["order_suspension"], fine_amount=None)
    assert colour({"penalty": [rec]}, D(2026, 2, 28)) == rules.RED
    assert colour({"penalty": [rec]}, D(2026, 3, 1)) == rules.GREEN


@pytest.mark.parametrize(
    "rec",
    [
        penalty(),
        penalty(procedure="simple"),
        penalty(procedure="simple", fine_amount=Decimal("50")),
        penalty(procedure="simple", penalty_categories=["confiscate_illegal_gains"]),
        penalty(procedure="simple", penalty_categories=["revoke_license"]),
        penalty(procedure="simple", penalty_categories=["revoke_license"], penalty_valid_to=D(2031, 1, 1)),
        penalty(fine_amount=Decimal("10")),
        penalty(penalty_categories=["order_closure"]),
        penalty(penalty_categories=["warning"]),
        penalty(penalty_categories=["warning", "fine"], procedure="simple"),
        penalty(withdrawn=True),
        penalty(repaired=True, fine_amount=Decimal("20")),
        penalty(decided_on=D(2024, 2, 29), procedure="simple"),
    ],
    ids=lambda rec: rec["record_id"],
)
def test_penalty_never_colours_a_day_it_is_not_public(rec):
    start = D(2024, 1, 1)
    for offset in range(0, 8 * 366, 1):
        day = D.fromordinal(start.toordinal() + offset)
        if colour({"penalty": [rec]}, day) != rules.GREEN:
            assert rules.is_public("penalty", rec, day), day


# --------------------------------------------------------------------------- severity


def test_most_severe_colour_wins():
    recs = {
        "penalty": [penalty()],
        "abnormal_listing": [listing(listed_on=D(2025, 1, 1))],
        "serious_violation": [listing(listed_on=D(2025, 2, 1))],
    }
    assert colour(recs, D(2025, 3, 1)) == rules.RED


def test_orange_beats_yellow():
    recs = {"penalty": [penalty()], "inspection": [inspection("unreachable")]}
    assert colour(recs, D(2025, 3, 1)) == rules.ORANGE


def test_triggered_rules_are_listed_most_severe_first():
    recs = {
        "penalty": [penalty()],
        "abnormal_listing": [listing(listed_on=D(2025, 1, 1))],
        "serious_violation": [listing(listed_on=D(2025, 2, 1))],
    }
    assert triggered_keys(recs, D(2025, 3, 1)) == ["serious_violation", "abnormal_listing", "penalty"]


def test_colour_falls_back_to_the_remaining_rule_when_the_severe_one_ends():
    recs = {
        "penalty": [penalty()],
        "abnormal_listing": [listing(listed_on=D(2025, 1, 1), removed_on=D(2025, 5, 1))],
    }
    assert colour(recs, D(2025, 4, 30)) == rules.ORANGE
    assert colour(recs, D(2025, 5, 1)) == rules.YELLOW


def test_heavy_penalty_is_listed_under_the_heavy_rule_only():
    assert triggered_keys({"penalty": [penalty(fine_amount=Decimal("10"))]}, D(2025, 3, 1)) == [
        "heavy_penalty"
    ]


def test_restrictive_penalty_is_listed_under_the_restrictive_rule_only():
    rec = penalty(
        penalty_categories=["revoke_license", "confiscate_illegal_gains"], fine_amount=Decimal("100")
    )
    assert triggered_keys({"penalty": [rec]}, D(2025, 3, 1)) == ["restrictive_penalty"]


def test_heavy_and_light_penalties_each_listed_under_their_own_rule():
    heavy, light = penalty(fine_amount=Decimal("10")), penalty(fine_amount=Decimal("1"))
    _, triggered = rules.colour_on(RULES, {"penalty": [heavy, light]}, D(2025, 3, 1))
    assert [(t.rule["key"], [h.record for h in t.hits]) for t in triggered] == [
        ("heavy_penalty", [heavy]),
        ("penalty", [light]),
    ]


def test_long_arrears_and_other_arrears_each_listed_under_their_own_rule():
    tax, loan = arrears("tax"), arrears("loan")
    _, triggered = rules.colour_on(RULES, {"arrears": [tax, loan]}, D(2025, 8, 1))
    assert [(t.rule["key"], [h.record for h in t.hits]) for t in triggered] == [
        ("long_arrears", [tax]),
        ("arrears", [loan]),
    ]


def test_young_tax_arrears_is_listed_under_the_yellow_arrears_rule():
    assert triggered_keys({"arrears": [arrears("tax")]}, D(2025, 3, 1)) == ["arrears"]


def test_rule_ends_on_latest_of_its_records():
    early, late = penalty(decided_on=D(2025, 1, 1)), penalty(decided_on=D(2025, 3, 1))
    assert ends_on({"penalty": [early, late]}, D(2025, 3, 1), "penalty") == D(2026, 2, 28)


def test_colour_on_does_not_mutate_the_records():
    recs = {"penalty": [penalty(fine_amount=Decimal("10"))], "complaint": _three_failures()}
    snapshot = {k: [dict(r) for r in v] for k, v in recs.items()}
    rules.evaluate(RULES, recs, D(2025, 8, 10))
    assert recs == snapshot


# --------------------------------------------------------------------------- next change


def test_yellow_penalty_turns_green_one_year_after_decision():
    ev = rules.evaluate(RULES, {"penalty": [penalty()]}, D(2025, 6, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("yellow", D(2026, 3, 1), "green")


def test_next_change_is_strictly_after_the_day_evaluated():
    ev = rules.evaluate(RULES, {"penalty": [penalty()]}, D(2025, 3, 1))
    assert ev.next_change_on == D(2026, 3, 1)


def test_next_change_on_the_last_day_is_the_following_day():
    ev = rules.evaluate(RULES, {"penalty": [penalty()]}, D(2026, 2, 28))
    assert (ev.next_change_on, ev.next_colour) == (D(2026, 3, 1), "green")


def test_heavy_penalty_turns_green_three_years_after_decision():
    ev = rules.evaluate(RULES, {"penalty": [penalty(fine_amount=Decimal("10"))]}, D(2025, 6, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("orange", D(2028, 3, 1), "green")


def test_tax_arrears_turns_orange_six_months_after_it_arises():
    ev = rules.evaluate(RULES, {"arrears": [arrears("tax")]}, D(2025, 3, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("yellow", D(2025, 7, 31), "orange")


def test_long_tax_arrears_without_settlement_has_no_next_change():
    ev = rules.evaluate(RULES, {"arrears": [arrears("tax")]}, D(2025, 7, 31))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("orange", None, None)


def test_settled_long_arrears_turns_green_on_settlement():
    ev = rules.evaluate(RULES, {"arrears": [arrears("tax", settled_on=D(2025, 9, 1))]}, D(2025, 8, 1))
    assert (ev.next_change_on, ev.next_colour) == (D(2025, 9, 1), "green")


def test_red_listing_without_removal_has_no_next_change():
    ev = rules.evaluate(RULES, {"serious_violation": [listing(listed_on=D(2025, 1, 1))]}, D(2025, 3, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("red", None, None)


def test_red_listing_with_removal_turns_green_on_removal_day():
    rec = listing(listed_on=D(2025, 1, 1), removed_on=D(2025, 12, 1))
    ev = rules.evaluate(RULES, {"serious_violation": [rec]}, D(2025, 3, 1))
    assert (ev.next_change_on, ev.next_colour) == (D(2025, 12, 1), "green")


def test_green_subject_with_no_records_has_no_next_change():
    ev = rules.evaluate(RULES, {}, D(2025, 3, 1))
    assert (ev.colour, ev.triggered, ev.next_change_on, ev.next_colour) == ("green", [], None, None)


def test_next_change_skips_boundaries_that_keep_the_colour():
    recs = {"penalty": [penalty(decided_on=D(2025, 1, 1)), penalty(decided_on=D(2025, 3, 1))]}
    ev = rules.evaluate(RULES, recs, D(2025, 6, 1))
    assert (ev.next_change_on, ev.next_colour) == (D(2026, 3, 1), "green")


def test_next_change_falls_to_the_remaining_colour():
    recs = {
        "penalty": [penalty()],
        "abnormal_listing": [listing(listed_on=D(2025, 1, 1), removed_on=D(2025, 5, 1))],
    }
    ev = rules.evaluate(RULES, recs, D(2025, 3, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("orange", D(2025, 5, 1), "yellow")


def test_next_change_foresees_a_more_severe_colour():
    recs = {"penalty": [penalty()], "arrears": [arrears("wages", since=D(2025, 2, 1))]}
    ev = rules.evaluate(RULES, recs, D(2025, 3, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("yellow", D(2025, 8, 1), "orange")


def test_failed_mediations_turn_green_when_the_oldest_leaves_the_window():
    ev = rules.evaluate(RULES, {"complaint": _three_failures()}, D(2025, 8, 10))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("yellow", D(2026, 1, 10), "green")


def test_green_subject_turns_yellow_when_third_failed_mediation_arrives_is_not_foreseen_without_it():
    recs = [complaint(D(2025, 1, 10)), complaint(D(2025, 4, 10))]
    ev = rules.evaluate(RULES, {"complaint": recs}, D(2025, 5, 1))
    assert (ev.colour, ev.next_change_on) == ("green", None)


def test_restrictive_penalty_turns_green_three_years_after_decision():
    rec = penalty(penalty_categories=["revoke_license"], penalty_valid_to=D(2030, 6, 30))
    ev = rules.evaluate(RULES, {"penalty": [rec]}, D(2025, 3, 1))
    assert (ev.colour, ev.next_change_on, ev.next_colour) == ("red", D(2028, 3, 1), "green")


def test_court_refusal_turns_green_three_years_after_judgment():
    ev = rules.evaluate(RULES, {"court_judgment": [judgment()]}, D(2025, 3, 1))
    assert (ev.next_change_on, ev.next_colour) == (D(2028, 3, 1), "green")


def test_next_change_beyond_the_horizon_is_not_reported():
    ev = rules.evaluate(RULES, {"penalty": [penalty()]}, D(2025, 3, 1), horizon_days=30)
    assert (ev.next_change_on, ev.next_colour) == (None, None)


def test_excluded_records_do_not_create_a_next_change():
    recs = {"penalty": [penalty(withdrawn=True)], "serious_violation": [listing(listed_on=D(2025, 1, 1))]}
    ev = rules.evaluate(RULES, recs, D(2025, 3, 1))
    assert (ev.colour, ev.next_change_on) == ("red", None)


# --------------------------------------------------------------------------- explanation


def _explained(records: dict, day: date) -> dict:
    return rules.explanation(rules.evaluate(RULES, records, day))


def test_explanation_has_its_keys():
    assert set(_explained({"penalty": [penalty()]}, D(2025, 6, 1))) == {
        "colour",
        "as_of",
        "rules",
        "next_change",
    }


def test_explanation_gives_colour_and_day():
    exp = _explained({"penalty": [penalty()]}, D(2025, 6, 1))
    assert (exp["colour"], exp["as_of"]) == ("yellow", "2025-06-01")


def test_explanation_lists_each_rule_with_its_records():
    rec = penalty(department_id="SWJ", record_id="CF-X", id=42)
    (entry,) = _explained({"penalty": [rec]}, D(2025, 6, 1))["rules"]
    assert entry["rule"] == "penalty"
    assert entry["colour"] == "yellow"
    assert entry["records"] == [{"kind": "penalty", "department": "SWJ", "record_id": "CF-X", "id": 42}]


def test_explanation_gives_ends_on_as_iso_string():
    (entry,) = _explained({"penalty": [penalty()]}, D(2025, 6, 1))["rules"]
    assert entry["ends_on"] == "2026-02-28"


def test_explanation_gives_open_ends_on_as_none():
    (entry,) = _explained({"serious_violation": [listing(listed_on=D(2025, 1, 1))]}, D(2025, 6, 1))["rules"]
    assert entry["ends_on"] is None


def test_explanation_gives_the_rules_repair():
    (entry,) = _explained({"penalty": [penalty()]}, D(2025, 6, 1))["rules"]
    assert entry["repair"] == next(r["repair"] for r in RULES if r["key"] == "penalty")
    assert entry["repair"]


def test_explanation_names_listing_kind_for_listing_records():
    rec = listing(published_on=D(2025, 1, 1))
    (entry,) = _explained({"dishonest_debtor": [rec]}, D(2025, 6, 1))["rules"]
    assert entry["records"][0]["kind"] == "dishonest_debtor"


def test_explanation_names_complaint_kind_for_failed_mediations():
    (entry,) = _explained({"complaint": _three_failures()}, D(2025, 8, 10))["rules"]
    assert {r["kind"] for r in entry["records"]} == {"complaint"}
    assert len(entry["records"]) == 3


def test_explanation_gives_next_change():
    exp = _explained({"penalty": [penalty()]}, D(2025, 6, 1))
    assert exp["next_change"] == {"on": "2026-03-01", "colour": "green"}


def test_explanation_gives_no_next_change_when_none():
    exp = _explained({"serious_violation": [listing(listed_on=D(2025, 1, 1))]}, D(2025, 6, 1))
    assert exp["next_change"] is None


def test_explanation_of_green_subject_has_no_rules():
    exp = _explained({}, D(2025, 6, 1))
    assert (exp["colour"], exp["rules"], exp["next_change"]) == ("green", [], None)


def test_explanation_shows_heavy_penalty_once():
    exp = _explained({"penalty": [penalty(fine_amount=Decimal("10"))]}, D(2025, 6, 1))
    assert [(e["rule"], e["colour"], len(e["records"])) for e in exp["rules"]] == [
        ("heavy_penalty", "orange", 1)
    ]


def test_explanation_lists_rules_most_severe_first():
    recs = {
        "penalty": [penalty()],
        "registration": [registration("revoked")],
        "inspection": [inspection("refused")],
    }
    exp = _explained(recs, D(2025, 6, 1))
    assert [e["rule"] for e in exp["rules"]] == [
        "revoked_registration",
        "serious_inspection_finding",
        "penalty",
    ]
