"""What the health endpoint and the metrics read: counts and moments only, never a record, a name
or an address. Each is one aggregate query, cheap enough for a scrape every 15 seconds."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Max, Sum

from warning_system.classification.models import ColourVerification
from warning_system.registry.choices import QuarantineStatus, RunStatus
from warning_system.registry.models import EvaluationMark, IngestRun, QuarantinedRecord


def evaluation_backlog() -> int:
    return EvaluationMark.objects.count()


def last_ingest_by_department() -> dict[str, datetime]:
    """Each department's newest successful ingest run (file, push or pull), by department code."""
    rows = (
        IngestRun.objects.filter(status=RunStatus.SUCCEEDED, department__isnull=False)
        .values("department__code")
        .annotate(last=Max("finished_at"))
    )
    return {row["department__code"]: row["last"] for row in rows if row["last"] is not None}


def records_by_department_and_kind() -> list[dict]:
    """Records stored (inserted or updated) and quarantined, summed over every run."""
    return list(
        IngestRun.objects.filter(department__isnull=False)
        .values("department__code", "kind")
        .annotate(stored=Sum(F("inserted") + F("updated")), quarantined=Sum("quarantined"))
        .order_by("department__code", "kind")
    )


def open_quarantine_by_department_and_kind() -> list[dict]:
    return list(
        QuarantinedRecord.objects.filter(status=QuarantineStatus.OPEN)
        .values("department__code", "kind")
        .annotate(open=Count("id"))
        .order_by("department__code", "kind")
    )


def runs_by_department_and_status() -> list[dict]:
    return list(
        IngestRun.objects.values("department__code", "status")
        .annotate(runs=Count("id"))
        .order_by("department__code", "status")
    )


def latest_verification() -> ColourVerification | None:
    return ColourVerification.objects.order_by("-started_at").only("started_at", "differing", "fixed").first()
