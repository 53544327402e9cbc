"""Credit reports (信用报告): what a bank prints about a subject, and how anyone holding a copy checks it.

A report is a snapshot of the public subject page (selectors.public and nothing else) plus the
SHA-256 of its canonical JSON. Verifying re-hashes the stored snapshot (is the report authentic?)
and a fresh snapshot of today (is it still current?), and says what changed in between.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from warning_system.registry.models import Subject

from ..models import CreditReport, Institution
from ..selectors import public

REPORT_TIMEZONE = ZoneInfo("Asia/Shanghai")
# Snapshot labels are always written in the site's language: the digest must not depend on the
# language of whoever issued or verifies the report.
SNAPSHOT_LANGUAGE = settings.LANGUAGE_CODE
SNAPSHOT_VERSION = 1
NUMBER_PREFIX = "XY"
# No 0/O, 1/I/L: numbers are read off paper and typed back in.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER_RANDOM_LENGTH = 8
NUMBER_ATTEMPTS = 5

# The subject basics of a report, in display order: (snapshot key, label).
SUBJECT_FIELDS = (
    ("uscc", "统一社会信用代码"),
    ("name", "名称"),
    ("type", "主体类型"),
    ("legal_representative", "法定代表人"),
    ("registered_capital", "注册资本(万元)"),
    ("established_on", "成立日期"),
    ("status", "登记状态"),
    ("address", "住所"),
)


class ReportError(Exception):
    """A report cannot be issued: the subject is unknown or not public."""


# --------------------------------------------------------------------------- snapshot


def canonical_json(snapshot: dict) -> bytes:
    """The exact bytes the digest covers: key order and spacing fixed, Chinese kept as UTF-8."""
    return json.dumps(snapshot, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def snapshot_digest(snapshot: dict) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


def _text(value: object) -> str:
    """A fact as printed: dates in ISO form, everything else as shown on the subject page."""
    return value.isoformat() if isinstance(value, date) else str(value)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _subject_basics(subject: Subject) -> dict:
    capital = subject.registered_capital
    return {
        "uscc": subject.uscc,
        "name": subject.name,
        "type": str(subject.get_subject_type_display()),
        "legal_representative": subject.legal_representative or None,
        "registered_capital": public.display_amount(capital) if capital is not None else None,
        "established_on": _iso(subject.established_on),
        "status": str(subject.get_status_display()),
        "address": subject.address or None,
    }


def _snapshot(page: public.SubjectPage) -> dict:
    colour = page.colour
    return {
        "version": SNAPSHOT_VERSION,
        "subject": _subject_basics(page.subject),
        "colour": {"colour": colour.colour, "label": colour.label, "since": _iso(colour.since)},
        "reasons": [
            {
                "rule": r.rule,
                "label": r.label,
                "colour": r.colour,
                "colour_label": gettext(str(public.COLOUR_LABELS[r.colour])),
                "ends_on": r.ends_on,
                "repair": r.repair,
            }
            for r in colour.reasons
        ],
        "restrictions": [{"key": key, "label": public.restriction_label(key)} for key in colour.restrictions],
        "consumer_warning": page.complaints.warning,
        "classes": [
            {
                "key": info.key,
                "label": info.label,
                "sections": [
                    {
                        "kind": section.kind,
                        "label": section.label,
                        "records": [
                            {
                                "ref": f"{card.department}/{card.record_id}",
                                "counts_for": card.counts_for,
                                "facts": [[str(label), _text(value)] for label, value in card.facts],
                            }
                            for card in section.records
                        ],
                    }
                    for section in info.sections
                ],
            }
            for info in page.classes
        ],
    }


def report_snapshot(uscc: str, day: date | None = None) -> dict | None:
    """The public content of a report on `day` (today by default); None when no public subject."""
    with translation.override(SNAPSHOT_LANGUAGE):
        page = public.subject_page(uscc, day)
        return _snapshot(page) if page is not None else None


def subject_facts(snapshot: dict) -> list[tuple[str, str | None]]:
    """The subject basics of a snapshot as (label, value) rows, in display order."""
    subject = snapshot["subject"]
    return [(gettext(label), subject.get(key)) for key, label in SUBJECT_FIELDS]


# --------------------------------------------------------------------------- issuing


def new_report_number(day: date) -> str:
    random_part = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(NUMBER_RANDOM_LENGTH))
    return f"{NUMBER_PREFIX}{day:%Y%m%d}-{random_part}"


def normalize_number(number: str) -> str:
    """Numbers as people type them back: surrounding spaces, lower case."""
    return (number or "").strip().upper()


def report_issue(uscc: str, institution: Institution | None = None) -> CreditReport:
    """Snapshot the subject's public page now and store it under a new unique number."""
    issued_at = timezone.now()
    day = timezone.localtime(issued_at, REPORT_TIMEZONE).date()
    snapshot = report_snapshot(uscc, day)
    if snapshot is None:
        raise ReportError(gettext("未找到公示的市场主体：%(uscc)s") % {"uscc": uscc})
    subject = snapshot["subject"]
    attempts_left = NUMBER_ATTEMPTS
    while True:
        try:
            with transaction.atomic():
                return CreditReport.objects.create(
                    number=new_report_number(day),
                    uscc=subject["uscc"],
                    subject_name=subject["name"],
                    colour=snapshot["colour"]["colour"],
                    snapshot=snapshot,
                    digest=snapshot_digest(snapshot),
                    issued_at=issued_at,
                    institution=institution,
                )
        except IntegrityError:
            # Another report drew the same number (odds 1 in 31^8 a day): draw again.
            attempts_left -= 1
            if not attempts_left:
                raise


# --------------------------------------------------------------------------- verification


@dataclass
class Verification:
    """What checking a report number tells its holder."""

    report: CreditReport
    authentic: bool  # the stored snapshot still hashes to the digest issued with it
    current: bool  # today's public content hashes to the same digest
    changes: list[str] = field(default_factory=list)


def _records_by_section(snapshot: dict) -> dict[tuple[str, str], tuple[str, dict[str, list]]]:
    """(class key, kind) -> (section label, ref -> facts)."""
    return {
        (info["key"], section["kind"]): (section["label"], {r["ref"]: r["facts"] for r in section["records"]})
        for info in snapshot.get("classes", [])
        for section in info["sections"]
    }


def _record_changes(old: dict, new: dict) -> list[str]:
    before, after = _records_by_section(old), _records_by_section(new)
    changes = []
    for key in list(before) + [k for k in after if k not in before]:
        label, old_records = before.get(key, (None, {}))
        new_label, new_records = after.get(key, (label, {}))
        added = sum(1 for ref in new_records if ref not in old_records)
        removed = sum(1 for ref in old_records if ref not in new_records)
        updated = sum(1 for ref in new_records if ref in old_records and new_records[ref] != old_records[ref])
        parts = []
        if added:
            parts.append(gettext("新增 %(count)d 条") % {"count": added})
        if removed:
            parts.append(gettext("不再公示 %(count)d 条") % {"count": removed})
        if updated:
            parts.append(gettext("更新 %(count)d 条") % {"count": updated})
        if parts:
            changes.append(
                gettext("%(section)s：%(parts)s")
                % {"section": new_label or label, "parts": gettext("，").join(parts)}
            )
    return changes


def describe_changes(old: dict, new: dict | None) -> list[str]:
    """What differs between a report's snapshot and today's, in words a bank clerk reads."""
    if new is None:
        return [gettext("该主体已不再公示")]
    changes = []
    old_colour, new_colour = old.get("colour", {}), new["colour"]
    if old_colour.get("colour") != new_colour["colour"]:
        changes.append(
            gettext("信用颜色由“%(old)s”变为“%(new)s”")
            % {"old": old_colour.get("label", "—"), "new": new_colour["label"]}
        )
    elif old_colour.get("since") != new_colour["since"]:
        changes.append(gettext("信用颜色的认定日期已更新"))
    old_subject, new_subject = old.get("subject", {}), new["subject"]
    for key, label in SUBJECT_FIELDS:
        if old_subject.get(key) != new_subject.get(key):
            changes.append(
                gettext("%(field)s由“%(old)s”变为“%(new)s”")
                % {
                    "field": gettext(label),
                    "old": old_subject.get(key) or "—",
                    "new": new_subject.get(key) or "—",
                }
            )
    old_reasons = {r["rule"]: r for r in old.get("reasons", [])}
    new_reasons = {r["rule"]: r for r in new["reasons"]}
    for rule, reason in new_reasons.items():
        if rule not in old_reasons:
            changes.append(gettext("新增列入原因：%(reason)s") % {"reason": reason["label"]})
        elif reason != old_reasons[rule]:
            changes.append(gettext("列入原因“%(reason)s”的内容有变化") % {"reason": reason["label"]})
    for rule, reason in old_reasons.items():
        if rule not in new_reasons:
            changes.append(gettext("列入原因已解除：%(reason)s") % {"reason": reason["label"]})
    old_flags = {r["key"]: r["label"] for r in old.get("restrictions", [])}
    new_flags = {r["key"]: r["label"] for r in new["restrictions"]}
    changes += [
        gettext("新增限制：%(label)s") % {"label": v} for k, v in new_flags.items() if k not in old_flags
    ]
    changes += [
        gettext("限制已解除：%(label)s") % {"label": v} for k, v in old_flags.items() if k not in new_flags
    ]
    if old.get("consumer_warning") != new["consumer_warning"]:
        changes.append(gettext("已列入消费警示") if new["consumer_warning"] else gettext("消费警示已解除"))
    changes += _record_changes(old, new)
    return changes or [gettext("公示信息有其他更新")]


def report_verify(number: str) -> Verification | None:
    """Check a report number; None when no report carries it."""
    report = CreditReport.objects.filter(number=normalize_number(number)).first()
    if report is None:
        return None
    authentic = snapshot_digest(report.snapshot) == report.digest
    fresh = report_snapshot(report.uscc)
    current = fresh is not None and snapshot_digest(fresh) == report.digest
    # A snapshot that fails its digest says nothing reliable: there is nothing to compare.
    changes = describe_changes(report.snapshot, fresh) if authentic and not current else []
    return Verification(report, authentic, current, changes)


# --------------------------------------------------------------------------- PDF

PDF_FONT = "STSong-Light"
PDF_COLOURS = {
    "green": ("#e3f9e5", "#0e5814"),
    "yellow": ("#fffbea", "#8d5c00"),
    "orange": ("#fff3e0", "#9c3d00"),
    "red": ("#ffe3e3", "#8a041a"),
}


def _register_font() -> None:
    if PDF_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(PDF_FONT))


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
        ),
        "h3": ParagraphStyle("h3", heading, fontSize=11, leading=16, spaceBefore=8, spaceAfter=4),
        "h4": ParagraphStyle("h4", heading, fontSize=10, leading=14, spaceBefore=4, spaceAfter=3),
        "body": base,
        "label": ParagraphStyle("label", base, textColor=colors.HexColor("#52606d")),
    }


def report_pdf(report: CreditReport, verify_url: str) -> bytes:
    """The report as issued (its stored snapshot) as a PDF. Chinese uses a CID font every PDF
    reader ships with, so nothing is embedded and no font file is needed."""
    _register_font()
    styles = _pdf_styles()
    snapshot = report.snapshot
    width = A4[0] - 36 * mm
    grid = colors.HexColor("#d9e2ec")

    def para(text: object, style: str = "body") -> Paragraph:
        return Paragraph(escape(str(text if text not in (None, "") else "—")), styles[style])

    def facts_table(rows: list, label_width: float = 38 * mm, background: str | None = None) -> Table:
        table = Table(
            [[para(label, "label"), para(value)] for label, value in rows],
            colWidths=[label_width, width - label_width],
        )
        commands = [
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
    story = [
        para(gettext("企业信用报告"), "title"),
        facts_table(
            [
                (gettext("报告编号"), report.number),
                (gettext("出具时间"), f"{issued:%Y-%m-%d %H:%M:%S}（{gettext('北京时间')}）"),
                (gettext("核验地址"), verify_url),
                (gettext("内容摘要(SHA-256)"), report.digest),
            ]
        ),
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
        header = [para(gettext(h), "label") for h in ("原因", "颜色", "有效期至", "信用修复")]
        rows = [
            [
                para(r["label"]),
                para(r["colour_label"]),
                para(r["ends_on"] or gettext("待解除")),
                para(r["repair"]),
            ]
            for r in snapshot["reasons"]
        ]
        table = Table([header, *rows], colWidths=[40 * mm, 18 * mm, 24 * mm, width - 82 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
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

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(PDF_FONT, 8)
        canvas.setFillColor(colors.HexColor("#52606d"))
        text = gettext("报告编号 %(number)s · 第 %(page)d 页") % {"number": report.number, "page": doc.page}
        canvas.drawCentredString(A4[0] / 2, 10 * mm, text)
        canvas.restoreState()

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
    )
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
