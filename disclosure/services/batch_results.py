"""Keeping a batch check's result server-side under a random token.

A bank submits up to 10,000 entries once and then reads the result a page at a time, filtered by
colour: re-checking on every page would repeat three large queries and could show a different
colour on page 2 than on page 1. The result (already public data, no personal information) is
kept in the shared cache for `RESULT_SECONDS`; the token is unguessable, so one bank's list is
not another's to browse.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache

from ..selectors.batch import BatchResult
from ..selectors.batch_pages import RESULT_KEY, RESULT_SECONDS


def batch_result_store(*, result: BatchResult) -> str:
    """Keep `result` and return the token its pages are read by."""
    token = secrets.token_urlsafe(16)
    cache.set(
        RESULT_KEY % token,
        {
            "checked_on": result.checked_on.isoformat(),
            "counts": dict(result.counts),
            "rows": [row.as_dict() for row in result.rows],
        },
        timeout=RESULT_SECONDS,
    )
    return token
