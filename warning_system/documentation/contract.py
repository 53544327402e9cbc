"""The generated tables of docs/feeds.md, from the contract as the collectors read it.

Every table here is derived from `warning_system.registry.contract` (kinds, fields, header
spellings, enums), `choices.QuarantineReason` and the reference data the city loads, so the document
a department reads and the parser that reads its files cannot disagree.
"""

from __future__ import annotations

import csv
import re

from django.utils import translation
from django.utils.translation import gettext

from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason
from warning_system.registry.services import REFERENCE_DIR

from .blocks import Document, table

FEEDS = Document("docs/feeds.md", "contract", "python manage.py document_contract")

# 双公示 field codes: upper-case ASCII words joined by underscores (XK_XDR_MC, CF_CFJG, BZ).
SHUANG_GONGSHI_CODE = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$")

TYPE_NAMES = {
    contract.TEXT: "text",
    contract.DATE: "date",
    contract.OPEN_DATE: "date, or 长期 / 永久 (no end)",
    contract.DATETIME: "date-time (China time unless a zone is given)",
    contract.AMOUNT: "amount in 万元",
    contract.INT: "whole number",
    contract.ENUM: "one of [`{enum}`](#enum-{anchor})",
    contract.MULTI_ENUM: "one or more of [`{enum}`](#enum-{anchor})",
    contract.BOOL: "是 / 否",
    contract.USCC: "USCC (18 characters)",
    contract.ORG_CODE: "organisation code (9 characters)",
    contract.REG_NUMBER: "registration number (15 digits)",
}


def english(label: str) -> str:
    with translation.override("en"):
        return gettext(label)


def spellings(f: contract.Field) -> tuple[str, str, list[str]]:
    """(双公示 code, Chinese label, other accepted header spellings) of a field."""
    code = next((a for a in f.aliases if SHUANG_GONGSHI_CODE.match(a)), "")
    label = next((a for a in f.aliases if not a.isascii()), "")
    others = [a for a in f.aliases if a not in (code, label)]
    return code, label, others


def type_name(f: contract.Field) -> str:
    if f.key == "record_id":
        return f"text, at most {contract.RECORD_ID_MAX_LENGTH} characters"
    name = TYPE_NAMES[f.type].format(enum=f.enum, anchor=(f.enum or "").replace("_", "-"))
    if f.length_limit:
        return f"{name}, at most {f.length_limit:,} characters"
    if f.event:
        return f"{name}, not in the future nor before 1949-10-01"
    return name


def kinds_block() -> str:
    rows = []
    for kind in contract.KINDS.values():
        subject = (
            "`uscc` (required)"
            if kind.by_key.get("uscc") and kind.by_key["uscc"].required
            else " or ".join(f"`{key}`" for key in kind.subject_keys)
        )
        rows.append(
            [
                f"[`{kind.key}`](#kind-{kind.key.replace('_', '-')})",
                kind.label,
                english(kind.label),
                len(kind.fields),
                subject,
                ", ".join(f"`{f.key}`" for f in kind.personal_fields) or "—",
            ]
        )
    return table(
        ["kind", "名称", "English", "fields", "names its subject by", "personal (never public)"], rows
    )


def fields_block() -> str:
    parts = []
    for kind in contract.KINDS.values():
        parts.append(f'<a id="kind-{kind.key.replace("_", "-")}"></a>\n\n#### `{kind.key}` — {kind.label}')
        notes = []
        if kind.ordered_dates:
            pairs = ", ".join(f"`{end}` not before `{start}`" for start, end in kind.ordered_dates)
            notes.append(f"Checked: {pairs}.")
        if kind.key == "registration":
            notes.append("The subject's name is `name`; the header `subject_name` is accepted for it.")
        if notes:
            parts.append(" ".join(notes))
        rows = []
        for f in kind.fields:
            code, label, others = spellings(f)
            rows.append(
                [
                    f"`{f.key}`",
                    f"`{code}`" if code else "",
                    label,
                    ", ".join(others),
                    type_name(f),
                    "yes" if f.required else "",
                    "**P**" if f.personal else "",
                ]
            )
        parts.append(
            table(["key", "双公示 code", "中文 label", "also accepted", "type", "required", "personal"], rows)
        )
    return "\n\n".join(parts)


def enum_users() -> dict[str, list[str]]:
    users: dict[str, list[str]] = {name: [] for name in contract.ENUMS}
    for kind in contract.KINDS.values():
        for f in kind.fields:
            if f.enum and f.key != "op":
                users[f.enum].append(f"`{kind.key}.{f.key}`")
    users["op"] = ["`op` of every record"]
    return users


def enums_block() -> str:
    parts = []
    users = enum_users()
    for name, codes in contract.ENUMS.items():
        parts.append(f'<a id="enum-{name.replace("_", "-")}"></a>\n\n#### `{name}`')
        used_by = users.get(name) or []
        if used_by:
            parts.append("Used by " + ", ".join(used_by) + ".")
        rows = [[f"`{code}`", " · ".join(spelled) or "—"] for code, spelled in codes.items()]
        parts.append(table(["code (stored)", "also accepted"], rows))
    return "\n\n".join(parts)


def quarantine_block() -> str:
    rows = [
        [f"`{reason.value}`", str(reason.label), english(str(reason.label))] for reason in QuarantineReason
    ]
    return table(["reason", "中文", "English"], rows)


def departments_block() -> str:
    with open(REFERENCE_DIR / "departments.csv", encoding="utf-8", newline="") as stream:
        rows = [
            [f"`{row['code']}`", row["name"], ", ".join(f"`{k.strip()}`" for k in row["kinds"].split(";"))]
            for row in csv.DictReader(stream)
        ]
    return table(["code (inbox folder)", "department", "kinds it sends"], rows)


def blocks() -> dict[str, str]:
    """Every generated block, in the source language (Chinese labels as the code writes them)."""
    with translation.override(None):
        return {
            "kinds": kinds_block(),
            "fields": fields_block(),
            "enums": enums_block(),
            "quarantine": quarantine_block(),
            "departments": departments_block(),
        }
