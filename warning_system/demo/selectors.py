"""Reading the demo markers: which rows of a table are demo data."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast

from .models import DemoRecord


def demo_records(model: type[models.Model]):
    return DemoRecord.objects.filter(content_type=ContentType.objects.get_for_model(model))


def demo_exists(model: type[models.Model], what: str | None = None) -> bool:
    """Whether the demo already marked rows of `model` (with this `what`): seed_demo runs once."""
    records = demo_records(model)
    return (records.filter(what=what) if what else records).exists()


def demo_count(model: type[models.Model]) -> int:
    return demo_records(model).count()


def is_demo(model: type[models.Model]) -> Exists:
    """An expression for querysets of `model`: the row carries a demo marker."""
    return Exists(
        DemoRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id=Cast(OuterRef("pk"), output_field=models.CharField()),
        )
    )
