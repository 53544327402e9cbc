"""The credit report PDF: its text as a reader extracts it, its embedded CJK font (no missing
glyph), "第 X 页 / 共 Y 页" on every page, and a QR code of the verification address."""

import io
import shutil
import subprocess

import pytest
import segno
from pypdf import PdfReader

from disclosure.services import report_pdf, reports

VERIFY = "https://xinyong.example.gov.cn/reports/verify?number="


@pytest.fixture
def red_pdf(portal_city):
    report = reports.report_issue(portal_city.red)
    return report, report_pdf.report_pdf(report, VERIFY + report.number)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def fonts(pdf: bytes) -> list:
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for name, font in page["/Resources"]["/Font"].items():
            found[name] = font.get_object()
    return list(found.values())


def descriptor(font):
    if font["/Subtype"] == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    return font["/FontDescriptor"].get_object()


def test_text_names_the_subject_its_colour_and_reasons(red_pdf):
    report, pdf = red_pdf
    text = "".join(pages_text(pdf))
    for expected in ("企业信用报告", report.number, "南昌洪都红色食品有限公司", "信用颜色", "红色",
                     "列入严重违法失信名单", "失信被执行人", "限制参加政府采购活动"):  # fmt: skip
        assert expected in text


def test_every_page_says_its_number_and_the_page_count(red_pdf):
    report, pdf = red_pdf
    texts = pages_text(pdf)
    assert len(texts) >= 2
    for number, text in enumerate(texts, start=1):
        assert f"报告编号 {report.number} · 第 {number} 页 / 共 {len(texts)} 页" in text


def test_every_font_is_embedded(red_pdf):
    _, pdf = red_pdf
    used = fonts(pdf)
    assert used
    for font in used:
        assert {"/FontFile2", "/FontFile3"} & set(descriptor(font)), font["/BaseFont"]


def test_the_font_is_the_vendored_subset(red_pdf):
    _, pdf = red_pdf
    assert all("WenQuanYiMicroHei" in font["/BaseFont"] for font in fonts(pdf))


def test_no_character_of_the_report_is_missing_from_the_font(red_pdf):
    _, pdf = red_pdf
    report_pdf._register_fonts()
    covered = report_pdf._covered()
    text = "".join(pages_text(pdf))
    assert "·" in text
    assert [c for c in set(text) if not c.isspace() and ord(c) not in covered] == []


def test_a_character_the_font_lacks_falls_back_instead_of_vanishing(db):
    report_pdf._register_fonts()
    assert report_pdf.markup("南昌𠀀公司") == '南昌<font name="STSong-Light">𠀀</font>公司'
    assert report_pdf.markup("赟&喆") == "赟&amp;喆"  # outside GB2312, inside the subset


def test_vendored_font_carries_its_licence():
    folder = report_pdf.FONT_FILE.parent
    assert report_pdf.FONT_FILE.stat().st_size < 4 * 2**20
    assert "Apache License" in (folder / "LICENSE-Apache-2.0.txt").read_text()


def qr_image(pdf: bytes):
    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1
    return images[0].image.convert("L")


def test_first_page_qr_code_encodes_the_verification_address(red_pdf):
    report, pdf = red_pdf
    image = qr_image(pdf)
    code = segno.make(VERIFY + report.number, error="m", micro=False)
    scale, border = report_pdf.QR_SCALE, 4
    width = len(code.matrix) + 2 * border
    assert image.size == (width * scale, width * scale)
    modules = [
        [int(image.getpixel((scale * (col + border) + scale // 2, scale * (row + border) + scale // 2)) < 128)
         for col in range(len(code.matrix))]
        for row in range(len(code.matrix))
    ]  # fmt: skip
    assert modules == [list(row) for row in code.matrix]


@pytest.mark.skipif(not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="no QR decoder")
def test_printed_qr_code_decodes_to_the_verification_address(red_pdf, tmp_path):
    report, pdf = red_pdf
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", "report.pdf", "page"],
                   cwd=tmp_path, check=True)  # fmt: skip
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True)
    assert decoded.stdout.strip() == VERIFY + report.number


def test_footer_and_qr_caption_are_translated(portal_city):
    from django.utils import translation

    report = reports.report_issue(portal_city.green)
    with translation.override("en"):
        text = "".join(pages_text(report_pdf.report_pdf(report, VERIFY + report.number)))
    assert "Page 1 of" in text
    assert "Scan to verify this report" in text
