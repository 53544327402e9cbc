"""Marking demo rows (see models.DemoRecord). Idempotent: marking a row twice keeps one marker."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import DemoRecord

BATCH = 5000


def demo_mark(*, model: type[models.Model], ids: Iterable, what: str) -> int:
    """Mark the rows of `model` with these primary keys as demo data; returns how many were given."""
    content_type = ContentType.objects.get_for_model(model)
    rows = [DemoRecord(content_type=content_type, object_id=str(pk), what=what[:200]) for pk in ids]
    DemoRecord.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def demo_mark_objects(*, objects: Iterable[models.Model], what: str) -> int:
    """Mark model instances (of any models) as demo data."""
    by_model: dict[type[models.Model], list] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj.pk)
    return sum(demo_mark(model=model, ids=ids, what=what) for model, ids in by_model.items())
