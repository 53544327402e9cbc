"""Rendered subject-page bodies, cached so a popular page costs no query.

A page is stored per subject and language with the stamp it was rendered for: the city's
generation, the subject's version and the day (publication windows move with it). The colour
engine's re-evaluation of a subject (every ingest that touches it ends there) gives the subject a
new version; a whole-city recompute gives the city a new generation. Versions are replaced, never deleted: a request that read the data before
a change and stores its body after it stores it with a stamp no request accepts any more.

Versions carry the moment they were made: a page read from a standby that had not yet replayed up to
that moment is served but not stored, or the change it missed would stay hidden until the body expires.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone

from warning_system import standby

GENERATION_KEY = "subject-page:generation"
# A cached page is the whole document. Its only per-visitor part, the CSRF token of its forms, is
# rendered as this slot and written in on each request.
CSRF_SLOT = "csrf-token-slot-7f3a9c"


def _version_key(uscc: str) -> str:
    return f"subject-page:v:{uscc}"


def _token_lifetime() -> int:
    """A version must outlive every body stored under the one before it."""
    return 2 * settings.SUBJECT_PAGE_CACHE_SECONDS + 60


def _body_key(uscc: str, language: str) -> str:
    return f"subject-page:body:{language}:{uscc}"


def lookup(uscc: str, language: str) -> tuple[str, dict | None]:
    """One cache round trip: the page's stamp as of now and the body stored for it, if still current.

    Compute the stamp before reading the data and store the body under it afterwards: a body
    rendered from data older than a drop carries the old stamp, so no request accepts it.
    """
    body_key = _body_key(uscc, language)
    found = cache.get_many([GENERATION_KEY, _version_key(uscc), body_key])
    generation = found.get(GENERATION_KEY, "0")
    version = found.get(_version_key(uscc), "0")
    stamp = f"{generation}:{version}:{timezone.localdate():%Y%m%d}"
    stored = found.get(body_key)
    if stored is not None and stored.get("stamp") == stamp:
        return stamp, stored["page"]
    return stamp, None


def _token() -> str:
    return f"{uuid.uuid4().hex}@{time.time():.3f}"


def _made_at(stamp: str) -> float:
    """The newest moment among the stamp's generation and version (0 for tokens without one)."""
    moments = [part.rpartition("@")[2] for part in stamp.split(":")[:2] if "@" in part]
    return max((float(m) for m in moments), default=0.0)


def store(uscc: str, language: str, stamp: str, page: dict) -> None:
    as_of = standby.reads_as_of()
    if as_of is not None and _made_at(stamp) > as_of:
        return  # read from a standby not yet past the change that made this stamp
    cache.set(
        _body_key(uscc, language), {"stamp": stamp, "page": page}, timeout=settings.SUBJECT_PAGE_CACHE_SECONDS
    )


def with_csrf_token(html: str, request) -> str:
    """The cached page with this visitor's token (get_token also sets the CSRF cookie)."""
    return html.replace(CSRF_SLOT, get_token(request))


def drop(usccs: Iterable[str] | None) -> None:
    """Forget the pages of these subjects (None: every subject)."""
    if usccs is None:
        cache.set(GENERATION_KEY, _token(), timeout=None)
        return
    token = _token()
    cache.set_many({_version_key(uscc): token for uscc in usccs}, timeout=_token_lifetime())
