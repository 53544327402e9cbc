"""Cells and CSV for the portal's downloads (colour lists, batch checks), as Excel reads them."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

# Spreadsheets run text starting with these as formulas (CSV injection): such cells are written as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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
