"""The demo city's tables — places, names, industries, violations, licences — read from data files.

Why: the tables are what a reviewer checks against the real city (a road, a legal basis, a
licence number's format) and what a contributor extends; as JSON beside the code they are
read and edited without reading the generator. Each file is read once per process, the first
time a module asks for it. The files are found by path relative to this module (the project
runs from its source tree), and `data/README.md` says what each holds.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def table(name: str) -> dict:
    """The parsed contents of `data/<name>.json` (shared: callers must not change it)."""
    with open(DATA_DIR / f"{name}.json", encoding="utf-8") as f:
        return json.load(f)


def tuples(rows: list) -> tuple:
    """Rows of a table as tuples, the way the generator indexes, unpacks and hashes them."""
    return tuple(tuple(row) for row in rows)
