"""File drop end to end: real PostgreSQL, the contract's samples, every outcome of a record."""

import gzip
import json
import shutil

import pytest
from django.core.management import call_command

from collectors.services import collect_inbox
from tests.collectors.conftest import SAMPLES, write_csv, write_jsonl
from tests.factories import make_uscc, penalty, registration, wrong_check
from warning_system.registry.models import (
    DishonestDebtor,
    IngestRun,
    Penalty,
    QuarantinedRecord,
    Registration,
    Subject,
    SubjectNameHistory,
)

pytestmark = pytest.mark.django_db

OUTCOMES = ("inserted", "updated", "unchanged", "stale", "deleted", "quarantined")


def copy_samples(inbox):
    for folder in SAMPLES.iterdir():
        if folder.is_dir():
            shutil.copytree(folder, inbox / folder.name, dirs_exist_ok=True)


@pytest.fixture
def samples_collected(reference_data, inbox):
    """Every sample of the contract, collected once."""
    copy_samples(inbox)
    return collect_inbox(inbox)


def by_kind(report):
    return {(f["department"], f["kind"]): f for f in report["files"]}


def test_every_sample_ingests_with_the_right_results(samples_collected):
    report = samples_collected
    files = by_kind(report)
    assert report["totals"]["errors"] == 0
    assert files[("SCJG", "registration")]["inserted"] == 5
    assert files[("SCJG", "penalty")]["inserted"] == 3
    assert Subject.objects.count() == 5


def test_the_organisation_code_only_penalty_lands_on_its_subject(samples_collected):
    assert Penalty.objects.get(record_id="CF-2026-000103").subject_id == "91360111MA3HD1TJ1A"


def test_the_lower_case_uscc_is_normalised(samples_collected):
    record = Penalty.objects.get(record_id="HB-CF-2026-0031")
    assert record.uscc == record.subject_id == "91360111MA3HD1TJ1A"


def test_the_gb18030_file_decodes(samples_collected):
    assert Penalty.objects.get(record_id="HB-CF-2026-0032").violation_facts == "未按规定设置危险废物识别标志"


def test_the_xml_is_read(samples_collected):
    debtor = DishonestDebtor.objects.get(record_id="SX-2026-0451")
    assert (debtor.performance, debtor.subject_id) == ("none", "91360112MA3K23GD8Y")


def test_personal_fields_are_stored_apart_from_public_columns(samples_collected):
    public_columns = {f.column for f in Registration._meta.fields}
    assert not public_columns & {"legal_rep_id_number", "phone"}
    private = Registration.objects.get(record_id="REG-2026-000001").private
    assert private.personal["legal_rep_id_number"] == "360102198502275482"
    assert private.raw["证件号码"] == "360102198502275482"


def test_ingesting_twice_gives_the_same_state(samples_collected, inbox):
    state = sorted(Penalty.objects.values_list("record_id", "content_hash", "updated_at"))
    copy_samples(inbox)
    second = collect_inbox(inbox)
    assert second["totals"]["unchanged"] == second["totals"]["received"] == 13
    assert sorted(Penalty.objects.values_list("record_id", "content_hash", "updated_at")) == state


def test_processed_files_move_to_processed(samples_collected, inbox):
    assert (inbox / "SCJG" / "processed" / "registration_20261101080000.csv").exists()
    assert not (inbox / "SCJG" / "registration_20261101080000.csv").exists()


def test_an_older_version_never_overwrites_a_newer_one(reference_data, inbox):
    uscc = make_uscc()
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl",
        [penalty(uscc, "P1", updated_at="2026-11-05 10:00:00", fine_amount="9")],
    )
    write_jsonl(
        inbox / "SCJG" / "penalty_20261103090000.jsonl",
        [penalty(uscc, "P1", updated_at="2026-11-04 10:00:00", fine_amount="1")],
    )
    report = collect_inbox(inbox)
    assert [f["stale"] for f in report["files"]] == [0, 1]
    assert Penalty.objects.get(record_id="P1").fine_amount == 9


def test_within_one_file_the_newest_version_of_a_record_wins(reference_data, inbox):
    uscc = make_uscc()
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl",
        [
            penalty(uscc, "P1", updated_at="2026-11-05", fine_amount="5"),
            penalty(uscc, "P1", updated_at="2026-11-04", fine_amount="4"),
        ],
    )
    (f,) = collect_inbox(inbox)["files"]
    assert (f["inserted"], f["stale"]) == (1, 1)
    assert Penalty.objects.get(record_id="P1").fine_amount == 5


def test_a_newer_version_updates_the_record(reference_data, inbox):
    uscc = make_uscc()
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(uscc, "P1", fine_amount="5")])
    write_jsonl(
        inbox / "SCJG" / "penalty_20261103090000.jsonl",
        [penalty(uscc, "P1", updated_at="2026-11-09", fine_amount="7")],
    )
    report = collect_inbox(inbox)
    assert report["files"][1]["updated"] == 1
    assert Penalty.objects.get(record_id="P1").fine_amount == 7


def test_op_delete_withdraws_the_record_and_an_older_upsert_does_not_revive_it(reference_data, inbox):
    uscc = make_uscc()
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(uscc, "P1")])
    write_jsonl(
        inbox / "SCJG" / "penalty_20261103090000.jsonl",
        [{"record_id": "P1", "op": "delete", "updated_at": "2026-11-03 00:00:00"}],
    )
    write_jsonl(inbox / "SCJG" / "penalty_20261104090000.jsonl", [penalty(uscc, "P1")])
    report = collect_inbox(inbox)
    assert [f["deleted"] for f in report["files"]] == [0, 1, 0]
    assert report["files"][2]["stale"] == 1
    assert Penalty.objects.get(record_id="P1").withdrawn


def test_a_record_before_its_registration_is_linked_when_the_registration_arrives(reference_data, inbox):
    uscc = make_uscc()
    org_code = uscc[8:17]
    write_jsonl(
        inbox / "STHJ" / "penalty_20261102090000.jsonl",
        [
            penalty(None, "P-ORG", organization_code=org_code),
            penalty(uscc, "P-USCC"),
        ],
    )
    first = collect_inbox(inbox)
    assert first["files"][0]["unresolved"] == 2
    assert Penalty.objects.get(record_id="P-ORG").subject_id is None

    write_csv(inbox / "SCJG" / "registration_20261105080000.csv", [registration(uscc)])
    collect_inbox(inbox)
    subject = Subject.objects.get(uscc=uscc)
    assert set(subject.penalty_records.values_list("record_id", flat=True)) == {"P-ORG", "P-USCC"}


def test_a_registration_number_is_mapped_through_the_registration_feed(reference_data, inbox):
    uscc = make_uscc()
    write_csv(
        inbox / "SCJG" / "registration_20261101080000.csv",
        [registration(uscc, registration_number="360102000012345")],
    )
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl",
        [penalty(None, "P-REG", registration_number="360102000012345")],
    )
    collect_inbox(inbox)
    assert Penalty.objects.get(record_id="P-REG").subject_id == uscc


def test_a_renamed_subject_keeps_its_former_name(reference_data, inbox):
    uscc = make_uscc()
    write_csv(inbox / "SCJG" / "registration_20261101080000.csv", [registration(uscc, name="旧名称有限公司")])
    write_csv(
        inbox / "SCJG" / "registration_20261102080000.csv",
        [registration(uscc, name="新名称有限公司", updated_at="2026-11-02 08:00:00")],
    )
    collect_inbox(inbox)
    assert Subject.objects.get(uscc=uscc).name == "新名称有限公司"
    assert list(SubjectNameHistory.objects.filter(subject_id=uscc).values_list("name", flat=True)) == [
        "旧名称有限公司"
    ]


def test_bad_records_are_quarantined_with_reasons_and_the_counts_add_up(reference_data, inbox):
    uscc = make_uscc()
    write_csv(
        inbox / "SCJG" / "penalty_20261102090000.csv",
        [
            penalty(uscc, "GOOD"),
            penalty(wrong_check(uscc), "BAD-USCC"),
            penalty(uscc, "BAD-DATE", decided_on="2026-02-30"),
            penalty(uscc, "NO-DOC", document_number=""),
        ],
    )
    (f,) = collect_inbox(inbox)["files"]
    assert f["received"] == 4 == sum(f[o] for o in OUTCOMES)
    assert (f["inserted"], f["quarantined"]) == (1, 3)
    reasons = dict(QuarantinedRecord.objects.values_list("record_id", "reasons"))
    assert reasons == {
        "BAD-USCC": ["invalid_uscc"],
        "BAD-DATE": ["unparsable_date"],
        "NO-DOC": ["missing_required"],
    }
    bad = QuarantinedRecord.objects.get(record_id="BAD-DATE")
    assert (bad.position, bad.line, bad.department_id, bad.run_id) == (
        3,
        4,
        "SCJG",
        IngestRun.objects.get().pk,
    )
    assert bad.raw["decided_on"] == "2026-02-30"


def test_an_unreadable_file_is_rejected_whole_with_a_reason_file(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    (folder / "penalty_20261102090000.csv.gz").write_bytes(b"not gzip at all")
    (f,) = collect_inbox(inbox)["files"]
    assert f["error"] and f["received"] == 0
    reason = folder / "rejected" / "penalty_20261102090000.csv.gz.reason.txt"
    assert reason.read_text(encoding="utf-8").strip() == f["error"]
    assert IngestRun.objects.get().status == "rejected"


def test_a_malicious_xml_is_refused_and_stores_nothing(reference_data, inbox):
    folder = inbox / "ZY"
    folder.mkdir()
    from tests.collectors.test_parsers import BILLION_LAUGHS

    (folder / "dishonest_debtor_20261104163000.xml").write_bytes(
        BILLION_LAUGHS.replace(b"penalty", b"dishonest_debtor")
    )
    (f,) = collect_inbox(inbox)["files"]
    assert "DTD" in f["error"]
    assert DishonestDebtor.objects.count() == 0


def test_a_file_with_a_bad_name_is_reported_and_set_aside(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    (folder / "penalties-november.csv").write_text("x", encoding="utf-8")
    (folder / ".penalty_20261102090000.csv").write_text("x", encoding="utf-8")
    (folder / "penalty_20261102090000.csv.part").write_text("x", encoding="utf-8")
    report = collect_inbox(inbox)
    assert [f["path"].rsplit("/", 1)[1] for f in report["files"]] == ["penalties-november.csv"]
    assert (folder / ".penalty_20261102090000.csv").exists()
    assert (folder / "penalty_20261102090000.csv.part").exists()


def test_a_department_may_not_send_a_kind_it_does_not_provide(reference_data, inbox):
    write_jsonl(inbox / "SWJ" / "registration_20261102090000.jsonl", [registration(make_uscc())])
    (f,) = collect_inbox(inbox)["files"]
    assert "不报送" in f["error"]


def test_gzipped_json_lines_are_read(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    line = json.dumps(penalty(make_uscc(), "GZ1"), ensure_ascii=False) + "\n"
    (folder / "penalty_20261102090000.jsonl.gz").write_bytes(gzip.compress(line.encode()))
    (f,) = collect_inbox(inbox)["files"]
    assert f["inserted"] == 1


def test_the_command_prints_one_json_object_whose_counts_add_up(reference_data, inbox, capsys):
    copy_samples(inbox)
    call_command("collect_inbox", inbox=str(inbox), json=True, workers=1)
    report = json.loads(capsys.readouterr().out)
    for f in report["files"]:
        assert set(f) >= {"path", "department", "kind", "received", *OUTCOMES, "unresolved", "error"}
        assert f["received"] == sum(f[o] for o in OUTCOMES)
    assert report["totals"]["received"] == 13


def test_a_folder_that_is_no_department_is_reported_and_left_alone(reference_data, inbox):
    write_jsonl(inbox / "NOSUCH" / "penalty_20261102090000.jsonl", [penalty(make_uscc(), "X1")])
    (f,) = collect_inbox(inbox)["files"]
    assert "NOSUCH" in f["error"] and f["received"] == 0
    assert (inbox / "NOSUCH" / "penalty_20261102090000.jsonl").exists()
    assert not Penalty.objects.exists()


def test_a_file_with_a_bad_name_leaves_a_rejected_run(reference_data, inbox):
    write_jsonl(inbox / "SCJG" / "penalties-november.jsonl", [penalty(make_uscc(), "X1")])
    (f,) = collect_inbox(inbox)["files"]
    run = IngestRun.objects.get(pk=f["run_id"])
    assert (run.status, run.error) == ("rejected", f["error"])


def test_an_unexpected_failure_of_one_file_keeps_it_for_retry_and_the_others_go_on(
    reference_data, inbox, monkeypatch
):
    from collectors.services import inbox as services

    uscc = make_uscc()
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(uscc, "OK1")])
    write_jsonl(inbox / "SCJG" / "penalty_20261103090000.jsonl", [penalty(uscc, "BOOM1")])
    real = services._ingest_file_once

    def failing(path, *args):
        if "20261103" in path.name:
            raise RuntimeError("connection lost")
        return real(path, *args)

    monkeypatch.setattr(services, "_ingest_file_once", failing)
    ok, failed = collect_inbox(inbox)["files"]
    assert ok["inserted"] == 1 and "connection lost" in failed["error"]
    assert IngestRun.objects.get(pk=failed["run_id"]).status == "failed"
    assert (inbox / "SCJG" / "penalty_20261103090000.jsonl").exists()
