"""The API's documentation for an institution's developer: Swagger UI (/api/docs/), ReDoc
(/api/redoc/) and the index of the endpoints (/api/v1/).

All three are open (they hold no data) and are built from the same OpenAPI document as
/api/v1/schema, so they cannot list an endpoint the API does not have. The pages' scripts and
styles come from this server (drf-spectacular-sidecar): nothing is fetched from elsewhere.
"""

from __future__ import annotations

from functools import lru_cache

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.conf import settings
from django.urls import reverse
from django.utils.decorators import method_decorator
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

SCHEMA_URL_NAME = "disclosure:api:schema"
METHOD_ORDER = {"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}


# The documentation pages may load from this server only. The viewers' own scripts would otherwise
# reach out (ReDoc's sidebar shows a logo from its vendor's CDN): the browser refuses, nothing leaves.
# It replaces the site's policy (settings.CONTENT_SECURITY_POLICY) on these two pages only: the viewers
# need inline scripts and styles, which no other page may run.
DOCUMENTATION_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],  # drf-spectacular starts Swagger UI from an inline script
    "style-src": [SELF, UNSAFE_INLINE],  # both viewers style their components inline
    "img-src": [SELF, "data:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "worker-src": [SELF, "blob:"],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
}


class OpenDocumentation:
    """No key is needed to read how the API works."""

    authentication_classes: list = []
    permission_classes = [AllowAny]


class DocumentationPage(OpenDocumentation):
    """A viewer page, under its own Content-Security-Policy (django-csp builds the header)."""

    @method_decorator(csp(DOCUMENTATION_POLICY))
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


class SwaggerDocsView(DocumentationPage, SpectacularSwaggerView):
    url_name = SCHEMA_URL_NAME
    title = "企业监管警示系统 API"
    # drf-spectacular's page with a stylesheet that brings Swagger UI's badges to AA contrast.
    template_name = "disclosure/api/swagger_ui.html"


class RedocDocsView(DocumentationPage, SpectacularRedocView):
    url_name = SCHEMA_URL_NAME
    title = "企业监管警示系统 API"
    # drf-spectacular's page links web fonts from Google; this one keeps to the server's own assets.
    template_name = "disclosure/api/redoc.html"


@lru_cache(maxsize=1)
def endpoints() -> tuple[dict, ...]:
    """Every operation of the OpenAPI document: name (its operationId), method, path, what it does."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = [
        {
            "name": operation["operationId"],
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "description": operation.get("description", ""),
            "tag": (operation.get("tags") or [""])[0],
        }
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if method in METHOD_ORDER
    ]
    return tuple(sorted(found, key=lambda e: (e["path"], METHOD_ORDER[e["method"].lower()])))


class ApiIndexView(OpenDocumentation, APIView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(
            {
                "name": settings.SPECTACULAR_SETTINGS["TITLE"],
                "version": settings.SPECTACULAR_SETTINGS["VERSION"],
                "authentication": "Authorization: Bearer <key>（机构向本系统运营部门申请签发 · "
                "issued to an institution by the system's operator on application）",
                "documentation": {
                    "swagger_ui": reverse("disclosure:api-docs"),
                    "redoc": reverse("disclosure:api-redoc"),
                    "openapi": reverse(SCHEMA_URL_NAME),
                },
                "endpoints": list(endpoints()),
            }
        )
