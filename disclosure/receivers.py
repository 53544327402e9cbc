"""The portal's receivers of core signals: colours stored → cached pages dropped, watched subjects' events."""

from __future__ import annotations

from django.db import transaction

from . import page_cache, tasks
from .selectors.monitoring import watched_among, watches_anything


def queue_watch_events(sender, usccs: list[str] | None = None, **kwargs) -> None:
    """After the classification commits, record the events of the watched subjects it evaluated.
    Nothing is queued for subjects nobody watches; a city without watchlists pays one query."""
    if not watches_anything():
        return
    if usccs is not None:
        usccs = watched_among(usccs)
        if not usccs:
            return
    transaction.on_commit(lambda: tasks.record_watch_events.delay(usccs))


def drop_cached_pages(sender, usccs: list[str] | None = None, **kwargs) -> None:
    """Re-evaluated subjects (every ingest that touched them ends here) show their new records and
    colour on the next view: their cached page bodies go once the evaluation has committed."""
    transaction.on_commit(lambda: page_cache.drop(usccs))
