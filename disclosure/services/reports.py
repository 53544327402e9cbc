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
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

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
