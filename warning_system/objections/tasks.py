"""Scheduled: overdue objections escalated to their department's leader."""

from celery import shared_task

from warning_system.objections import services


@shared_task
def escalate_overdue_objections() -> int:
    return services.objections_escalate()
