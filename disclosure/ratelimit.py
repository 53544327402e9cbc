"""Per-client limits on the anonymous portal: a fixed window counter in the cache.

The API has its own per-key throttle (disclosure.api.auth); this covers the HTML pages, where
scraping the registry page by page is the abuse to stop. Over the limit: 429 with Retry-After.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string

from warning_system.audit.context import client_address
from warning_system.ratelimit import hit, parse_rate

# Not the anonymous portal: static files, admin, the APIs (own limits), the regulators' workspace, the
# monitoring system's health and metrics.
EXEMPT_PREFIXES = ("/static/", "/admin/", "/api/", "/i18n/", "/supervision/", "/health/", "/metrics")


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
