"""Who is calling the API, and how often they may.

Institutions authenticate with `Authorization: Bearer wsk_…` (disclosure.services.api_keys); the
throttle counts per key, or per client address where no key is needed (the schema). Wrong keys
count per client address (warning_system.ratelimit): guessing gets a handful of tries a minute.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from warning_system.ratelimit import credential_blocked, credential_failed, hit

if TYPE_CHECKING:
    from ..models import ApiKey, Institution

SCHEME = "Bearer"
CREDENTIALS = "api_key"  # what the failed-credential limit counts (per client address)


@dataclass(frozen=True)
class InstitutionPrincipal:
    """request.user of an API call: the institution behind the key (there are no user accounts here)."""

    institution: Institution
    api_key: ApiKey = field(repr=False)
    is_authenticated: bool = True
    is_anonymous: bool = False

    @property
    def pk(self) -> int:
        return self.institution.pk

    def __str__(self) -> str:
        return str(self.institution)


class InstitutionKeyAuthentication(BaseAuthentication):
    """No Authorization header: anonymous (the permission then answers 401); a wrong key: 401; any key
    from an address that sent CREDENTIAL_FAILURE_LIMIT wrong ones in the window: 429 with Retry-After."""

    def authenticate(self, request):
        from ..services.api_keys import institution_for_key  # models load after DRF's settings
        from .errors import ApiError  # it imports DRF's views, which load this module

        header = get_authorization_header(request).decode("latin-1").strip()
        if not header:
            return None
        if wait := credential_blocked(CREDENTIALS, request):
            # Before the key is looked at: a right key answered now would stand out among the refusals.
            error = ApiError(429, "rate_limited", f"此地址的无效 API 密钥过多，请 {wait} 秒后再试")
            error.wait = wait  # the error handler sends it as Retry-After
            raise error
        scheme, _, key = header.partition(" ")
        if scheme.lower() != SCHEME.lower() or not key.strip():
            credential_failed(CREDENTIALS, request)
            raise AuthenticationFailed("Authorization 请求头格式应为：Bearer <key>", code="invalid_key")
        found = institution_for_key(key.strip())
        if found is None:
            credential_failed(CREDENTIALS, request)
            raise AuthenticationFailed("API 密钥无效或已吊销", code="invalid_key")
        institution, api_key = found
        return InstitutionPrincipal(institution, api_key), api_key

    def authenticate_header(self, request) -> str:
        return f'{SCHEME} realm="api"'


class InstitutionKeyThrottle(SimpleRateThrottle):
    """API_RATE_LIMIT per key, counted like the public pages (warning_system.ratelimit: a fixed window
    in the shared cache, one round trip): every gunicorn worker sees the same count, and there is
    no list of timestamps to rewrite on each request as SimpleRateThrottle's history would."""

    scope = "institution"

    def get_rate(self) -> str | None:
        # Read on each request (not the class attribute frozen at import), so setting overrides apply.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}") from None

    def get_cache_key(self, request, view) -> str:
        api_key = request.auth if getattr(request.user, "is_authenticated", False) else None
        ident = f"key{api_key.pk}" if api_key is not None else f"addr{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.retry_after = hit(self.get_cache_key(request, view), self.num_requests, self.duration)
        return not self.retry_after

    def wait(self) -> int:
        return self.retry_after


class InstitutionKeyScheme(OpenApiAuthenticationExtension):
    """Documents the Bearer scheme in the OpenAPI schema."""

    target_class = InstitutionKeyAuthentication
    name = "institutionKey"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "wsk_<prefix>_<secret>",
            "description": "机构 API 密钥：由机构向本系统运营部门申请、审核后签发（见接口说明）；"
            "每个请求带请求头 `Authorization: Bearer <key>`。",
        }
