"""The credit report as a PDF: the issued snapshot (services.reports) typeset with reportlab.

The Chinese text is set in a vendored subset of WenQuanYi Micro Hei (disclosure/fonts/, Apache-2.0,
made by scripts/subset_report_font.py) and embedded, so the report looks the same in every reader
and on every printer, glyph for glyph: a font the reader is merely told to find (a CID font such
as STSong-Light) is substituted, or drawn as boxes, by readers that lack it, and missed
punctuation such as the footer's "·". A character the subset lacks (a rare ideograph of a
legal name) falls back to that CID font rather than disappearing.

Each page's footer says "第 X 页 / 共 Y 页": pages are drawn once the whole document is laid out,
when their number is known. The first page carries a QR code of the verification address.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from django.utils import timezone
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..models import CreditReport
from .reports import REPORT_TIMEZONE, subject_facts

FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "WenQuanYiMicroHei-Report.ttf"
PDF_FONT = "ReportSans"
FALLBACK_FONT = "STSong-Light"
PDF_COLOURS = {
    "green": ("#e3f9e5", "#0e5814"),
    "yellow": ("#fffbea", "#8d5c00"),
    "orange": ("#fff3e0", "#9c3d00"),
    "red": ("#ffe3e3", "#8a041a"),
}
QR_SIZE = 30 * mm
QR_SCALE = 4  # image pixels per module: crisp when printed, tested module by module
MUTED = "#52606d"
# Tables set their cells' font (Helvetica unless told): the embedded one, so no other font is named.
CELL_FONT = ("FONT", (0, 0), (-1, -1), PDF_FONT, 9.5)


def _register_fonts() -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    if PDF_FONT not in registered:
        pdfmetrics.registerFont(TTFont(PDF_FONT, str(FONT_FILE)))
    if FALLBACK_FONT not in registered:
        pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))


def _covered() -> dict[int, int]:
    return pdfmetrics.getFont(PDF_FONT).face.charToGlyph


def markup(text: str) -> str:
    """`text` escaped for a Paragraph, runs of characters the embedded font lacks set in the
    fallback CID font."""
    covered = _covered()
    out, missing = [], []
    for char in text:
        if ord(char) in covered or char in "\n\t":
            if missing:
                out.append(f'<font name="{FALLBACK_FONT}">{escape("".join(missing))}</font>')
                missing = []
            out.append(escape(char))
        else:
            missing.append(char)
    if missing:
        out.append(f'<font name="{FALLBACK_FONT}">{escape("".join(missing))}</font>')
    return "".join(out)


def _pdf_styles() -> dict:
    base = ParagraphStyle("body", fontName=PDF_FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    heading = ParagraphStyle("heading", base, keepWithNext=1)  # never alone at the foot of a page
    return {
        "title": ParagraphStyle("title", base, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=10),
        "h2": ParagraphStyle(
            "h2",
            heading,
            fontSize=13,
            leading=18,
            spaceBefore=12,
            spaceAfter=6,
            textColor=colors.HexColor("#0b5cad"),
        ),  # fmt: skip
        "h3": ParagraphStyle("h3", heading, fontSize=11, leading=16, spaceBefore=8, spaceAfter=4),
        "h4": ParagraphStyle("h4", heading, fontSize=10, leading=14, spaceBefore=4, spaceAfter=3),
        "body": base,
        "label": ParagraphStyle("label", base, textColor=colors.HexColor(MUTED)),
        "caption": ParagraphStyle(
            "caption", base, fontSize=7.5, leading=10, alignment=TA_CENTER, textColor=colors.HexColor(MUTED)
        ),  # fmt: skip
    }


def qr_png(url: str) -> bytes:
    """The verification address as a QR code (error correction M, 4-module quiet zone)."""
    buffer = BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=QR_SCALE, border=4)
    return buffer.getvalue()


def footer_text(number: str, page: int, pages: int) -> str:
    return gettext("报告编号 %(number)s · 第 %(page)d 页 / 共 %(pages)d 页") % {
        "number": number,
        "page": page,
        "pages": pages,
    }


def _numbered_canvas(number: str) -> type[pdf_canvas.Canvas]:
    """A canvas that holds its pages until the end, then draws each footer with the page count."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for position, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.saveState()
                self.setFont(PDF_FONT, 8)
                self.setFillColor(colors.HexColor(MUTED))
                self.drawCentredString(A4[0] / 2, 10 * mm, footer_text(number, position, total))
                self.restoreState()
                super().showPage()
            super().save()

    return NumberedCanvas


def report_pdf(report: CreditReport, verify_url: str) -> bytes:
    """The report as issued (its stored snapshot) as a PDF, its font embedded."""
    _register_fonts()
    styles = _pdf_styles()
    snapshot = report.snapshot
    width = A4[0] - 36 * mm
    grid = colors.HexColor("#d9e2ec")

    def para(text: object, style: str = "body") -> Paragraph:
        return Paragraph(markup(str(text if text not in (None, "") else "—")), styles[style])

    def facts_table(rows: list, label_width: float = 38 * mm, background: str | None = None,
                    table_width: float = width) -> Table:  # fmt: skip
        table = Table(
            [[para(label, "label"), para(value)] for label, value in rows],
            colWidths=[label_width, table_width - label_width],
        )
        commands = [
            CELL_FONT,
            ("GRID", (0, 0), (-1, -1), 0.5, grid),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f5f7fa")),
        ]
        if background:
            commands.append(("BACKGROUND", (1, 0), (1, -1), colors.HexColor(background)))
        table.setStyle(TableStyle(commands))
        return table

    issued = timezone.localtime(report.issued_at, REPORT_TIMEZONE)
    colour = snapshot["colour"]
    qr_width = QR_SIZE + 4 * mm
    header_facts = facts_table(
        [
            (gettext("报告编号"), report.number),
            (gettext("出具时间"), f"{issued:%Y-%m-%d %H:%M:%S}（{gettext('北京时间')}）"),
            (gettext("核验地址"), verify_url),
            (gettext("内容摘要(SHA-256)"), report.digest),
        ],
        label_width=34 * mm,
        table_width=width - qr_width,
    )
    qr = Image(BytesIO(qr_png(verify_url)), width=QR_SIZE, height=QR_SIZE)
    header = Table(
        [[header_facts, [qr, para(gettext("扫码核验本报告"), "caption")]]],
        colWidths=[width - qr_width, qr_width],
    )
    header.setStyle(TableStyle([CELL_FONT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "RIGHT")]))  # fmt: skip
    story = [
        para(gettext("企业信用报告"), "title"),
        header,
        para(gettext("一、主体基本信息"), "h2"),
        facts_table(subject_facts(snapshot)),
        para(gettext("二、信用颜色"), "h2"),
        facts_table(
            [
                (gettext("信用颜色"), colour["label"]),
                (gettext("认定日期"), colour.get("since")),
                (
                    gettext("联合惩戒措施"),
                    gettext("；").join(r["label"] for r in snapshot["restrictions"]) or gettext("无"),
                ),
            ]
            + (
                [(gettext("消费警示"), gettext("已列入消费警示"))] if snapshot.get("consumer_warning") else []
            ),
            background=PDF_COLOURS.get(colour["colour"], ("#ffffff",))[0],
        ),
    ]
    if snapshot["reasons"]:
        story.append(para(gettext("列入原因"), "h3"))
        head = [para(gettext(h), "label") for h in ("原因", "颜色", "有效期至", "信用修复")]
        rows = [
            [
                para(r["label"]),
                para(r["colour_label"]),
                para(r["ends_on"] or gettext("待解除")),
                para(r["repair"]),
            ]
            for r in snapshot["reasons"]
        ]
        table = Table([head, *rows], colWidths=[40 * mm, 18 * mm, 24 * mm, width - 82 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    CELL_FONT,
                    ("GRID", (0, 0), (-1, -1), 0.5, grid),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f5f7fa")),
                ]
            )
        )
        story.append(table)
    else:
        story.append(para(gettext("无列入原因。")))
    # Headings travel with the first record under them (keepWithNext cannot reach into a KeepTogether).
    headings = [para(gettext("三、公示信息"), "h2")]
    for info in snapshot["classes"]:
        headings.append(para(info["label"], "h3"))
        if not info["sections"]:
            story += [*headings, para(gettext("无"))]
            headings = []
        for section in info["sections"]:
            count = len(section["records"])
            headings.append(
                para(
                    gettext("%(section)s（%(count)d 条）") % {"section": section["label"], "count": count},
                    "h4",
                )
            )
            for record in section["records"]:
                story.append(KeepTogether([*headings, facts_table(record["facts"]), Spacer(1, 3 * mm)]))
                headings = []
    story += [
        para(gettext("说明"), "h2"),
        para(
            gettext(
                "本报告依据本系统公示的信息生成，内容以出具时为准。报告不包含身份证件号码、联系电话、"
                "投诉人等个人信息。"
            )
        ),
        para(
            gettext(
                "核验方式：访问 %(url)s ，或在核验页面输入报告编号，可确认报告真伪及出具后信息是否有变化。"
            )
            % {"url": verify_url}
        ),
    ]

    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=gettext("企业信用报告 %(number)s") % {"number": report.number},
        author=gettext("企业监管警示系统"),
        subject=report.subject_name,
        # Pages start in the embedded font, not in Helvetica (a font the PDF would not carry).
        initialFontName=PDF_FONT,
        initialFontSize=9.5,
    )
    document.build(story, canvasmaker=_numbered_canvas(report.number))
    return buffer.getvalue()
