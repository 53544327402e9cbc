"""Who is asking, for the audit trail: set per request by the middleware, read by audit_record."""

import uuid
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    client_address: str = ""
    request_id: str = ""


NO_REQUEST = RequestContext()
_current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def current() -> RequestContext:
    """The request being served, or NO_REQUEST for a task, a command or a test."""
    return _current.get() or NO_REQUEST


class RequestContextMiddleware:
    """Give every request an id (or keep the proxy's X-Request-ID) and remember the client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = (request.headers.get("X-Request-ID") or "")[:64] or uuid.uuid4().hex
        token = _current.set(
            RequestContext(client_address=client_address(request)[:64], request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


def client_address(request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies in front of us saw (NUM_PROXIES): one definition
    for the audit trail, the portal's rate limit and the login lockout."""
    from django.conf import settings

    proxies = settings.NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
