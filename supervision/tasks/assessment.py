"""Celery task of the assessment area: a thin wrapper over its service."""

from celery import shared_task
from django.utils import timezone

from supervision.services import assessment as services

__all__ = ["assess_departments"]


@shared_task(acks_late=True)
def assess_departments(year: int | None = None, month: int | None = None) -> dict:
    """On the 1st of each month (CELERY_BEAT_SCHEDULE): the month just ended, unless one is named."""
    if year is None or month is None:
        last = services.previous_month(timezone.localdate())
        year, month = last.year, last.month
    return services.month_assess(year, month).as_dict()
