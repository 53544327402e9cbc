"""Counters and moments the metrics report that no table keeps: refusals (429) by area, failed
logins, the last drain of the evaluation outbox.

They live in the shared cache (Redis in production), so every gunicorn worker and every Celery
worker adds to the same number and the scrape, whichever process answers it, reads it whole. A
cache that is down loses counts, never a request: counting is best effort.
"""

from __future__ import annotations

import contextlib
import time

from django.core.cache import cache

PREFIX = "metrics:"
REFUSAL_AREAS = ("portal", "api", "push", "workspace")
LOGIN_FAILURES = "login-failures"
LAST_DRAIN = "last-drain"


def _add(key: str) -> None:
    with contextlib.suppress(Exception):
        cache.add(PREFIX + key, 0, timeout=None)
        cache.incr(PREFIX + key)


def area(path: str) -> str:
    if path.startswith("/api/feeds/"):
        return "push"
    if path.startswith("/api/"):
        return "api"
    if path.startswith(("/supervision/", "/admin/")):
        return "workspace"
    return "portal"


def count_refusal(path: str) -> None:
    _add(f"refused:{area(path)}")


def count_login_failure(sender=None, **kwargs) -> None:
    """Receiver of django.contrib.auth's user_login_failed (the workspace's and the admin's logins)."""
    _add(LOGIN_FAILURES)


def note_drain() -> None:
    """The evaluation outbox was drained just now."""
    with contextlib.suppress(Exception):
        cache.set(PREFIX + LAST_DRAIN, time.time(), timeout=None)


def read() -> dict:
    """Every counter and moment, in one cache round trip (missing ones as 0 / None)."""
    keys = [f"refused:{a}" for a in REFUSAL_AREAS] + [LOGIN_FAILURES, LAST_DRAIN]
    try:
        found = cache.get_many([PREFIX + k for k in keys])
    except Exception:
        found = {}
    return {
        "refused": {a: int(found.get(f"{PREFIX}refused:{a}", 0)) for a in REFUSAL_AREAS},
        "login_failures": int(found.get(PREFIX + LOGIN_FAILURES, 0)),
        "last_drain": found.get(PREFIX + LAST_DRAIN),
    }


class RefusalCounterMiddleware:
    """Counts every 429 the site answers, whichever limit gave it (the portal's, the API's per key,
    wrong keys or push tokens): one cache round trip per refusal, none otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 429:
            count_refusal(request.path)
        return response
