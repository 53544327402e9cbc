"""Credit reports: issued from the public page only, printable, verifiable, free of personal data."""

import io
import re
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from collectors.services import collect_inbox
from disclosure.models import CreditReport
from disclosure.services import report_pdf, reports
from tests.collectors.conftest import write_jsonl
from tests.disclosure.conftest import PERSONAL
from tests.factories import penalty

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^XY\d{8}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$")


def _pdf_strings(pdf: bytes) -> str:
    """The text a reader extracts from the PDF (pypdf, through each font's ToUnicode map) and its
    metadata. Lines are also joined without a separator: text wrapped over two lines is found whole."""
    document = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in document.pages)
    metadata = "\n".join(str(value) for value in (document.metadata or {}).values())
    return text + "\n" + text.replace("\n", "") + "\n" + metadata


def _ingest(tmp_path, django_capture_on_commit_callbacks, name: str, records: list[dict]) -> None:
    inbox = tmp_path / name
    write_jsonl(inbox / "SCJG" / "penalty_20261120090000.jsonl", records)
    with django_capture_on_commit_callbacks(execute=True):
        collect_inbox(inbox)


# --------------------------------------------------------------------------- issuing


def test_issuing_stores_number_digest_and_snapshot(portal_city):
    report = reports.report_issue(portal_city.yellow)
    stored = CreditReport.objects.get(number=report.number)
    assert NUMBER.match(stored.number)
    assert stored.number[2:10] == timezone.localdate().strftime("%Y%m%d")
    assert stored.uscc == portal_city.yellow
    assert stored.subject_name == "南昌赣江黄色贸易有限公司"
    assert stored.colour == "yellow"
    assert stored.snapshot == reports.report_snapshot(portal_city.yellow)
    assert stored.digest == reports.snapshot_digest(stored.snapshot)
    assert re.fullmatch(r"[0-9a-f]{64}", stored.digest)


def test_report_numbers_are_unique(portal_city):
    numbers = {reports.report_issue(portal_city.green).number for _ in range(5)}
    assert len(numbers) == 5


def test_issuing_for_an_unknown_subject_raises(portal_city):
    with pytest.raises(reports.ReportError):
        reports.report_issue(portal_city.unregistered)


def test_snapshot_has_basics_colour_reasons_restrictions_and_records(portal_city):
    snapshot = reports.report_snapshot(portal_city.red)
    assert snapshot["subject"]["uscc"] == portal_city.red
    assert snapshot["subject"]["type"] == "企业"
    assert snapshot["colour"]["colour"] == "red"
    assert {r["label"] for r in snapshot["reasons"]} == {"列入严重违法失信名单", "失信被执行人"}
    assert {r["label"] for r in snapshot["restrictions"]} >= {
        "融资授信中从严审核，限制授信",
        "限制参加政府采购活动",
    }
    sections = {s["label"]: s["records"] for c in snapshot["classes"] for s in c["sections"]}
    assert len(sections["失信被执行人"]) == 1
    assert ["案号", "（2026）赣01执123号"] in sections["失信被执行人"][0]["facts"]


def test_snapshot_leaves_out_what_is_not_public(portal_city):
    snapshot = reports.report_snapshot(portal_city.green)
    # The green subject has only a warning (never public) and a penalty out of its window.
    assert all(not c["sections"] for c in snapshot["classes"])
    assert snapshot["reasons"] == []


def test_snapshot_digest_does_not_depend_on_the_readers_language(portal_city):
    chinese = reports.report_snapshot(portal_city.red)
    with translation.override("en"):
        english = reports.report_snapshot(portal_city.red)
    assert reports.snapshot_digest(english) == reports.snapshot_digest(chinese)


# --------------------------------------------------------------------------- personal data


def test_snapshot_holds_no_personal_data(portal_city):
    for uscc in portal_city.registered:
        text = reports.canonical_json(reports.report_snapshot(uscc)).decode()
        for personal in PERSONAL:
            assert personal not in text


def test_report_page_holds_no_personal_data(client, portal_city):
    report = reports.report_issue(portal_city.yellow)
    html = client.get(reverse("disclosure:report", args=[report.number])).content.decode()
    assert "销售过期食品" in html  # the redacted violation facts are there
    for personal in PERSONAL:
        assert personal not in html


def test_pdf_holds_no_personal_data(portal_city):
    report = reports.report_issue(portal_city.yellow)
    text = _pdf_strings(report_pdf.report_pdf(report, "https://example.org/reports/verify"))
    assert "销售过期食品" in text
    for personal in PERSONAL:
        assert personal not in text


# --------------------------------------------------------------------------- pages


def test_issue_report_redirects_to_the_report_page(client, portal_city):
    response = client.post(reverse("disclosure:issue-report", args=[portal_city.yellow]))
    report = CreditReport.objects.get(uscc=portal_city.yellow)
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:report", args=[report.number])


def test_get_on_issue_report_is_405(client, portal_city):
    response = client.get(reverse("disclosure:issue-report", args=[portal_city.yellow]))
    assert response.status_code == 405
    assert not CreditReport.objects.exists()


def test_issue_report_for_an_unknown_subject_is_404(client, portal_city):
    response = client.post(reverse("disclosure:issue-report", args=[portal_city.unregistered]))
    assert response.status_code == 404


def test_report_page_shows_number_colour_and_reasons(client, portal_city):
    report = reports.report_issue(portal_city.yellow)
    response = client.get(reverse("disclosure:report", args=[report.number]))
    html = response.content.decode()
    assert response.status_code == 200
    assert report.number in html
    assert 'data-colour="yellow"' in html
    assert "行政处罚" in html
    assert "12个月内3件以上投诉调解失败" in html
    assert "data-print" in html  # the print button (static/js/site.js)
    assert f"/reports/verify?number={report.number}" in html
    assert reverse("disclosure:report-pdf", args=[report.number]) in html


def test_report_page_shows_restrictions(client, portal_city):
    report = reports.report_issue(portal_city.red)
    html = client.get(reverse("disclosure:report", args=[report.number])).content.decode()
    assert "融资授信中从严审核，限制授信" in html


def test_unknown_report_page_is_404(client, portal_city):
    assert client.get(reverse("disclosure:report", args=["XY20260101-AAAAAAAA"])).status_code == 404


# --------------------------------------------------------------------------- PDF


def test_pdf_is_a_real_pdf_naming_the_report(portal_city):
    report = reports.report_issue(portal_city.red)
    pdf = report_pdf.report_pdf(report, "https://example.org/reports/verify?number=" + report.number)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 3000
    text = _pdf_strings(pdf)
    for expected in ("企业信用报告", report.number, "红色", "失信被执行人", "个人信息"):
        assert expected in text
    if shutil.which("pdftotext"):
        extracted = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert report.number in extracted


def test_pdf_endpoint_returns_an_inline_pdf(client, portal_city):
    report = reports.report_issue(portal_city.orange)
    response = client.get(reverse("disclosure:report-pdf", args=[report.number]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="credit-report-{report.number}.pdf"'
    assert response.content.startswith(b"%PDF")


# --------------------------------------------------------------------------- verification


def test_fresh_report_is_authentic_and_current(portal_city):
    report = reports.report_issue(portal_city.orange)
    verification = reports.report_verify(report.number)
    assert verification.authentic
    assert verification.current
    assert verification.changes == []


def test_report_numbers_verify_as_typed(portal_city):
    report = reports.report_issue(portal_city.orange)
    assert reports.report_verify(f"  {report.number.lower()} ").report == report


def test_new_penalty_keeps_report_authentic_but_not_current(
    portal_city, tmp_path, django_capture_on_commit_callbacks
):
    report = reports.report_issue(portal_city.green)
    decided_on = (timezone.localdate() - timedelta(days=3)).isoformat()
    _ingest(
        tmp_path,
        django_capture_on_commit_callbacks,
        "later",
        [penalty(portal_city.green, "PG-3", decided_on=decided_on)],
    )

    verification = reports.report_verify(report.number)
    assert verification.authentic
    assert not verification.current
    assert "信用颜色由“绿色（正常）”变为“黄色”" in verification.changes
    assert "行政处罚：新增 1 条" in verification.changes


def test_verify_page_lists_the_changes(client, portal_city, tmp_path, django_capture_on_commit_callbacks):
    report = reports.report_issue(portal_city.green)
    decided_on = (timezone.localdate() - timedelta(days=3)).isoformat()
    _ingest(
        tmp_path,
        django_capture_on_commit_callbacks,
        "later",
        [penalty(portal_city.green, "PG-3", decided_on=decided_on)],
    )

    html = client.get(reverse("disclosure:verify-report"), {"number": report.number}).content.decode()
    assert "内容已更新（报告出具后信息有变化）" in html
    assert "行政处罚：新增 1 条" in html


def test_tampered_snapshot_is_not_authentic(client, portal_city):
    report = reports.report_issue(portal_city.red)
    snapshot = report.snapshot
    snapshot["colour"] = {"colour": "green", "label": "绿色（正常）", "since": None}
    CreditReport.objects.filter(pk=report.pk).update(snapshot=snapshot)

    verification = reports.report_verify(report.number)
    assert not verification.authentic
    html = client.get(reverse("disclosure:verify-report"), {"number": report.number}).content.decode()
    assert 'data-verdict="invalid"' in html


def test_verify_page_says_a_fresh_report_is_valid(client, portal_city):
    report = reports.report_issue(portal_city.yellow)
    response = client.get(reverse("disclosure:verify-report"), {"number": report.number})
    assert response.status_code == 200
    assert "真实有效" in response.content.decode()


def test_unknown_number_is_not_found(client, portal_city):
    assert reports.report_verify("XY20260101-AAAAAAAA") is None
    response = client.get(reverse("disclosure:verify-report"), {"number": "XY20260101-AAAAAAAA"})
    assert response.status_code == 404
    assert "未找到该报告" in response.content.decode()


def test_verify_page_without_a_number_shows_the_form(client, portal_city):
    response = client.get(reverse("disclosure:verify-report"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="number"' in html
    assert "data-verdict" not in html
