"""Fixed-window counters in the shared cache, and the limit on failed credentials.

One counter serves three limits: the portal's pages per client address (disclosure.ratelimit), the
API's calls per institution key (disclosure.api.auth), and the failed credentials per client address
(API keys and department push tokens: below). With Redis, one round trip per count; every gunicorn
worker sees the same numbers.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver

from warning_system.audit.context import client_address

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
           "d": 86400, "day": 86400}  # fmt: skip


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/minute" -> (120, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()]


@receiver(setting_changed)
def _forget_server(setting: str, **kwargs) -> None:
    if setting == "CACHES":
        _redis.cache_clear()


@lru_cache(maxsize=1)
def _redis():
    """The cache's Redis server, for one-round-trip counting; None with another cache backend."""
    config = settings.CACHES["default"]
    if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return None
    return redis.Redis.from_url(config["LOCATION"])


def _count(bucket: str, period: int) -> int:
    server = _redis()
    if server is not None:
        # INCR and EXPIRE in one round trip: every page view pays this.
        count, _ = (
            server.pipeline(transaction=False).incr(bucket).expire(bucket, period + 1, nx=True).execute()
        )
        return count
    cache.add(bucket, 0, timeout=period + 1)
    try:
        return cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=period + 1)
        return 1


def _read(bucket: str) -> int:
    server = _redis()
    if server is not None:
        return int(server.get(bucket) or 0)
    return cache.get(bucket, 0)


def _window(period: int, now: float) -> tuple[int, int]:
    """(the window's number, the seconds until it ends, at least 1)."""
    window = int(now // period)
    return window, max(1, int((window + 1) * period - now + 0.999))


def hit(key: str, limit: int, period: int, now: float | None = None) -> int:
    """Count one request against `key`; 0 when allowed, else the seconds until the window ends."""
    window, left = _window(period, time.time() if now is None else now)
    count = _count(f"rl:{key}:{period}:{window}", period)
    return 0 if count <= limit else left


# --------------------------------------------------------------------------- failed credentials
#
# An address that presents CREDENTIAL_FAILURE_LIMIT wrong API keys (or push tokens) in a window is
# refused every credential of that kind, the right one too, until the window ends: were a right key
# still answered, the 429s would only slow the wrong guesses while the right one stood out at once.
# API keys and push tokens count apart: a bank's misconfigured client never stops a department's push
# through the same gateway.


def _failures(kind: str, request, period: int, window: int) -> str:
    return f"authfail:{kind}:{client_address(request)}:{period}:{window}"


def credential_blocked(kind: str, request, now: float | None = None) -> int:
    """Seconds until the request's address may present a `kind` credential again; 0: it may now."""
    limit, period = parse_rate(settings.CREDENTIAL_FAILURE_LIMIT)
    window, left = _window(period, time.time() if now is None else now)
    return left if _read(_failures(kind, request, period, window)) >= limit else 0


def credential_failed(kind: str, request, now: float | None = None) -> None:
    """Count one wrong `kind` credential from the request's address (the limit reached is logged)."""
    limit, period = parse_rate(settings.CREDENTIAL_FAILURE_LIMIT)
    window, left = _window(period, time.time() if now is None else now)
    if _count(_failures(kind, request, period, window), period) == limit:
        logger.warning(
            "%s wrong %s credentials from %s within %s s: refused for the next %s s",
            limit, kind, client_address(request), period, left,
        )  # fmt: skip
