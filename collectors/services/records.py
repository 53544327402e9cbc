"""Records from any channel: normalise, quarantine what is wrong with its reasons, store the rest.

Every channel ends in `items_ingest`. The loader marks the subjects whose records changed for
evaluation in the same transaction (the outbox), so their colours follow even if this process
dies right after committing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from warning_system.classification.services import evaluations_request_drain
from warning_system.registry import contract
from warning_system.registry.choices import Channel, QuarantineStatus, RunStatus
from warning_system.registry.loading import Outcome, RecordLoader
from warning_system.registry.models import Department, QuarantinedRecord
from warning_system.registry.services import search_names_request_refresh
from warning_system.registry.text import storable, storable_text

from ..normalize import RecordNormalizer
from ..parsers import HeaderMap, Item, control_character_problems
from .runs import run_finish, run_start


class FeedRejected(Exception):
    """A whole file or batch refused before any record was read (bad name, kind, department)."""


def kind_check(department: Department, kind: str) -> None:
    if kind not in contract.KINDS:
        raise FeedRejected(f"未知的数据类型“{kind}”（可用：{'、'.join(contract.KINDS)}）")
    if kind not in department.kinds:
        raise FeedRejected(f"{department.name}（{department.code}）不报送 {kind} 类数据")


def items_ingest(
    *,
    items: Iterable[Item],
    kind: str,
    department_id: str,
    channel: str,
    run_id: int,
    loader_options: dict | None = None,
) -> tuple[Outcome, RecordLoader]:
    """Normalise, quarantine and store one stream of items. Call inside a transaction.

    Every record-level problem, the reader's (undecodable, malformed) or the normaliser's, is a
    quarantine reason: nothing a department sends raises here.
    """
    normalizer = RecordNormalizer(contract.KINDS[kind], received_at=timezone.now())
    loader = RecordLoader(kind=kind, department_id=department_id, channel=channel, run_id=run_id,
                          **(loader_options or {}))  # fmt: skip
    with loader:
        for item in items:
            if item.fields is None:
                problem = {"code": item.reason, "field": None, "message": item.error}
                loader.quarantine(position=item.position, line=item.line, raw=item.raw, problems=[problem])
                continue
            result = (not item.screened and control_character_problems(item.raw)) or normalizer.normalize(
                item.fields
            )
            if isinstance(result, list):
                loader.quarantine(
                    position=item.position,
                    line=item.line,
                    raw=item.raw,
                    problems=[p if isinstance(p, dict) else p.as_dict() for p in result],
                    record_id=str(item.fields.get("record_id") or ""),
                )
            else:
                loader.add(item.position, result, item.raw)
        outcome = loader.store()
    return outcome, loader


@dataclass
class Receipt:
    batch_id: int
    outcome: Outcome
    quarantined: list[dict]

    def as_dict(self) -> dict:
        o = self.outcome
        return {
            "batch_id": self.batch_id,
            "received": o.received,
            "accepted": o.inserted + o.updated + o.deleted,
            "unchanged": o.unchanged + o.stale,
            "quarantined": self.quarantined,
            "inserted": o.inserted,
            "updated": o.updated,
            "deleted": o.deleted,
            "stale": o.stale,
            "unresolved": o.unresolved,
        }


def batch_ingest(
    *, department: Department, kind: str, items: list[Item], channel: str, source: str = ""
) -> Receipt:
    """A pushed (or pulled) batch: one run, one transaction, a receipt that names each quarantined record."""
    kind_check(department, kind)
    run = run_start(channel=channel, department_id=department.code, kind=kind, source=source)
    try:
        with transaction.atomic():
            outcome, loader = items_ingest(
                items=items, kind=kind, department_id=department.code, channel=channel, run_id=run.pk,
                loader_options={"remember_quarantined": True},
            )  # fmt: skip
            run_finish(run, outcome)
            evaluations_request_drain()
            if kind == "registration" and outcome.inserted + outcome.updated:
                search_names_request_refresh()
    except Exception as exc:
        # The batch rolled back whole; its run says so instead of staying "running".
        with contextlib.suppress(Exception):
            run_finish(run, Outcome(), status=RunStatus.FAILED, error=f"{type(exc).__name__}: {exc}")
        raise
    by_position = {item.position: item for item in items}
    quarantined = [
        {"index": position - 1, "record_id": _record_id(by_position.get(position)),
         "errors": [p["message"] for p in problems]}
        for position, problems in loader.quarantined_here
    ]  # fmt: skip
    return Receipt(run.pk, outcome, quarantined)


def _record_id(item: Item | None) -> str:
    if item is None or item.fields is None:
        return ""
    return storable_text(str(item.fields.get("record_id") or ""))[:200]


def quarantined_reprocess(records: Iterable[QuarantinedRecord]) -> dict[int, Outcome]:
    """Send fixed quarantined records through the pipeline again; those that pass are resolved.

    A record still wrong stays the one open entry it was, carrying its latest reasons.
    """
    by_batch: dict[tuple[str, str], list[QuarantinedRecord]] = {}
    for record in records:
        if record.status == QuarantineStatus.OPEN:
            by_batch.setdefault((record.department_id, record.kind), []).append(record)
    results = {}
    for (department_id, kind), group in by_batch.items():
        header_map = HeaderMap(kind)
        items = [
            Item(position=i, line=None, fields=header_map.map(q.raw), raw=q.raw)
            for i, q in enumerate(group, start=1)
        ]
        run = run_start(
            channel=Channel.REPROCESS, department_id=department_id, kind=kind, source="quarantine"
        )
        with transaction.atomic():
            outcome, loader = items_ingest(
                items=items, kind=kind, department_id=department_id, channel=Channel.REPROCESS, run_id=run.pk,
                loader_options={"keep_quarantine": False},
            )  # fmt: skip
            run_finish(run, outcome)
            still_bad = dict(loader.quarantined_here)
            resolved = []
            for i, original in enumerate(group, start=1):
                if i in still_bad:
                    original.reasons = sorted({p["code"] for p in still_bad[i]})
                    original.errors = storable(still_bad[i])
                    original.save(update_fields=["reasons", "errors"])
                else:
                    resolved.append(original.pk)
            QuarantinedRecord.objects.filter(pk__in=resolved).update(
                status=QuarantineStatus.REPROCESSED, resolved_at=timezone.now(), resolved_by_run=run
            )
            evaluations_request_drain()
        results[run.pk] = outcome
    return results
