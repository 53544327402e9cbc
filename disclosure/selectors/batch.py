"""Batch checks for banks and procurement: up to BATCH_CHECK_MAX_CODES codes or names in, each
subject's public colour out, in input order.

Everything public comes from `selectors.public`; this module only parses what people paste or
upload and matches it set-wise: one query for all codes, one for all names, one for all colours,
whatever the number of entries (a bank checks its whole loan book at once).
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db.models import CharField, F, Lookup, Q, TextField, Value
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from openpyxl import Workbook
from stdnum.cn import uscc as stdnum_uscc

from warning_system.registry.codes import compact_code
from warning_system.sanctions.measures import uses_of
from warning_system.sanctions.selectors import measures_in_effect
from warning_system.spreadsheets import SpreadsheetError as BatchInputError
from warning_system.spreadsheets import csv_lines, safe_cell
from warning_system.spreadsheets import csv_rows as _csv_rows
from warning_system.spreadsheets import header_key as _header_key
from warning_system.spreadsheets import xlsx_rows as _xlsx_rows

from .public import (
    HIGH_CONSUMPTION_BANNED,
    OWN_NAME_Q,
    colours_of,
    looks_like_code,
    public_name,
    public_subjects,
    restriction_label,
)

FOUND, UNKNOWN, INVALID, AMBIGUOUS = "found", "unknown", "invalid", "ambiguous"
STATUS_LABELS = {
    FOUND: gettext_lazy("已查到"),
    UNKNOWN: gettext_lazy("未查到"),
    INVALID: gettext_lazy("代码有误"),
    AMBIGUOUS: gettext_lazy("对应多个主体"),
}
STATUSES = tuple(STATUS_LABELS)

UPLOAD_EXTENSIONS = ("csv", "xlsx")
UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# Headers of the column to read, most precise first: a sheet with both a code and a name column
# is read by code.
CODE_HEADERS = (
    "统一社会信用代码",
    "社会信用代码",
    "信用代码",
    "注册号",
    "组织机构代码",
    "代码",
    "uscc",
    "code",
)
NAME_HEADERS = ("企业名称", "主体名称", "单位名称", "名称", "name")
HEADERS = CODE_HEADERS + NAME_HEADERS
HEADER_SEARCH_ROWS = 5

# Separators between entries typed into the box (full-width forms as Chinese keyboards type them).
_SEPARATORS = re.compile(r"[\r\n\t,;，；]+")
_ORG_CODE = re.compile(r"^[0-9A-Z]{8}[0-9X]$")
_REGISTRATION_NUMBER = re.compile(r"^[0-9]{15}$")

CSV_COLUMNS = (
    gettext_lazy("输入"),
    gettext_lazy("状态"),
    gettext_lazy("统一社会信用代码"),
    gettext_lazy("名称"),
    gettext_lazy("颜色"),
    gettext_lazy("原因"),
    gettext_lazy("限制措施"),
    gettext_lazy("查询日期"),
    gettext_lazy("备注"),
)


# --------------------------------------------------------------------------- parsing


def _unique(values) -> list[str]:
    """Stripped, non-blank, first occurrence kept, in order."""
    seen: dict[str, None] = {}
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen[value] = None
    return list(seen)


def check_count(entries: list[str]) -> list[str]:
    """The same limit for the page, the downloads and the API: none, or at most the maximum."""
    maximum = settings.BATCH_CHECK_MAX_CODES
    if not entries:
        raise BatchInputError(gettext("没有可查询的代码或名称。"))
    if len(entries) > maximum:
        raise BatchInputError(
            gettext("一次最多查询 %(max)s 条，本次提交了 %(n)s 条，请分批查询。")
            % {"max": f"{maximum:,}", "n": f"{len(entries):,}"}
        )
    return entries


def entries_from_text(text: str) -> list[str]:
    """One entry per line, or separated by commas, tabs or semicolons, as pasted from a sheet."""
    return check_count(_unique(_SEPARATORS.split(text or "")))


def _header_row(rows: list[list[str]]) -> tuple[int, int] | None:
    """(row, column) of the best known header among the first rows (a title may sit above it)."""
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [_header_key(cell) for cell in row]
        for name in HEADERS:
            if name in keys:
                return position, keys.index(name)
    return None


def _column(rows: list[list[str]]) -> list[str]:
    """The column headed like a code or a name (codes preferred), else the first one. Without a
    known header, a first row is skipped only when it is plainly one: text above a column of codes."""
    if not rows:
        return []
    found = _header_row(rows)
    if found:
        position, index = found
        return [row[index] for row in rows[position + 1 :] if index < len(row)]
    first = [row[0] if row else "" for row in rows]
    rest = [value for value in first[1:] if value.strip()]
    codes_below = sum(1 for value in rest if _code_shaped(value))
    if first[0].strip() and not _code_shaped(first[0]) and rest and codes_below * 2 > len(rest):
        return first[1:]
    return first


def entries_from_upload(name: str, data: bytes) -> list[str]:
    """Entries of an uploaded .csv or .xlsx file: one column, header row skipped."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise BatchInputError(gettext("仅支持 .csv 和 .xlsx 文件（.xls 请另存为 .xlsx）。"))
    if len(data) > UPLOAD_MAX_BYTES:
        raise BatchInputError(
            gettext("文件过大（最大 %(mb)s MB），请只保留代码或名称一列。")
            % {"mb": UPLOAD_MAX_BYTES // 2**20}
        )
    rows = _csv_rows(data) if extension == "csv" else _xlsx_rows(data)
    entries = _unique(_column(rows))
    if not entries:
        raise BatchInputError(gettext("文件中没有可查询的代码或名称。"))
    return check_count(entries)


# --------------------------------------------------------------------------- checking


@dataclass
class BatchRow:
    entry: str
    status: str
    uscc: str | None = None
    name: str | None = None
    colour: str | None = None
    colour_label: str | None = None
    reasons: list[str] = field(default_factory=list)
    restrictions: list[str] = field(default_factory=list)
    restriction_labels: list[str] = field(default_factory=list)
    candidates: list[str] = field(default_factory=list)  # USCCs of an ambiguous name
    note: str = ""
    checked_on: date | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def as_dict(self) -> dict:
        return {
            "entry": self.entry,
            "status": self.status,
            "status_label": self.status_label,
            "uscc": self.uscc,
            "name": self.name,
            "colour": self.colour,
            "colour_label": self.colour_label,
            "reasons": list(self.reasons),
            "restrictions": list(self.restrictions),
            "restriction_labels": list(self.restriction_labels),
            "candidates": list(self.candidates),
            "note": self.note,
            "checked_on": self.checked_on.isoformat() if self.checked_on else None,
        }


@dataclass
class BatchResult:
    rows: list[BatchRow]
    checked_on: date
    counts: dict[str, int]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in a fixed order, for the summary line."""
        return [(status, str(STATUS_LABELS[status]), self.counts[status]) for status in STATUSES]

    @property
    def entries(self) -> list[str]:
        return [row.entry for row in self.rows]


def _code_shaped(value: str) -> bool:
    """Typed as a code (of a code's length, or ASCII with digits), not a name: a name is matched,
    a code validated."""
    code = compact_code(value)
    return looks_like_code(code) or (code.isascii() and any(c.isdigit() for c in code))


def _code_problem(code: str) -> str:
    """Why a code-shaped entry cannot be a code, or "" if it is well formed."""
    if len(code) == 18:
        return "" if stdnum_uscc.is_valid(code) else gettext("统一社会信用代码校验不通过")
    if len(code) == 15:
        return "" if _REGISTRATION_NUMBER.match(code) else gettext("注册号应为 15 位数字")
    if len(code) == 9:
        return "" if _ORG_CODE.match(code) else gettext("组织机构代码格式不正确")
    return gettext("代码应为 18 位统一社会信用代码、15 位注册号或 9 位组织机构代码")


class _AnyOf(Lookup):
    """`column = ANY(array)`: one parameter however many values. An IN list of 10,000 placeholders
    costs more to build, send and parse than the query costs to run."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def _any_of(column: str, values, base_field=None) -> _AnyOf:
    array = ArrayField(base_field or CharField())
    return _AnyOf(F(column), Value(sorted(values), output_field=array))


def _by_code(codes: set[str]) -> dict[str, list[tuple[str, str]]]:
    """code -> [(uscc, name)] of the public subjects it names, in one query."""
    if not codes:
        return {}
    columns = {18: "uscc", 15: "registration_number", 9: "organization_code"}
    condition = Q()
    for length, column in columns.items():
        values = [code for code in codes if len(code) == length]
        if values:
            condition |= Q(_any_of(column, values))
    rows = (
        public_subjects()
        .filter(condition)
        .order_by("uscc")
        .values_list("uscc", "name", "registration_number", "organization_code", "subject_type",
                     "legal_representative")
    )  # fmt: skip
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for uscc, name, registration_number, organization_code, subject_type, operator in rows:
        for code in (uscc, registration_number, organization_code):
            if code in codes:
                found[code].append((uscc, public_name(name, subject_type, operator)))
    return found


def _by_name(names: set[str]) -> dict[str, list[tuple[str, str]]]:
    """name -> [(uscc, name)] of the public subjects with exactly that name, in one query. An
    individual business named after its operator is found by code only (public.disclose_subject)."""
    if not names:
        return {}
    rows = public_subjects().filter(_any_of("name", names, TextField())).exclude(OWN_NAME_Q).order_by("uscc")
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for uscc, name in rows.values_list("uscc", "name"):
        found[name].append((uscc, name))
    return found


def check_entries(entries: list[str], day: date | None = None) -> BatchResult:
    """One row per entry, in input order, in three queries whatever the number of entries."""
    check_count(entries)
    checked_on = day or timezone.localdate()
    keys: list[tuple[str, str]] = []  # (kind, key): code | name | invalid
    for entry in entries:
        text = (entry or "").strip()
        if _code_shaped(text):
            code = compact_code(text)
            problem = _code_problem(code)
            keys.append(("invalid", problem) if problem else ("code", code))
        elif text:
            keys.append(("name", text))
        else:
            keys.append(("invalid", gettext("空白")))
    matches = {
        "code": _by_code({key for kind, key in keys if kind == "code"}),
        "name": _by_name({key for kind, key in keys if kind == "name"}),
    }
    usccs = {
        subjects[0][0] for found in matches.values() for subjects in found.values() if len(subjects) == 1
    }
    colours = colours_of(sorted(usccs))

    not_found = gettext("未找到公示的市场主体")
    in_force = uses_of(measures_in_effect(timezone.localdate()))  # as restriction_flags reads them
    restriction_labels = {flag: restriction_label(flag) for flag in (*in_force, HIGH_CONSUMPTION_BANNED)}
    rows = []
    for entry, (kind, key) in zip(entries, keys, strict=True):
        if kind == "invalid":
            rows.append(BatchRow(entry, INVALID, note=key, checked_on=checked_on))
            continue
        subjects = matches[kind].get(key, [])
        if not subjects:
            rows.append(BatchRow(entry, UNKNOWN, note=not_found, checked_on=checked_on))
        elif len(subjects) > 1:
            candidates = [uscc for uscc, _ in subjects]
            note = gettext("对应 %(n)s 个主体：%(usccs)s，请改用统一社会信用代码查询") % {
                "n": len(candidates),
                "usccs": gettext("、").join(candidates),
            }
            rows.append(BatchRow(entry, AMBIGUOUS, candidates=candidates, note=note, checked_on=checked_on))
        else:
            uscc, name = subjects[0]
            colour = colours[uscc]
            restrictions = colour.restrictions
            rows.append(
                BatchRow(
                    entry,
                    FOUND,
                    uscc=uscc,
                    name=name,
                    colour=colour.colour,
                    colour_label=colour.label,
                    reasons=[reason.label for reason in colour.reasons],
                    restrictions=restrictions,
                    restriction_labels=[restriction_labels.get(r, r) for r in restrictions],
                    checked_on=checked_on,
                )
            )
    counts = Counter(row.status for row in rows)
    return BatchResult(rows, checked_on, {status: counts.get(status, 0) for status in STATUSES})


# --------------------------------------------------------------------------- exports


def _table(result: BatchResult) -> list[list[str]]:
    separator = gettext("；")
    table = [[str(column) for column in CSV_COLUMNS]]
    for row in result.rows:
        table.append(
            [
                safe_cell(row.entry),
                row.status_label,
                row.uscc or "",
                safe_cell(row.name or ""),
                row.colour_label or "",
                safe_cell(separator.join(row.reasons)),
                separator.join(row.restriction_labels),
                result.checked_on.isoformat(),
                safe_cell(row.note),
            ]
        )
    return table


def to_csv(result: BatchResult) -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Chinese text correctly."""
    return "".join(csv_lines(_table(result))).encode("utf-8")


def to_xlsx(result: BatchResult) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(gettext("批量查询"))
    for row in _table(result):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download_name(result: BatchResult, extension: str) -> str:
    return gettext("批量查询-%(day)s.%(ext)s") % {
        "day": result.checked_on.strftime("%Y%m%d"),
        "ext": extension,
    }
