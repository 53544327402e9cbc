"""The registry's own reference data the city is built on: departments, districts, the catalogue.

Why: these are the files the collectors and the colour rules read too (registry contract
reference data), so the city uses exactly the departments, kinds, district codes and
post-licence catalogue the system knows — never a copy that could drift from them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from warning_system.registry import contract

REFERENCE_DIR = Path(contract.__file__).resolve().parent / "reference"


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    uscc: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class CatalogEntry:
    keywords: tuple[str, ...]
    licence: str
    department: str


def load_departments() -> list[Department]:
    with open(REFERENCE_DIR / "departments.csv", encoding="utf-8-sig", newline="") as f:
        return [
            Department(row["code"], row["name"], row["uscc"], tuple(k for k in row["kinds"].split(";") if k))
            for row in csv.DictReader(f)
        ]


def load_districts() -> list[tuple[str, str]]:
    with open(REFERENCE_DIR / "districts.csv", encoding="utf-8-sig", newline="") as f:
        return [(row["code"], row["name"]) for row in csv.DictReader(f)]


def load_catalog() -> list[CatalogEntry]:
    with open(REFERENCE_DIR / "post_licence_catalog.csv", encoding="utf-8-sig", newline="") as f:
        return [
            CatalogEntry(
                tuple(k for k in row["scope_keywords"].split(";") if k),
                row["licence"],
                row["department_code"],
            )
            for row in csv.DictReader(f)
        ]
