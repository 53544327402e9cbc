"""One error shape for the whole API: `{"error": {"code", "message", "details"?}}`.

Banks' systems branch on `code` (stable, English); `message` is for the people reading logs
(Chinese); `details` carries field errors of a rejected request body or query.
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error the API answers on purpose, with its own code (subject_not_found, too_many_codes…)."""

    def __init__(self, status_code: int, code: str, message: str, details: object | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = status_code
        self.error_code = code
        self.details = details


def not_found(code: str = "not_found", message: str = "没有这个资源") -> ApiError:
    return ApiError(status.HTTP_404_NOT_FOUND, code, message)


def bad_request(code: str, message: str, details: object | None = None) -> ApiError:
    return ApiError(status.HTTP_400_BAD_REQUEST, code, message, details)


# DRF's own exceptions, by their default code: (our code, message).
MESSAGES = {
    "parse_error": ("invalid_json", "请求体不是有效的 JSON"),
    "not_authenticated": ("unauthorized", "缺少 API 密钥：请在请求头中提供 Authorization: Bearer <key>"),
    "authentication_failed": ("invalid_key", "API 密钥无效或已吊销"),
    "permission_denied": ("forbidden", "无权访问此资源"),
    "not_found": ("not_found", "没有这个资源"),
    "not_acceptable": ("not_acceptable", "无法按所请求的格式返回：本接口返回 JSON"),
    "unsupported_media_type": ("unsupported_media_type", "不支持的请求体类型，请使用 application/json"),
    "invalid": ("invalid_request", "请求参数有误，见 details"),
}


def error_body(code: str, message: str, details: object | None = None) -> dict:
    error: dict = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def _describe(exc: exceptions.APIException, context: dict) -> tuple[str, str, object | None]:
    if isinstance(exc, ApiError):
        return exc.error_code, str(exc.detail), exc.details
    if isinstance(exc, exceptions.ValidationError):
        code, message = MESSAGES["invalid"]
        return code, message, exc.detail
    if isinstance(exc, exceptions.Throttled):
        wait = f" {math.ceil(exc.wait)} 秒后" if exc.wait is not None else "稍后"
        return "rate_limited", f"请求过于频繁，请{wait}再试", None
    if isinstance(exc, exceptions.MethodNotAllowed):
        request = context.get("request")
        method = request.method if request is not None else ""
        return "method_not_allowed", f"此接口不支持 {method} 请求", None
    code, message = MESSAGES.get(exc.default_code, (exc.default_code, str(exc.detail)))
    if (
        isinstance(exc, exceptions.AuthenticationFailed)
        and getattr(exc.detail, "code", None) != exc.default_code
    ):
        message = str(exc.detail)  # the authentication class said why
    return code, message, None


def json_error_handler(exc: Exception, context: dict) -> Response:
    """REST framework's EXCEPTION_HANDLER: every error as JSON, with the status and headers it calls for."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    set_rollback()
    if not isinstance(exc, exceptions.APIException):
        view = context.get("view")
        logger.error("API error in %s", type(view).__name__ if view else "?", exc_info=exc)
        return Response(
            error_body("server_error", "服务器内部错误，请稍后再试"),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(math.ceil(exc.wait))
    code, message, details = _describe(exc, context)
    return Response(error_body(code, message, details), status=exc.status_code, headers=headers)
