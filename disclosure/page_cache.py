"""Rendered subject-page bodies, cached so a popular page costs no query.

Keyed by subject, language and day (publication windows move with the day); dropped as soon as
the colour engine has re-evaluated the subject (every ingest that touches it ends there), and
all at once after a whole-city recompute (a generation number in the key).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

GENERATION_KEY = "subject-page:generation"


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def key(uscc: str, language: str, generation: int | None = None) -> str:
    generation = _generation() if generation is None else generation
    return f"subject-page:{generation}:{timezone.localdate():%Y%m%d}:{language}:{uscc}"


def get(uscc: str, language: str):
    return cache.get(key(uscc, language))


def put(uscc: str, language: str, value) -> None:
    cache.set(key(uscc, language), value, timeout=settings.SUBJECT_PAGE_CACHE_SECONDS)


def drop(usccs: Iterable[str] | None) -> None:
    """Forget the pages of these subjects (None: every subject)."""
    if usccs is None:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:
            cache.set(GENERATION_KEY, 2, timeout=None)
        return
    generation = _generation()
    cache.delete_many(
        [key(uscc, language, generation) for uscc in usccs for language, _ in settings.LANGUAGES]
    )
