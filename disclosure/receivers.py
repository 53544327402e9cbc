"""The portal's receivers of core signals: colours stored → cached pages dropped, watched subjects' events;
a regulator's public step recorded → the subject's cached page dropped."""

from __future__ import annotations

from django.db import transaction

from . import page_cache, tasks
from .selectors import public
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


def drop_all_pages(sender, **kwargs) -> None:
    """A new joint-punishment catalogue (sent after its commit) changes every page's restrictions."""
    page_cache.drop(None)


def drop_page_on_audit(sender, entry, **kwargs) -> None:
    """A regulator's public step on a subject (sent after its commit) shows in the page's trace at
    once: the subject's cached body goes. Entries the trace leaves out keep the page."""
    if entry.subject_uscc and public.shows_in_trace(entry.action):
        page_cache.drop([entry.subject_uscc])
