"""Contract §2: values as departments really write them. Pure functions, no database."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from collectors.normalize import (
    FieldError,
    RecordNormalizer,
    clean_text,
    normalize_organization_code,
    normalize_uscc,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_enum,
    parse_multi_enum,
)
from tests.factories import make_uscc, penalty, registration, wrong_check
from warning_system.registry import contract

CHINA = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    "text",
    [
        "2017-03-05",
        "2017/3/5",
        "20170305",
        "2017年3月5日",
        "2017-03-05 14:20:00",
        "２０１７-０３-０５",
        "2017.03.05",
    ],
)
def test_every_listed_date_form_parses_to_the_same_day(text):
    assert parse_date(text) == date(2017, 3, 5)


@pytest.mark.parametrize(
    "text",
    ["2017-13-05", "2017-02-30", "next week", "17-3-5", "2017年3月", "2023-05-06 待核实", "2023-05-06T"],
)
def test_impossible_or_unknown_dates_are_errors(text):
    with pytest.raises(FieldError) as exc:
        parse_date(text)
    assert exc.value.code == "unparsable_date"


def test_date_times_without_a_zone_are_china_time():
    assert parse_datetime("2017-03-05 14:20:00") == datetime(2017, 3, 5, 14, 20, tzinfo=CHINA)
    assert parse_datetime("2026-11-02T09:00:00") == datetime(2026, 11, 2, 9, 0, tzinfo=CHINA)


def test_date_times_with_an_explicit_zone_keep_it():
    assert parse_datetime("2026-11-02T01:00:00Z") == datetime(2026, 11, 2, 9, 0, tzinfo=CHINA)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,250.5", Decimal("1250.5")),
        ("１２５０．５", Decimal("1250.5")),
        ("5", Decimal("5")),
        ("0.32万元", Decimal("0.32")),
        ("1，250", Decimal("1250")),
    ],
)
def test_amounts_with_separators_and_full_width_digits(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["abc", "-5", "1.2.3", "NaN"])
def test_garbage_and_negative_amounts_are_errors(text):
    with pytest.raises(FieldError) as exc:
        parse_amount(text)
    assert exc.value.code == "unparsable_amount"


@pytest.mark.parametrize("spelling", ["", "-", "无", "null", "  ", "\u3000"])
def test_null_spellings_mean_no_value(spelling):
    assert clean_text(spelling) is None


@pytest.mark.parametrize(
    "written",
    [
        "91360102ma3ay4cl6j",
        "91360102 MA3AY4CL6J",
        "91360102-MA3AY4CL6J",
        "９１３６０１０２ＭＡ３ＡＹ４ＣＬ６Ｊ",
    ],
)
def test_uscc_spellings_normalise_to_the_canonical_code(written):
    assert normalize_uscc(written) == "91360102MA3AY4CL6J"


def test_a_wrong_uscc_check_character_is_an_error_not_a_correction():
    with pytest.raises(FieldError) as exc:
        normalize_uscc(wrong_check("91360102MA3AY4CL6J"))
    assert exc.value.code == "invalid_uscc"


def test_a_uscc_seen_before_is_still_refused_with_a_wrong_check_character():
    """The set of codes already passed never lets a near miss through."""
    normalize_uscc("91360102MA3AY4CL6J")
    with pytest.raises(FieldError):
        normalize_uscc(wrong_check("91360102MA3AY4CL6J"))


def test_an_invalid_uscc_keeps_python_stdnums_reason():
    with pytest.raises(FieldError) as exc:
        normalize_uscc("91360102MA3AY4CL6")
    assert "length" in exc.value.message


def test_organisation_codes_are_checked_by_gb_11714():
    assert normalize_organization_code("MA3HD1-TJ1") == "MA3HD1TJ1"
    with pytest.raises(FieldError):
        normalize_organization_code("MA3HD1TJ2")


def test_enums_accept_the_code_and_the_chinese_label():
    assert parse_enum("arrears_type", "tax") == parse_enum("arrears_type", "欠税") == "tax"
    assert parse_enum("license_status", "1") == parse_enum("license_status", "有效") == "valid"


def test_multi_values_split_on_every_listed_separator():
    assert parse_multi_enum("penalty_category", "罚款;没收违法所得、责令停产停业；警告") == [
        "fine",
        "confiscate_illegal_gains",
        "order_suspension",
        "warning",
    ]


def normalizer(kind):
    return RecordNormalizer(contract.KINDS[kind])


def reasons(result):
    assert isinstance(result, list), f"expected problems, got {result}"
    return {p.code for p in result}


def test_a_good_penalty_keeps_personal_fields_apart():
    result = normalizer("penalty").normalize(penalty(make_uscc(), "P1"))
    assert result.personal == {"legal_rep_id_number": "360102198502275482"}
    assert "legal_rep_id_number" not in result.values
    assert result.values["fine_amount"] == Decimal("1.5")
    assert result.values["procedure"] == "ordinary"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"document_number": ""}, "missing_required"),
        ({"uscc": wrong_check(make_uscc(77))}, "invalid_uscc"),
        ({"decided_on": "2026-02-30"}, "unparsable_date"),
        ({"fine_amount": "伍万元"}, "unparsable_amount"),
        ({"procedure": "快速程序"}, "unknown_enum"),
        ({"publish_until": "2020-01-01"}, "end_before_start"),
        ({"record_id": "X" * 65}, "too_long"),
        ({"uscc": None}, "no_subject_identifier"),
        ({"uscc": None, "organization_code": "MA3HD1TJ2"}, "invalid_organization_code"),
        ({"uscc": None, "registration_number": "36010212345"}, "invalid_registration_number"),
        ({"updated_at": ""}, "missing_required"),
        ({"op": "merge"}, "unknown_enum"),
    ],
)
def test_each_quarantine_reason(change, reason):
    record = {**penalty(make_uscc(), "P2"), **change}
    assert reason in reasons(
        normalizer("penalty").normalize({k: v for k, v in record.items() if v is not None})
    )


def test_a_registration_with_operating_to_before_from_is_rejected():
    record = registration(make_uscc(), operating_from="2020-01-01", operating_to="2019-01-01")
    assert reasons(normalizer("registration").normalize(record)) == {"end_before_start"}


def test_changqi_in_a_valid_to_field_means_no_end():
    record = registration(make_uscc(), operating_from="2020-01-01", operating_to="长期")
    assert normalizer("registration").normalize(record).values.get("operating_to") is None


def test_a_withdrawal_needs_only_its_id_and_version():
    result = normalizer("penalty").normalize({"record_id": "P3", "op": "delete", "updated_at": "2026-11-03"})
    assert result.delete and result.record_id == "P3"


def test_all_problems_of_a_record_are_reported_together():
    record = {**penalty(make_uscc(), "P4"), "decided_on": "soon", "fine_amount": "many"}
    assert reasons(normalizer("penalty").normalize(record)) == {"unparsable_date", "unparsable_amount"}


@pytest.mark.parametrize(
    "text", ["2026-11-02 09:00:00", "2026-11-02T09:00:00", "2026/11/2 09:00:00", "2026年11月2日 09:00:00"]
)
def test_every_date_time_form_gives_the_same_instant(text):
    assert parse_datetime(text) == datetime(2026, 11, 2, 9, 0, tzinfo=CHINA)


def test_an_impossible_iso_date_time_is_an_error():
    with pytest.raises(FieldError):
        parse_datetime("2026-02-30 09:00:00")
