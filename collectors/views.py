"""The push channel: POST /api/v1/feeds/<kind> with a department token (docs/feeds.md §1)."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from warning_system.ratelimit import credential_blocked, credential_failed
from warning_system.registry import contract
from warning_system.registry.choices import Channel
from warning_system.screening import screens_its_own_body

from . import services
from .parsers import BadBody, parse_push_body

logger = logging.getLogger(__name__)

# Wrong tokens count per client address (CREDENTIAL_FAILURE_LIMIT): guessing gets a handful of tries a minute.
CREDENTIALS = "push_token"


def error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": message}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


@csrf_exempt
@screens_its_own_body  # a record holding a control character is quarantined, the others stored
def push_feed(request, kind: str):
    if request.method != "POST":
        response = error(405, "method_not_allowed", "只接受 POST 请求")
        response["Allow"] = "POST"
        return response
    authorization = request.headers.get("Authorization", "")
    if authorization and (wait := credential_blocked(CREDENTIALS, request)):
        # Before the token is looked at: a right token answered now would stand out among the refusals.
        response = error(429, "rate_limited", f"此地址的无效部门令牌过多，请 {wait} 秒后再试")
        response["Retry-After"] = str(wait)
        return response
    department = services.department_token_authenticate(authorization=authorization)
    if department is None:
        if authorization:
            credential_failed(CREDENTIALS, request)
        return error(401, "unauthorized", "缺少或无效的部门令牌（Authorization: Bearer <token>）")
    if kind not in contract.KINDS:
        return error(404, "unknown_kind", f"未知的数据类型“{kind}”")
    if kind not in department.kinds:
        return error(403, "kind_not_allowed", f"{department.name}不报送 {kind} 类数据")
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > settings.PUSH_MAX_BYTES:
        return error(413, "too_large", f"请求体超过 {settings.PUSH_MAX_BYTES} 字节")
    try:
        body = request.body
    except RequestDataTooBig:
        return error(413, "too_large", f"请求体超过 {settings.PUSH_MAX_BYTES} 字节")
    if len(body) > settings.PUSH_MAX_BYTES:
        return error(413, "too_large", f"请求体超过 {settings.PUSH_MAX_BYTES} 字节")
    try:
        items, _ = parse_push_body(body, request.content_type or "", kind)
    except BadBody as exc:
        return error(400, "bad_body", str(exc))
    if len(items) > settings.PUSH_MAX_RECORDS:
        return error(
            413, "too_many_records", f"每批最多 {settings.PUSH_MAX_RECORDS} 条记录，收到 {len(items)} 条"
        )
    try:
        receipt = services.batch_ingest(
            department=department,
            kind=kind,
            items=items,
            channel=Channel.PUSH,
            source=request.META.get("REMOTE_ADDR", ""),
        )
    except Exception:
        # Nothing was stored (the batch rolled back whole); the sender may post it again.
        logger.exception("push of %s by %s failed", kind, department.code)
        return error(500, "server_error", "服务器内部错误，本批数据未入库，请稍后重新推送")
    return JsonResponse(receipt.as_dict(), json_dumps_params={"ensure_ascii": False})


@csrf_exempt
def api_not_found(request, rest: str = ""):
    """Unknown API paths answer in JSON too, never with an HTML page."""
    return error(404, "not_found", f"没有这个接口：{request.path}")
