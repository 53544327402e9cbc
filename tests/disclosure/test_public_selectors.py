"""disclosure.selectors.public: redaction, publication windows at their boundaries, search, and the
small read helpers behind the portal's pages. Records get in through the collectors, as in production."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from stdnum.cn import ric

from disclosure.selectors import public, search
from tests.disclosure.conftest import ingest
from tests.factories import make_uscc, penalty, registration
from warning_system.classification import rules, services
from warning_system.registry.models import Penalty
from warning_system.registry.services import reference_data_load
from warning_system.sanctions.measures import DEFAULT_USES, default_measures
from warning_system.sanctions.services import catalogue_publish


@pytest.fixture
def subject(db, tmp_path) -> str:
    """One registered enterprise."""
    reference_data_load()
    uscc = make_uscc()
    ingest(tmp_path, "SCJG", "registration", [registration(uscc, name="南昌公示窗口测试有限公司")])
    return uscc


def public_ids(uscc: str, kind: str, day: date) -> list[str]:
    return [r.record_id for r in public.public_record_rows(uscc, [kind], day=day)[kind]]


# --------------------------------------------------------------------------- redaction

VALID_ID = "360102198502275482"


def test_redact_masks_a_resident_id_number_that_passes_the_checksum():
    assert ric.is_valid(VALID_ID)

    redacted = public.redact(f"法定代表人身份证号{VALID_ID}，已到场")

    assert redacted == f"法定代表人身份证号{'＊' * 18}，已到场"


def test_redact_keeps_an_18_digit_number_that_fails_the_checksum():
    number = VALID_ID[:-1] + "1"
    assert not ric.is_valid(number)

    assert public.redact(f"编号{number}") == f"编号{number}"


@pytest.mark.parametrize("phone", ["13812345678", "138-1234-5678", "+86 13812345678", "138 1234 5678"])
def test_redact_masks_mobile_phone_numbers(phone):
    redacted = public.redact(f"联系电话{phone}，请回电")

    assert redacted == f"联系电话{'＊' * len(phone)}，请回电"


def test_redact_masks_a_landline_with_its_area_code():
    redacted = public.redact("办公电话0791-86123456。")

    assert redacted == f"办公电话{'＊' * len('0791-86123456')}。"


@pytest.mark.parametrize("landline", ["0791 86123456", "(0791)86123456", "（0791）86123456"])
def test_redact_masks_a_landline_written_with_a_space_or_brackets(landline):
    redacted = public.redact(f"办公电话{landline}。")

    assert "86123456" not in redacted


@pytest.mark.parametrize(
    "uscc",
    [
        make_uscc(424242),
        # A public institution's code is digits only (prefix 12) and carries a valid USCC check.
        "123601027201141889",
    ],
)
def test_redact_keeps_a_uscc(uscc):
    text = f"当事人统一社会信用代码：{uscc}"

    assert public.redact(text) == text


def test_redact_keeps_a_decision_document_number():
    text = "依据洪市监处罚〔2026〕12号决定书"

    assert public.redact(text) == text


# --------------------------------------------------------------------------- publication windows

DECIDED = date(2021, 6, 15)


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (DECIDED, True),
        (date(2024, 6, 14), True),  # the last day of the 3 years
        (date(2024, 6, 15), False),  # the third anniversary
        (date(2024, 6, 16), False),
    ],
)
def test_an_ordinary_penalty_is_public_for_three_years_from_its_decision(subject, tmp_path, day, shown):
    ingest(tmp_path, "SCJG", "penalty", [penalty(subject, "PW-ORD", decided_on=DECIDED.isoformat())])

    assert public_ids(subject, "penalty", day) == (["PW-ORD"] if shown else [])


@pytest.mark.parametrize(
    ("day", "shown"),
    [(date(2022, 6, 14), True), (date(2022, 6, 15), False), (date(2022, 6, 16), False)],
)
def test_a_simple_procedure_penalty_is_public_for_one_year(subject, tmp_path, day, shown):
    record = penalty(
        subject, "PW-SIMPLE", decided_on=DECIDED.isoformat(), procedure="简易程序", fine_amount="0.02"
    )
    ingest(tmp_path, "SCJG", "penalty", [record])

    assert public_ids(subject, "penalty", day) == (["PW-SIMPLE"] if shown else [])


@pytest.mark.parametrize(
    "day", [DECIDED - timedelta(days=1), DECIDED, DECIDED + timedelta(days=1), date(2022, 1, 1)]
)
def test_a_warning_only_penalty_is_never_public(subject, tmp_path, day):
    record = penalty(
        subject, "PW-WARN", decided_on=DECIDED.isoformat(), penalty_categories="警告", fine_amount=None
    )
    ingest(tmp_path, "SCJG", "penalty", [record])

    assert public_ids(subject, "penalty", day) == []


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2024, 6, 15), True),  # three years on, the restriction still runs
        (date(2026, 6, 14), True),  # the day before the restriction's last day
        (date(2026, 6, 15), True),  # the restriction's last day
        (date(2026, 6, 16), False),
    ],
)
def test_a_restrictive_penalty_stays_public_as_long_as_its_restriction(subject, tmp_path, day, shown):
    record = penalty(
        subject,
        "PW-REVOKE",
        decided_on=DECIDED.isoformat(),
        penalty_categories="罚款;吊销许可证件",
        penalty_valid_to="2026-06-15",
    )
    ingest(tmp_path, "SCJG", "penalty", [record])

    assert public_ids(subject, "penalty", day) == (["PW-REVOKE"] if shown else [])


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2022, 3, 31), True),  # its last valid day
        (date(2023, 3, 30), True),
        (date(2023, 3, 31), True),  # one year after
        (date(2023, 4, 1), False),
    ],
)
def test_a_licence_is_public_while_valid_and_one_year_after(subject, tmp_path, day, shown):
    licence = {
        "record_id": "LW-1",
        "updated_at": "2026-11-02",
        "uscc": subject,
        "subject_name": "南昌公示窗口测试有限公司",
        "document_number": "赣食经许〔2019〕8号",
        "certificate_name": "食品经营许可证",
        "license_number": "JY13601020012345",
        "decided_on": "2019-04-01",
        "valid_from": "2019-04-01",
        "valid_to": "2022-03-31",
        "authority": "南昌市市场监督管理局",
    }
    ingest(tmp_path, "SCJG", "license", [licence])

    assert public_ids(subject, "license", day) == (["LW-1"] if shown else [])


def test_a_withdrawn_penalty_is_never_public(subject, tmp_path):
    ingest(tmp_path, "SCJG", "penalty", [penalty(subject, "PW-DEL", decided_on=DECIDED.isoformat())])
    assert public_ids(subject, "penalty", date(2022, 1, 1)) == ["PW-DEL"]

    ingest(tmp_path, "SCJG", "penalty", [{"record_id": "PW-DEL", "op": "delete", "updated_at": "2026-11-20"}])

    assert public_ids(subject, "penalty", date(2022, 1, 1)) == []


def _repair(record_id: str, *, approve: bool | None):
    record = Penalty.objects.get(record_id=record_id)
    application = services.repair_apply(
        kind="penalty",
        record_pk=record.pk,
        applicant="subject",
        applicant_name="南昌公示窗口测试有限公司",
        reason="已整改，罚款已缴清",
        day=date(2022, 1, 20),
    )
    if approve is not None:
        services.repair_decide(application=application, approve=approve, reviewer=None, reason="核实")
    return application


def test_a_penalty_whose_repair_was_approved_is_never_public(subject, tmp_path):
    ingest(
        tmp_path,
        "SCJG",
        "penalty",
        [penalty(subject, "PW-REP", decided_on=DECIDED.isoformat(), fine_amount="1")],
    )

    _repair("PW-REP", approve=True)

    assert public_ids(subject, "penalty", date(2022, 2, 1)) == []


@pytest.mark.parametrize("approve", [None, False], ids=["pending", "rejected"])
def test_a_penalty_whose_repair_is_pending_or_rejected_stays_public(subject, tmp_path, approve):
    ingest(
        tmp_path,
        "SCJG",
        "penalty",
        [penalty(subject, "PW-REP", decided_on=DECIDED.isoformat(), fine_amount="1")],
    )

    _repair("PW-REP", approve=approve)

    assert public_ids(subject, "penalty", date(2022, 2, 1)) == ["PW-REP"]


# --------------------------------------------------------------------------- search


@pytest.fixture
def registry(db, tmp_path):
    """Register subjects by name (with optional fields); returns name -> USCC."""
    reference_data_load()

    def _register(*names: str, **fields) -> dict[str, str]:
        usccs = {name: make_uscc() for name in names}
        ingest(
            tmp_path, "SCJG", "registration", [registration(u, name=n, **fields) for n, u in usccs.items()]
        )
        return usccs

    return _register


def names(results) -> list[str]:
    return [s["name"] for s in results]


def test_a_two_character_query_finds_names_containing_it_anywhere(registry):
    registry("赣江物流有限公司", "南昌赣江贸易有限公司", "南昌市百货赣江", "南昌洪都贸易有限公司")

    assert sorted(names(search.search_subjects("赣江"))) == sorted(
        ["赣江物流有限公司", "南昌赣江贸易有限公司", "南昌市百货赣江"]
    )


def test_a_name_with_every_bigram_of_the_query_but_not_the_query_is_not_found(registry):
    # 昌南昌 has the bigrams 昌南 and 南昌 of 南昌南, yet does not contain it.
    registry("昌南昌商贸有限公司", "南昌南站餐饮有限公司")

    assert names(search.search_subjects("南昌南")) == ["南昌南站餐饮有限公司"]


def test_a_two_character_query_ranks_exact_then_prefix_then_substring_then_legal_representative(registry):
    registry("南昌洪都贸易", "洪都", "洪都贸易")
    registry("南昌东湖百货", legal_representative="洪都")

    assert names(search.search_subjects("洪都")) == ["洪都", "洪都贸易", "南昌洪都贸易", "南昌东湖百货"]


def test_the_exact_legal_representative_name_finds_the_subject(registry):
    usccs = registry("南昌东湖百货有限公司", legal_representative="李建国")

    assert [s["uscc"] for s in search.search_subjects("李建国")] == list(usccs.values())


def test_part_of_a_legal_representative_name_does_not_find_the_subject(registry):
    registry("南昌东湖百货有限公司", legal_representative="李建国")

    assert list(search.search_subjects("李建")) == []


FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


@pytest.mark.parametrize(
    "spell",
    [
        str.lower,
        lambda c: f"{c[:4]} {c[4:8]} {c[8:12]} {c[12:]}",
        lambda c: f" {c[:8]}-{c[8:]} ".lower(),
        lambda c: c.translate(FULL_WIDTH),
    ],
    ids=["lower-case", "spaces", "hyphen-lower-padded", "full-width"],
)
def test_a_uscc_is_found_however_it_is_spelled(registry, spell):
    uscc = registry("南昌代码查询有限公司")["南昌代码查询有限公司"]
    registry("南昌另一家有限公司")

    assert [s["uscc"] for s in search.search_subjects(spell(uscc))] == [uscc]


def test_the_legacy_registration_number_finds_the_subject(registry):
    uscc = registry("南昌老字号有限公司", registration_number="360102000123456")["南昌老字号有限公司"]

    assert [s["uscc"] for s in search.search_subjects("360102000123456")] == [uscc]


def test_the_organisation_code_finds_the_subject(registry):
    uscc = registry("南昌机构代码有限公司")["南昌机构代码有限公司"]

    assert [s["uscc"] for s in search.search_subjects(uscc[8:17])] == [uscc]


@pytest.mark.parametrize("by", ["name", "code"])
def test_a_withdrawn_subject_is_not_found(registry, tmp_path, by):
    uscc = registry("南昌已撤回登记有限公司")["南昌已撤回登记有限公司"]
    delete = {"record_id": f"REG-{uscc}", "op": "delete", "updated_at": "2026-11-20 08:00:00"}
    ingest(tmp_path, "SCJG", "registration", [delete])

    assert list(search.search_subjects("已撤回" if by == "name" else uscc)) == []


@pytest.mark.parametrize("query", ["南", " 南 ", "", "   "])
def test_a_query_shorter_than_two_characters_finds_nothing(registry, query):
    registry("南昌南方贸易有限公司", "南")

    assert list(search.search_subjects(query)) == []


@pytest.mark.parametrize(("query", "found"), [("洪%", "洪%贸易"), ("洪_", "南昌洪_餐饮"), ("%都", "赣%都")])
def test_like_wildcards_in_a_query_match_only_themselves(registry, query, found):
    registry("洪都贸易有限公司", "南昌洪都餐饮有限公司", "洪%贸易", "南昌洪_餐饮", "赣%都")

    assert names(search.search_subjects(query)) == [found]


def test_search_returns_at_most_fifty_subjects(registry):
    registry(*[f"南昌赣江{i:02d}号贸易有限公司" for i in range(60)])

    assert len(search.search_subjects("赣江")) == search.SEARCH_LIMIT == 50


# --------------------------------------------------------------------------- complaints, colours


def complaints(day: date, *results: str, days_ago: int = 10) -> list:
    return [SimpleNamespace(received_on=day - timedelta(days=days_ago), mediation_result=r) for r in results]


TODAY = date(2026, 11, 27)


def test_five_recent_complaints_with_poor_mediation_give_a_consumer_warning():
    summary = public.complaint_summary(complaints(TODAY, *["failure"] * 3, "success", "success"), TODAY)

    assert (summary.last_12_months, summary.mediated, summary.mediation_success) == (5, 5, 2)
    assert summary.warning


def test_four_recent_complaints_give_no_consumer_warning_however_they_ended():
    assert not public.complaint_summary(complaints(TODAY, *["failure"] * 4), TODAY).warning


def test_half_of_mediations_succeeding_gives_no_consumer_warning():
    summary = public.complaint_summary(complaints(TODAY, *["failure"] * 3, *["success"] * 3), TODAY)

    assert summary.success_rate == 0.5 and not summary.warning


def test_complaints_older_than_twelve_months_do_not_count_towards_the_warning():
    old = complaints(TODAY, *["failure"] * 5, days_ago=400)
    summary = public.complaint_summary(old + complaints(TODAY, "failure"), TODAY)

    assert (summary.total, summary.last_12_months, summary.warning) == (6, 1, False)


def _colour(colour: str, *reasons: tuple[str, str]) -> public.PublicColour:
    return public.PublicColour(
        colour,
        None,
        None,
        [public.Reason(rule, "", rule_colour, None, "", []) for rule, rule_colour in reasons],
    )


def test_a_red_subject_is_restricted_for_every_use_of_the_catalogue(db):
    colour = _colour(rules.RED, ("restrictive_penalty", rules.RED))

    assert public.restriction_flags(colour) == list(DEFAULT_USES)


def test_an_orange_subject_is_restricted_where_the_catalogue_names_orange(db):
    colour = _colour(rules.ORANGE, ("abnormal_listing", rules.ORANGE))

    assert public.restriction_flags(colour) == ["procurement", "bidding", "subsidy", "honour", "licensing"]


def test_a_dishonest_debtor_also_carries_the_courts_consumption_ban(db):
    colour = _colour(rules.RED, ("dishonest_debtor", rules.RED))

    assert public.restriction_flags(colour)[-1] == public.HIGH_CONSUMPTION_BANNED


def test_a_green_subject_has_no_restriction(db):
    assert public.restriction_flags(_colour(rules.GREEN)) == []


def test_the_restrictions_follow_a_newly_published_catalogue(db, django_capture_on_commit_callbacks):
    measures = default_measures()
    measures["financing"]["colours"] = ["red", "orange"]
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_publish(measures_data=measures, note="融资授信从严")

    colour = _colour(rules.ORANGE, ("abnormal_listing", rules.ORANGE))

    assert "financing" in public.restriction_flags(colour)
    assert public.restriction_label("financing") == measures["financing"]["measure"]


def test_a_subject_never_evaluated_is_green_in_colours_of(db):
    uscc = make_uscc()

    colours = public.colours_of([uscc])

    assert colours[uscc].colour == rules.GREEN and colours[uscc].reasons == []
