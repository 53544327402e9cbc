"""Per-client limits on the anonymous portal: a fixed window counter in the cache.

The API has its own per-key throttle (disclosure.api.auth); this covers the HTML pages, where
scraping the registry page by page is the abuse to stop. Over the limit: 429 with Retry-After.
"""

from __future__ import annotations

import time
from functools import lru_cache

import redis
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string

from warning_system.audit.context import client_address

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600,
           "d": 86400, "day": 86400}  # fmt: skip
# Not the anonymous portal: static files, admin, the APIs (own limits), the regulators' workspace.
EXEMPT_PREFIXES = ("/static/", "/admin/", "/api/", "/i18n/", "/supervision/")


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


def hit(key: str, limit: int, period: int, now: float | None = None) -> int:
    """Count one request against `key`; 0 when allowed, else the seconds until the window ends."""
    now = time.time() if now is None else now
    window = int(now // period)
    count = _count(f"rl:{key}:{period}:{window}", period)
    if count <= limit:
        return 0
    return max(1, int((window + 1) * period - now + 0.999))


class PublicRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(EXEMPT_PREFIXES):
            limit, period = parse_rate(settings.PUBLIC_RATE_LIMIT)
            retry_after = hit(client_address(request), limit, period)
            if retry_after:
                response = HttpResponse(
                    render_to_string("disclosure/rate_limited.html", {"retry_after": retry_after}, request),
                    status=429,
                )
                response["Retry-After"] = str(retry_after)
                return response
        return self.get_response(request)
