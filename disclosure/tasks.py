"""Thin Celery wrappers of monitoring: record events, deliver webhooks. The services are idempotent
(events are unique per source, a delivery is locked while sent), so acks_late retries are harmless."""

from celery import shared_task

from .services import monitoring


@shared_task(acks_late=True)
def record_watch_events(usccs: list[str] | None) -> int:
    created = monitoring.watch_events_record(usccs)
    if created:
        deliver_due_webhooks.delay()
    return created


@shared_task(acks_late=True)
def scan_watchlists() -> int:
    created = monitoring.watch_events_record_recent()
    if created:
        deliver_due_webhooks.delay()
    return created


@shared_task(acks_late=True)
def deliver_webhook(delivery_id: int) -> str:
    return monitoring.webhook_deliver(delivery_id).status


@shared_task(acks_late=True)
def deliver_due_webhooks() -> int:
    return monitoring.webhooks_deliver_due()
