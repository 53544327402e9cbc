"""Reads of monitoring for the API and the admin: an institution's watchlists, entries, event feed
and delivery log. Everything is scoped by the institution passed in: one never sees another's."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, QuerySet, Subquery

from disclosure.models import Institution, MonitorEvent, WatchedSubject, Watchlist, WebhookDelivery
from disclosure.selectors.public import PUBLIC_NAME_SQL
from warning_system.classification.models import SubjectColour
from warning_system.registry.models import Subject

FEED_MAX_LIMIT = 500
IN_CHUNK = 5000
LOG_MAX_LIMIT = 500


def institution_watchlists(institution: Institution) -> QuerySet[Watchlist]:
    """The institution's watchlists by name, each with `entry_count` (one query)."""
    return (
        Watchlist.objects.filter(institution=institution)
        .annotate(entry_count=Count("entries"))
        .order_by("name", "id")
    )


def watchlist_entries(watchlist: Watchlist) -> QuerySet[WatchedSubject]:
    """Entries by USCC, with the subject's public name and colour (None while not registered)."""
    subject = Subject.objects.filter(uscc=OuterRef("uscc"), withdrawn=False)
    colour = SubjectColour.objects.filter(subject_id=OuterRef("uscc"), subject__withdrawn=False)
    return (
        WatchedSubject.objects.filter(watchlist=watchlist)
        .annotate(
            subject_name=Subquery(subject.annotate(public_name=PUBLIC_NAME_SQL).values("public_name")[:1]),
            colour=Subquery(colour.values("colour")[:1]),
        )
        .order_by("uscc")
    )


def feed(institution: Institution, after: int | None = None, limit: int = 100) -> list[MonitorEvent]:
    """The institution's events after event `after`, oldest first: a client pages with the last id
    it read. At most FEED_MAX_LIMIT per call."""
    limit = max(1, min(int(limit), FEED_MAX_LIMIT))
    events = MonitorEvent.objects.filter(institution=institution)
    if after is not None:
        events = events.filter(id__gt=after)
    return list(events.order_by("id")[:limit])


def delivery_log(institution: Institution, limit: int = 100) -> list[WebhookDelivery]:
    """The institution's latest deliveries, newest first, with their events and attempts."""
    limit = max(1, min(int(limit), LOG_MAX_LIMIT))
    return list(
        WebhookDelivery.objects.filter(event__institution=institution)
        .select_related("event")
        .prefetch_related("log")
        .order_by("-id")[:limit]
    )


def watches_anything() -> bool:
    """Whether any institution watches any subject: a city without watchlists pays this only."""
    return WatchedSubject.objects.exists()


def watched_among(usccs: Iterable[str]) -> list[str]:
    """The USCCs among these that some watchlist holds (chunked: an ingest may touch many subjects)."""
    codes = sorted(set(usccs))
    found: set[str] = set()
    for start in range(0, len(codes), IN_CHUNK):
        chunk = codes[start : start + IN_CHUNK]
        found |= set(WatchedSubject.objects.filter(uscc__in=chunk).values_list("uscc", flat=True))
    return sorted(found)
