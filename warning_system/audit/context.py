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
        token = _current.set(RequestContext(client_address=client_address(request), request_id=request_id))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request_id
        return response


def client_address(request) -> str:
    """The client's address, trusting NUM_PROXIES entries of X-Forwarded-For (as the rate limit does)."""
    from django.conf import settings

    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
