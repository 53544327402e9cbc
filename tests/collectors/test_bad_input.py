"""No bad input breaks a batch or is stuck: every record-level problem is a quarantine reason with
the record kept, a file that cannot be read at all is set aside with a reason, never an exception."""

import json
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from collectors.services import collect_inbox
from tests.collectors.conftest import write_csv, write_jsonl
from tests.factories import make_uscc, penalty, registration
from warning_system.registry.models import IngestRun, Penalty, QuarantinedRecord, Subject

pytestmark = pytest.mark.django_db


def reasons() -> dict[str, list[str]]:
    return dict(QuarantinedRecord.objects.values_list("record_id", "reasons"))


def only_file(inbox) -> dict:
    (report,) = collect_inbox(inbox)["files"]
    return report


# --------------------------------------------------------------------------- control characters


def test_a_nul_in_a_csv_value_quarantines_that_record_and_stores_the_rest(reference_data, inbox):
    uscc = make_uscc()
    write_csv(inbox / "SCJG" / "penalty_20261102090000.csv",
              [penalty(uscc, "GOOD"), penalty(uscc, "NUL", violation_facts="虚假\x00宣传")])  # fmt: skip
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"], report["error"]) == (1, 1, None)
    entry = QuarantinedRecord.objects.get()
    assert entry.reasons == ["control_character"] and entry.line == 3
    assert entry.raw["violation_facts"] == "虚假\\x00宣传"  # kept, readable
    assert IngestRun.objects.get().status == "succeeded"


def test_other_control_characters_in_json_lines_are_quarantined(reference_data, inbox):
    uscc = make_uscc()
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl",
                [penalty(uscc, "BELL", authority="南昌\x07市场监管局"), penalty(uscc, "TAB", violation_facts="a\tb\nc")])  # fmt: skip
    only_file(inbox)
    assert reasons() == {"BELL": ["control_character"]}
    assert Penalty.objects.get().record_id == "TAB"  # tab and line breaks are text


def test_a_nul_in_a_json_key_is_quarantined(reference_data, inbox):
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl", [{**penalty(make_uscc(), "KEY"), "x\x00y": "1"}]
    )
    only_file(inbox)
    assert reasons() == {"KEY": ["control_character"]}


def test_a_nul_byte_in_an_xml_value_quarantines_that_record_only(reference_data, inbox):
    folder = inbox / "ZY"
    folder.mkdir()
    record = "<record><record_id>{id}</record_id><updated_at>2026-11-01</updated_at><uscc>{uscc}</uscc>" \
             "<subject_name>某公司</subject_name><case_number>(2026)赣01执{id}号</case_number>" \
             "<court>南昌中院</court><performance>全部未履行</performance><published_on>2026-10-01</published_on>" \
             "<obligation>{text}</obligation></record>"  # fmt: skip
    uscc = make_uscc()
    body = record.format(id="1", uscc=uscc, text="付款") + record.format(id="2", uscc=uscc, text="付\x00款")
    (folder / "dishonest_debtor_20261104163000.xml").write_bytes(
        f'<?xml version="1.0" encoding="UTF-8"?><records kind="dishonest_debtor">{body}</records>'.encode()
    )
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"]) == (1, 1)
    entry = QuarantinedRecord.objects.get()
    assert entry.reasons == ["control_character"] and entry.raw["obligation"] == "付␀款"


def test_a_nul_in_a_csv_header_rejects_the_file_with_a_reason_and_closes_its_run(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    (folder / "penalty_20261102090000.csv").write_bytes(b"record_id,updated\x00_at\r\nA1,2026-11-01\r\n")
    report = only_file(inbox)
    assert "控制字符" in report["error"]
    run = IngestRun.objects.get()
    assert run.status == "rejected" and "\\x00" in run.error
    reason = (folder / "rejected" / "penalty_20261102090000.csv.reason.txt").read_text(encoding="utf-8")
    assert "控制字符" in reason


def test_a_nul_in_a_pushed_record_is_quarantined_with_its_index_and_the_others_stored(client, reference_data):
    from collectors.services import department_token_issue
    from warning_system.registry.models import Department

    token = department_token_issue(department=Department.objects.get(code="SCJG"))
    uscc = make_uscc()
    body = json.dumps(
        [penalty(uscc, "P1"), penalty(uscc, "P2", violation_facts="坏\u0000数据"), penalty(uscc, "P3")]
    )
    response = client.post("/api/v1/feeds/penalty", data=body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert response.status_code == 200
    receipt = response.json()
    assert receipt["accepted"] == 2
    assert [(q["index"], q["record_id"]) for q in receipt["quarantined"]] == [(1, "P2")]
    assert set(Penalty.objects.values_list("record_id", flat=True)) == {"P1", "P3"}


# --------------------------------------------------------------------------- encodings


def mixed_csv(path, encodings: list[str], uscc: str):
    lines = [
        "record_id,updated_at,CF_XDR_MC,uscc,document_number,violation_type,penalty_categories,decided_on,authority"
    ]
    rows = [
        f"R{i},2026-11-01,南昌第{i}贸易有限公司,{uscc},文号{i},价格违法,罚款,2026-10-01,南昌市市场监督管理局"
        for i in range(len(encodings))
    ]
    data = (lines[0] + "\r\n").encode()
    for row, encoding in zip(rows, encodings, strict=True):
        data += (row + "\r\n").encode(encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_a_utf8_file_with_one_gb18030_line_quarantines_that_line_and_reads_the_rest_right(
    reference_data, inbox
):
    mixed_csv(
        inbox / "SCJG" / "penalty_20261102090000.csv", ["utf-8", "gb18030", "utf-8", "utf-8"], make_uscc()
    )
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"]) == (3, 1)
    entry = QuarantinedRecord.objects.get()
    assert (entry.reasons, entry.line) == (["undecodable"], 3)
    assert "\\x" in entry.raw["CF_XDR_MC"]  # the bytes as received, escaped
    assert set(Penalty.objects.values_list("subject_name", flat=True)) == {
        "南昌第0贸易有限公司", "南昌第2贸易有限公司", "南昌第3贸易有限公司"
    }  # fmt: skip


def test_a_gb18030_file_with_one_utf8_line_quarantines_that_line_instead_of_reading_mojibake(
    reference_data, inbox
):
    mixed_csv(
        inbox / "SCJG" / "penalty_20261102090000.csv", ["gb18030", "gb18030", "utf-8", "gb18030"], make_uscc()
    )
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"]) == (3, 1)
    assert QuarantinedRecord.objects.get().line == 4
    assert "南昌第1贸易有限公司" in set(Penalty.objects.values_list("subject_name", flat=True))


def test_a_json_line_that_is_not_utf8_is_quarantined_with_its_line_number(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    uscc = make_uscc()
    good = json.dumps(penalty(uscc, "OK"), ensure_ascii=False).encode()
    bad = (
        json.dumps(penalty(uscc, "GBK"), ensure_ascii=False)
        .encode("utf-8")
        .replace("南昌测试贸易有限公司".encode(), "南昌测试贸易有限公司".encode("gb18030"))
    )
    (folder / "penalty_20261102090000.jsonl").write_bytes(good + b"\n" + bad + b"\n")
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"]) == (1, 1)
    entry = QuarantinedRecord.objects.get()
    assert (entry.reasons, entry.line) == (["undecodable"], 2)


def test_an_xml_record_with_undecodable_bytes_is_quarantined_and_the_others_stored(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    uscc = make_uscc()
    record = ("<record><record_id>{id}</record_id><updated_at>2026-11-01</updated_at><uscc>" + uscc + "</uscc>"
              "<CF_XDR_MC>{name}</CF_XDR_MC><CF_WSH>文号{id}</CF_WSH><CF_WFXW>价格违法</CF_WFXW><CF_CFLB>罚款</CF_CFLB>"
              "<CF_JDRQ>2026-10-01</CF_JDRQ><CF_CFJG>南昌市市场监督管理局</CF_CFJG></record>")  # fmt: skip
    body = (record.format(id="1", name="甲公司").encode()
            + record.format(id="2", name="乙公司").encode().replace("乙".encode(), b"\xff\xfe"))  # fmt: skip
    (folder / "penalty_20261102090000.xml").write_bytes(b'<records kind="penalty">' + body + b"</records>")
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"]) == (1, 1)
    assert QuarantinedRecord.objects.get().reasons == ["undecodable"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_xml_in_utf16_and_utf32_is_read(reference_data, inbox, encoding):
    folder = inbox / "SCJG"
    folder.mkdir()
    uscc = make_uscc()
    document = (f'<?xml version="1.0" encoding="{encoding.upper()}"?><records kind="penalty"><record>'
                f"<record_id>U1</record_id><updated_at>2026-11-01</updated_at><uscc>{uscc}</uscc>"
                "<CF_XDR_MC>南昌某公司</CF_XDR_MC><CF_WSH>文号</CF_WSH><CF_WFXW>价格违法</CF_WFXW><CF_CFLB>罚款</CF_CFLB>"
                "<CF_JDRQ>2026-10-01</CF_JDRQ><CF_CFJG>南昌市市场监督管理局</CF_CFJG></record></records>")  # fmt: skip
    (folder / "penalty_20261102090000.xml").write_bytes(document.encode(encoding))
    report = only_file(inbox)
    assert report["inserted"] == 1, report
    assert Penalty.objects.get().subject_name == "南昌某公司"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-be", "utf-8-sig"])
def test_xml_with_a_dtd_is_refused_in_every_encoding(reference_data, inbox, encoding):
    folder = inbox / "SCJG"
    folder.mkdir()
    document = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><records kind="penalty"><record><record_id>&e;</record_id></record></records>'
    (folder / "penalty_20261102090000.xml").write_bytes(document.encode(encoding))
    report = only_file(inbox)
    assert "DTD" in report["error"] and report["received"] == 0
    assert "root:" not in (folder / "rejected" / "penalty_20261102090000.xml.reason.txt").read_text(
        encoding="utf-8"
    )


# --------------------------------------------------------------------------- lengths and dates


def test_a_seventeen_megabyte_cell_is_too_long_not_a_rejected_file(reference_data, inbox):
    uscc = make_uscc()
    write_csv(inbox / "SCJG" / "penalty_20261102090000.csv",
              [penalty(uscc, "HUGE", violation_facts="事" * (17 * 1024 * 1024 // 3)), penalty(uscc, "OK")])  # fmt: skip
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"], report["error"]) == (1, 1, None)
    assert reasons() == {"HUGE": ["too_long"]}


def test_a_district_code_longer_than_the_register_holds_is_too_long(reference_data, inbox):
    write_jsonl(inbox / "SCJG" / "registration_20261101080000.jsonl",
                [registration(make_uscc(), district_code="3601021"), registration(make_uscc())])  # fmt: skip
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"], report["error"]) == (1, 1, None)
    assert list(reasons().values()) == [["too_long"]]
    assert Subject.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decided_on": "1948-12-31"}, "decided_on"),
        ({"decided_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "decided_on"),
        ({"publish_until": "1899-12-31", "decided_on": "1890-01-01"}, "decided_on"),
        ({"updated_at": (timezone.now() + timedelta(days=3)).isoformat()}, "updated_at"),
    ],
)
def test_implausible_dates_are_quarantined(reference_data, inbox, overrides, field):
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(make_uscc(), "D1", **overrides)])
    only_file(inbox)
    entry = QuarantinedRecord.objects.get()
    assert "implausible_date" in entry.reasons
    assert field in {e["field"] for e in entry.errors}


def test_a_far_future_version_cannot_freeze_a_record(reference_data, inbox):
    uscc = make_uscc()
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(uscc, "V1", updated_at="2099-01-01")]
    )
    only_file(inbox)
    write_jsonl(inbox / "SCJG" / "penalty_20261103090000.jsonl",
                [penalty(uscc, "V1", fine_amount="2", updated_at="2026-11-03")])  # fmt: skip
    only_file(inbox)
    assert Penalty.objects.get(record_id="V1").fine_amount == 2


def test_a_listing_dated_in_the_future_is_implausible(reference_data, inbox):
    from tests.factories import abnormal_listing

    future = (timezone.localdate() + timedelta(days=5)).isoformat()
    write_jsonl(inbox / "SCJG" / "abnormal_listing_20261102090000.jsonl",
                [abnormal_listing(make_uscc(), "A1", listed_on=future)])  # fmt: skip
    only_file(inbox)
    assert reasons() == {"A1": ["implausible_date"]}


@pytest.mark.parametrize("field", ["penalty_valid_to", "publish_until"])
def test_a_penalty_ending_before_its_decision_is_end_before_start(reference_data, inbox, field):
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl",
                [penalty(make_uscc(), "E1", decided_on="2026-10-01", **{field: "2026-09-01"})])  # fmt: skip
    only_file(inbox)
    entry = QuarantinedRecord.objects.get()
    assert entry.reasons == ["end_before_start"] and entry.errors[0]["field"] == field


# --------------------------------------------------------------------------- re-delivery


def test_a_bad_file_delivered_five_times_leaves_one_entry_per_bad_record(reference_data, inbox):
    uscc = make_uscc()
    records = [penalty(uscc, "GOOD"), penalty(uscc, "BAD1", decided_on="2026-02-30"),
               penalty(uscc, "BAD2", fine_amount="很多")]  # fmt: skip
    for attempt in range(5):
        write_jsonl(inbox / "SCJG" / f"penalty_2026110209000{attempt}.jsonl", records)
        only_file(inbox)
    assert QuarantinedRecord.objects.count() == 2
    assert set(QuarantinedRecord.objects.values_list("record_id", "deliveries")) == {("BAD1", 5), ("BAD2", 5)}
    assert IngestRun.objects.filter(quarantined=2).count() == 5  # each delivery still counts what it brought


def test_the_same_bad_record_twice_in_one_file_is_one_entry_delivered_twice(reference_data, inbox):
    bad = penalty(make_uscc(), "BAD", decided_on="2026-02-30")
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [bad, bad])
    report = only_file(inbox)
    assert report["quarantined"] == 2
    assert QuarantinedRecord.objects.get().deliveries == 2


def test_a_dismissed_entry_does_not_swallow_a_new_delivery(reference_data, inbox):
    bad = penalty(make_uscc(), "BAD", decided_on="2026-02-30")
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [bad])
    only_file(inbox)
    QuarantinedRecord.objects.update(status="dismissed")
    write_jsonl(inbox / "SCJG" / "penalty_20261103090000.jsonl", [bad])
    only_file(inbox)
    assert QuarantinedRecord.objects.filter(status="open").count() == 1


# --------------------------------------------------------------------------- what the inbox reads


def test_a_symbolic_link_is_set_aside_without_reading_its_target(reference_data, inbox, tmp_path):
    secret = tmp_path / "secret.jsonl"
    secret.write_text(json.dumps(penalty(make_uscc(), "SECRET-RECORD")) + "\n", encoding="utf-8")
    folder = inbox / "SCJG"
    folder.mkdir()
    (folder / "penalty_20261102090000.jsonl").symlink_to(secret)
    report = only_file(inbox)
    assert "符号链接" in report["error"]
    moved = folder / "rejected" / "penalty_20261102090000.jsonl"
    assert moved.is_symlink() and secret.exists()
    assert (
        "SECRET-RECORD" not in (folder / "rejected" / "penalty_20261102090000.jsonl.reason.txt").read_text()
    )
    assert not Penalty.objects.exists() and not QuarantinedRecord.objects.exists()


def test_a_fifo_is_set_aside_without_blocking(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    os.mkfifo(folder / "penalty_20261102090000.jsonl")
    report = only_file(inbox)
    assert "FIFO" in report["error"]
    assert (folder / "rejected" / "penalty_20261102090000.jsonl").exists()


def test_a_directory_named_like_a_feed_file_is_set_aside(reference_data, inbox):
    folder = inbox / "SCJG" / "penalty_20261102090000.csv"
    folder.mkdir(parents=True)
    report = only_file(inbox)
    assert "目录" in report["error"]


def test_a_failure_that_repeats_on_the_same_file_sets_it_aside_after_three_attempts(
    reference_data, inbox, monkeypatch
):
    from collectors.services import inbox as inbox_services

    def bug(*args):
        raise KeyError("a bug this file triggers")

    monkeypatch.setattr(inbox_services, "_ingest_file_once", bug)
    write_jsonl(inbox / "SCJG" / "penalty_20261102090000.jsonl", [penalty(make_uscc(), "P1")])
    first, second, third = (only_file(inbox) for _ in range(3))
    assert "留待下次重试" in first["error"] and "留待下次重试" in second["error"]
    assert "处理失败 3 次" in third["error"]
    assert (inbox / "SCJG" / "rejected" / "penalty_20261102090000.jsonl").exists()


def test_a_del_character_in_a_utf8_xml_value_is_quarantined(reference_data, inbox):
    folder = inbox / "SCJG"
    folder.mkdir()
    uscc = make_uscc()
    record = ("<record><record_id>{id}</record_id><updated_at>2026-11-01</updated_at><uscc>" + uscc + "</uscc>"
              "<CF_XDR_MC>{name}</CF_XDR_MC><CF_WSH>文号{id}</CF_WSH><CF_WFXW>价格违法</CF_WFXW><CF_CFLB>罚款</CF_CFLB>"
              "<CF_JDRQ>2026-10-01</CF_JDRQ><CF_CFJG>南昌市市场监督管理局</CF_CFJG></record>")  # fmt: skip
    body = record.format(id="1", name="甲公司") + record.format(id="2", name="乙\x7f公司")
    (folder / "penalty_20261102090000.xml").write_bytes(f'<records kind="penalty">{body}</records>'.encode())
    report = only_file(inbox)
    assert (report["inserted"], report["quarantined"]) == (1, 1)
    assert QuarantinedRecord.objects.get().reasons == ["control_character"]
