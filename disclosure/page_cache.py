"""Rendered subject-page bodies, cached so a popular page costs no query.

A page's key holds the city's generation, the subject's version, the day (publication windows
move with it) and the language. The colour engine's re-evaluation of a subject (every ingest
that touches it ends there) gives the subject a new version; a whole-city recompute gives the
city a new generation. Versions are replaced, never deleted: a request that read the data before
a change and stores its body after it stores it under a key no request asks for any more.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

GENERATION_KEY = "subject-page:generation"


def _version_key(uscc: str) -> str:
    return f"subject-page:v:{uscc}"


def _token_lifetime() -> int:
    """A version must outlive every body stored under the one before it."""
    return 2 * settings.SUBJECT_PAGE_CACHE_SECONDS + 60


def key(uscc: str, language: str) -> str:
    """The key of the body as of now: compute it before reading the data, store under it after."""
    tokens = cache.get_many([GENERATION_KEY, _version_key(uscc)])
    generation = tokens.get(GENERATION_KEY, "0")
    version = tokens.get(_version_key(uscc), "0")
    return f"subject-page:{generation}:{version}:{timezone.localdate():%Y%m%d}:{language}:{uscc}"


def get(page_key: str):
    return cache.get(page_key)


def put(page_key: str, value) -> None:
    cache.set(page_key, value, timeout=settings.SUBJECT_PAGE_CACHE_SECONDS)


def drop(usccs: Iterable[str] | None) -> None:
    """Forget the pages of these subjects (None: every subject)."""
    if usccs is None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        return
    token = uuid.uuid4().hex
    cache.set_many({_version_key(uscc): token for uscc in usccs}, timeout=_token_lifetime())
