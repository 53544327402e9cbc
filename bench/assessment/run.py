"""Benchmark: `month_assess` over a large city, without changing its database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ingest .venv/bin/python bench/assessment/run.py

Reads the scratch database `make bench-ingest` leaves (100,000 subjects, 1.24 M records) and
never migrates or writes it: the assessment's own tables are created as session TEMPORARY tables
(they shadow the real names and vanish with the connection), so the database may be one whose
migrations predate the assessment. Assesses the month the city was ingested in (every record
arrives in it: the heaviest month there is, with the most findings) and the month before (no
arrivals: what a scan of every kind's table costs by itself), then prints the timings as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warning_system.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_ingest")
os.environ["REDIS_URL"] = ""
# With DEBUG off the settings refuse to load without secrets; a benchmark's database is scratch.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ.setdefault("AUDIT_CHAIN_KEY", "bench-only-audit-chain-key-0123456789")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from supervision.models import AssessmentFinding, AssessmentPolicy, DepartmentMonthScore  # noqa: E402
from supervision.services.assessment import month_assess, previous_month  # noqa: E402
from warning_system.registry.models import RECORD_MODELS  # noqa: E402


def temporary_tables() -> None:
    """The score and finding tables as TEMPORARY tables of this session (no foreign keys)."""
    with connection.schema_editor() as editor:
        for model in (DepartmentMonthScore, AssessmentFinding):
            sql, params = editor.table_sql(model)
            editor.execute(sql.replace("CREATE TABLE", "CREATE TEMPORARY TABLE", 1), params)
        editor.deferred_sql.clear()  # the foreign keys and indexes: not for temporary tables


def main() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(received_at) FROM registry_annual_report")
        latest = cursor.fetchone()[0]
    if latest is None:
        print("the database holds no records: run `make bench-ingest` first", file=sys.stderr)
        return 1
    records = sum(model.objects.count() for model in RECORD_MODELS.values())
    temporary_tables()
    policy = AssessmentPolicy(pk=1, version=1)  # the defaults, never saved
    bulk = timezone.localtime(latest).date().replace(day=1)
    figures = {"records": records}
    for label, month in (("bulk_month", bulk), ("quiet_month", previous_month(bulk))):
        started = time.perf_counter()
        month_assess(month.year, month.month, policy=policy)
        figures[f"{label}"] = month.strftime("%Y-%m")
        figures[f"{label}_seconds"] = round(time.perf_counter() - started, 2)
        figures[f"{label}_findings"] = AssessmentFinding.objects.filter(score__month=month).count()
        figures[f"{label}_received"] = sum(
            DepartmentMonthScore.objects.filter(month=month).values_list("received", flat=True)
        )
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
