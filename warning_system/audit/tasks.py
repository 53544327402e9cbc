"""Thin Celery wrappers around the audit trail's services."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def anchor_yesterday() -> dict:
    """Beat runs this shortly after midnight (Asia/Shanghai): yesterday's head, in the table and the file."""
    anchor = services.audit_anchor(day=timezone.localdate() - timedelta(days=1))
    return {"day": anchor.day.isoformat(), "seq": anchor.seq, "hash": anchor.hash}
