"""Spreadsheets people upload and download (batch checks of the portal and the workspace): reading
CSV and XLSX as Chinese offices save them, and writing cells and CSV as Excel reads them.

In the core because both outer apps read uploads the same way and neither may import the other.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from warning_system.screening import IN_TEXT

# Spreadsheets run text starting with these as formulas (CSV injection): such cells are written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(ValueError):
    """What was uploaded cannot be read; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --------------------------------------------------------------------------- reading


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode text”), else GB18030 as
    Chinese Excel saves CSV."""
    encodings = ("utf-16",) if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(gettext("无法识别文件的编码，请保存为 UTF-8 或 GBK 编码的 CSV 文件。"))


def _screened(row: list[str], line: int) -> list[str]:
    """A row without control characters (tab and line breaks aside): a NUL cannot even be looked up in
    PostgreSQL, and none of them belongs in a code or a name."""
    if any(IN_TEXT.search(cell) for cell in row):
        raise SpreadsheetError(
            gettext("文件第 %(line)s 行含有控制字符（如 NUL），请删除后重新上传。") % {"line": line}
        )
    return row


def csv_rows(data: bytes) -> list[list[str]]:
    """The non-empty rows of a CSV file, its delimiter (comma, tab, semicolon) sniffed."""
    text = decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        return [_screened(row, reader.line_num) for row in reader if row]
    except csv.Error as exc:
        raise SpreadsheetError(gettext("无法读取 CSV 文件：%(error)s") % {"error": exc}) from None


def cell_text(value) -> str:
    """Cells as typed: a number Excel stored (a registration number) without “.0”."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_rows(data: bytes) -> list[list[str]]:
    """The non-empty rows of the first sheet, as text."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows = [
                (line, [cell_text(v) for v in row])
                for line, row in enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(row)
            ]
        finally:
            workbook.close()
    # openpyxl fails on a damaged or foreign file in many ways (zip, XML, missing parts): all mean
    # the same to the user.
    except Exception:
        raise SpreadsheetError(gettext("无法读取 Excel 文件，请确认文件为 .xlsx 格式且未损坏。")) from None
    return [_screened(row, line) for line, row in rows]


def header_key(cell: str) -> str:
    """“统一社会信用代码（必填）*” -> “统一社会信用代码”: a header as people decorate it, compared plainly."""
    return re.sub(r"[（(][^）)]*[）)]|[\s*＊:：]", "", cell).lower()


# --------------------------------------------------------------------------- writing


def safe_cell(value: str | None) -> str:
    """A cell a spreadsheet shows as typed: never run as a formula, no control characters."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    """csv.writer writes into this and gets the line back, so rows stream one by one."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV lines (CRLF) after a BOM: Excel opens UTF-8 as UTF-8 only with it. Cells are made safe."""
    yield "\ufeff"
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
