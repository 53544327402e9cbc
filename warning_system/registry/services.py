"""Writes of the registry that are not record loading (see `loading.py` for that)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction

from warning_system import jobs

from .models import Department, District, PostLicenceCatalogEntry

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
MULTI = ";"


@dataclass
class ReferenceCounts:
    departments: int
    districts: int
    catalogue_entries: int


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


@transaction.atomic
def reference_data_load(*, folder: Path = REFERENCE_DIR) -> ReferenceCounts:
    """Load departments, districts and (once) the post-licence catalogue; running it again changes nothing."""
    departments = _rows(folder / "departments.csv")
    for row in departments:
        Department.objects.update_or_create(
            code=row["code"].strip(),
            defaults={
                "name": row["name"].strip(),
                "uscc": row["uscc"].strip(),
                "kinds": [k.strip() for k in row["kinds"].split(MULTI) if k.strip()],
            },
        )
    districts = _rows(folder / "districts.csv")
    for row in districts:
        District.objects.update_or_create(code=row["code"].strip(), defaults={"name": row["name"].strip()})
    catalogue = _rows(folder / "post_licence_catalog.csv")
    # The catalogue is the city's to edit (the workspace versions every change): seed it once, never overwrite.
    if not PostLicenceCatalogEntry.objects.exists():
        PostLicenceCatalogEntry.objects.bulk_create(
            PostLicenceCatalogEntry(
                licence=row["licence"].strip(),
                department_id=row["department_code"].strip(),
                scope_keywords=[k.strip() for k in row["scope_keywords"].split(MULTI) if k.strip()],
                legal_basis=row["legal_basis"].strip(),
            )
            for row in catalogue
        )
    return ReferenceCounts(len(departments), len(districts), len(catalogue))


# Sorted, so that two transactions marking overlapping subjects lock them in the same order.
_MARK = """
INSERT INTO registry_evaluationmark (uscc)
SELECT DISTINCT u FROM unnest(%s::text[]) AS u WHERE u IS NOT NULL ORDER BY 1
ON CONFLICT (uscc) DO UPDATE SET seq = nextval('registry_evaluationmark_seq'), marked_at = now()
"""


def subjects_mark_for_evaluation(*, usccs: Iterable[str]) -> int:
    """Mark subjects whose records changed, in the caller's transaction (the evaluation outbox).

    Whatever stores, changes or withdraws a record calls this before it commits; the colour
    engine's drainer evaluates and clears the marks. A mark already waiting gets a new `seq`, so
    a drain that read the old one before this change leaves it in place.
    """
    usccs = [u for u in set(usccs) if u]
    if not usccs:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_MARK, [usccs])
        return cursor.rowcount


SEARCH_NAMES_BATCH = 5_000
SEARCH_NAMES_JOB = "registry.search_names_refresh"
_STALE_SEARCH_NAMES = """
SELECT s.uscc, s.name FROM registry_subject s
LEFT JOIN registry_subjectsearchname n ON n.uscc = s.uscc
WHERE n.uscc IS NULL OR n.name <> s.name
ORDER BY s.uscc LIMIT %s
"""
_STORE_SEARCH_NAMES = """
INSERT INTO registry_subjectsearchname AS n (uscc, name, initials, syllables, pinyin)
SELECT uscc, name, initials, syllables, pinyin FROM stage_search_name ORDER BY uscc
ON CONFLICT (uscc) DO UPDATE SET name = EXCLUDED.name, initials = EXCLUDED.initials,
    syllables = EXCLUDED.syllables, pinyin = EXCLUDED.pinyin
"""


def search_names_refresh(*, limit: int | None = None) -> int:
    """Spell in pinyin the names of subjects that have no spelling yet or were renamed; returns how
    many. Batch by batch, each committed, so a long first run (a bulk load) keeps its progress."""
    from .pinyin import spell

    done = 0
    while limit is None or done < limit:
        batch = SEARCH_NAMES_BATCH if limit is None else min(SEARCH_NAMES_BATCH, limit - done)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_STALE_SEARCH_NAMES, [batch])
            rows = cursor.fetchall()
            if not rows:
                break
            cursor.execute("DROP TABLE IF EXISTS stage_search_name")
            cursor.execute(
                "CREATE TEMPORARY TABLE stage_search_name (uscc text, name text, initials text, syllables text,"
                " pinyin text) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY stage_search_name FROM STDIN") as copy:
                for uscc, name in rows:
                    spelling = spell(name)
                    copy.write_row(
                        (uscc, name, spelling.initials, " ".join(spelling.syllables), spelling.pinyin)
                    )
            cursor.execute(_STORE_SEARCH_NAMES)
        done += len(rows)
    return done


def search_names_request_refresh() -> None:
    """Spell the new and renamed names once the caller's transaction commits (in-process without a
    broker, on a worker with one); beat does it every five minutes as well."""
    jobs.enqueue_on_commit(SEARCH_NAMES_JOB)
