"""A registration whose subject type contradicts its USCC's characters 1–2 is quarantined with its
reason; the demo city generates every subject type with the prefixes, names and shares of a real
city's registries, and a few such contradictions, as registry clerks make them."""

import re
from collections import Counter
from datetime import date

import pytest

from collectors.citygen import CityObserver, generate_city
from collectors.normalize import Normalized, RecordNormalizer
from collectors.services import collect_inbox
from tests.collectors.conftest import write_jsonl
from tests.collectors.test_citygen import read_city
from tests.factories import make_uscc, registration
from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason
from warning_system.registry.models import QuarantinedRecord, Subject

CONSISTENT = {
    "91": "enterprise",
    "92": "individual_business",
    "93": "farmer_cooperative",
    "51": "social_organization",
    "52": "social_organization",
    "53": "social_organization",
    "12": "public_institution",
    "11": "government_agency",
}
normalizer = RecordNormalizer(contract.REGISTRATION)


def problems(record: dict) -> list[tuple[str, str | None]]:
    result = normalizer.normalize(record)
    return [] if isinstance(result, Normalized) else [(p.code, p.field) for p in result]


# --------------------------------------------------------------------------- the normaliser


@pytest.mark.parametrize(("prefix", "subject_type"), CONSISTENT.items())
def test_a_type_matching_its_code_passes(prefix, subject_type):
    assert problems(registration(make_uscc(prefix=prefix), subject_type=subject_type)) == []


@pytest.mark.parametrize(
    ("prefix", "subject_type"),
    [("92", "enterprise"), ("91", "个体工商户"), ("93", "企业"), ("51", "public_institution"),
     ("12", "机关"), ("11", "事业单位"), ("31", "social_organization")],
)  # fmt: skip
def test_a_type_contradicting_its_code_is_a_subject_type_mismatch(prefix, subject_type):
    record = registration(make_uscc(prefix=prefix), subject_type=subject_type)

    assert problems(record) == [(QuarantineReason.SUBJECT_TYPE_MISMATCH, "subject_type")]


def test_the_code_is_compared_as_normalised():
    uscc = make_uscc(prefix="92").lower()

    assert problems(registration(f" {uscc[:2]}-{uscc[2:]} ", subject_type="个体")) == []


def test_a_withdrawal_is_not_checked_for_its_type():
    record = registration(make_uscc(prefix="92"), subject_type="enterprise", op="delete")

    assert problems(record) == []


def test_an_invalid_code_is_reported_as_such_not_as_a_mismatch():
    uscc = make_uscc(prefix="92")
    record = registration(uscc[:-1] + ("0" if uscc[-1] != "0" else "1"), subject_type="enterprise")

    assert [code for code, _ in problems(record)] == [QuarantineReason.INVALID_USCC]


# --------------------------------------------------------------------------- collected


@pytest.mark.django_db
def test_a_mismatched_registration_is_quarantined_with_its_reason_and_nothing_else_lost(
    reference_data, inbox
):
    wrong, right = make_uscc(prefix="92"), make_uscc(prefix="92")
    write_jsonl(
        inbox / "SCJG" / "registration_20261101080000.jsonl",
        [
            registration(wrong, subject_type="enterprise"),
            registration(right, subject_type="individual_business"),
        ],
    )

    report = collect_inbox(inbox)

    assert report["totals"]["quarantined"] == 1
    quarantined = QuarantinedRecord.objects.get()
    assert quarantined.reasons == [QuarantineReason.SUBJECT_TYPE_MISMATCH]
    assert quarantined.errors[0]["field"] == "subject_type"
    assert "个体工商户" in quarantined.errors[0]["message"]
    assert list(Subject.objects.values_list("uscc", "subject_type")) == [(right, "individual_business")]


# --------------------------------------------------------------------------- the demo city


class Subjects(CityObserver):
    def __init__(self):
        self.subjects: list[dict] = []

    def subject(self, info: dict) -> None:
        self.subjects.append(info)


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    observer = Subjects()
    summary = generate_city(folder, 1_500, 7, date(2026, 11, 27), observer=observer)
    return folder, summary, observer.subjects


def test_every_subject_type_is_generated_with_its_prefix(city):
    _, _, subjects = city
    prefixes = {t: {u for u, ty in CONSISTENT.items() if ty == t} for t in set(CONSISTENT.values())}

    assert {s["subject_type"] for s in subjects} == set(prefixes)
    assert [s for s in subjects if s["uscc"][:2] not in prefixes[s["subject_type"]]] == []
    assert {s["uscc"][:2] for s in subjects} == set(CONSISTENT)


def test_subject_types_come_in_a_real_citys_shares(city):
    _, _, subjects = city
    share = {t: n / len(subjects) for t, n in Counter(s["subject_type"] for s in subjects).items()}

    assert 0.55 < share["individual_business"] < 0.7
    assert 0.27 < share["enterprise"] < 0.4
    for small in ("farmer_cooperative", "social_organization", "public_institution", "government_agency"):
        assert 0 < share[small] < 0.05


NAMES = {
    "enterprise": r"(有限公司|有限责任公司|股份有限公司|经营部|中心|工作室|厂|（有限合伙）|分公司)$",
    "farmer_cooperative": r"专业合作社$",
    "social_organization": r"(协会|商会|学会|基金会|学校|幼儿园|养老服务中心|门诊部)$",
    "public_institution": r"(医院|中学|小学|卫生院|中心|图书馆|文化馆|档案馆)$",
    "government_agency": r"(局|委员会|人民政府|办事处)$",
}


def test_each_type_is_named_as_such_subjects_are(city):
    _, _, subjects = city
    misnamed = [
        (s["subject_type"], s["name"])
        for s in subjects
        if s["subject_type"] in NAMES and not re.search(NAMES[s["subject_type"]], s["name"])
    ]

    assert misnamed == []
    shops = [s["name"] for s in subjects if s["subject_type"] == "individual_business"]
    assert all(not n.endswith(("公司", "企业", "合作社")) for n in shops)
    assert any(n.endswith(("便利店", "超市", "店", "馆", "部")) for n in shops)
    own_names = [n for n in shops if len(n) <= 4]  # no trade name: the operator's own name
    assert 0 < len(own_names) < 0.06 * len(shops)


def test_the_city_sends_type_mismatches_that_the_normaliser_quarantines(city):
    folder, summary, _ = city
    flagged = 0
    for _dept, _path, kind, fields, _raw in read_city(folder):
        if kind == "registration":
            flagged += any(code == QuarantineReason.SUBJECT_TYPE_MISMATCH for code, _ in problems(fields))

    assert summary["bad_by_reason"][QuarantineReason.SUBJECT_TYPE_MISMATCH] == flagged > 0
