"""/api/v1/ for banks and procurement offices: thin views over selectors.public (what is public),
selectors.batch (checks) and the monitoring service (watchlists and their feed)."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.renderers import (
    OpenApiJsonRenderer,
    OpenApiJsonRenderer2,
    OpenApiYamlRenderer,
    OpenApiYamlRenderer2,
)
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from stdnum.cn import uscc as stdnum_uscc

from warning_system.registry.codes import compact_code

from ..models import Institution, Watchlist
from ..selectors import public, search
from ..selectors.batch import BatchInputError, check_entries
from ..selectors.monitoring import feed, institution_watchlists, watchlist_entries
from ..services.monitoring import (
    MonitoringError,
    watchlist_create,
    watchlist_delete,
    watchlist_subject_remove,
    watchlist_subjects_add,
)
from . import serializers as s
from .errors import ApiError, bad_request, not_found
from .parsers import JSONParser

ERROR_DESCRIPTIONS = {
    400: "请求参数有误（地址、参数或请求体含控制字符或无效的 UTF-8 编码的，任何接口都答复 400）",
    401: "缺少或无效的 API 密钥",
    404: "未找到",
    413: "条数超过上限",
    429: "请求过于频繁（见 Retry-After）",
}


def errors(*statuses: int, missing: str = "") -> dict[int, OpenApiResponse]:
    """Error responses of an operation, for the schema. 400, 401 and 429 apply to every call: the
    edge refuses control characters in any request (warning_system.screening), every call needs a
    key and counts against its limit."""
    descriptions = ERROR_DESCRIPTIONS | ({404: missing} if missing else {})
    return {
        code: OpenApiResponse(s.ErrorSerializer, description=descriptions[code])
        for code in sorted({400, *statuses, 401, 429})
    }


def valid_query(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    """The query parameters an operation documents, validated. One it does not document, or one given
    without a value, is refused (400) rather than ignored: a misspelt `limt=10` or an empty `use=`
    would otherwise quietly answer something other than what was asked."""
    params = serializer_class(data=request.query_params)
    fields = params.fields
    problems = {
        name: ["未知的参数"] if name not in fields else ["参数值不能为空"]
        for name, values in request.query_params.lists()
        if name not in fields or "" in values
    }
    if problems:
        raise exceptions.ValidationError(problems)
    params.is_valid(raise_exception=True)
    return params.validated_data


def valid_uscc(value: str) -> str:
    """The USCC as stored, however it was typed; 400 if it cannot be one."""
    code = compact_code(value)
    if not stdnum_uscc.is_valid(code):
        raise bad_request("invalid_code", f"“{value}”不是有效的 18 位统一社会信用代码")
    return code


USCC_PARAMETER = OpenApiParameter(
    "uscc", str, OpenApiParameter.PATH, description="统一社会信用代码（大小写、空格、全角均可）"
)


def institution_of(request: Request) -> Institution:
    return request.user.institution


def own_watchlist(request: Request, pk: int) -> Watchlist:
    """The calling institution's watchlist; another institution's is as absent as a missing one."""
    watchlist = institution_watchlists(institution_of(request)).filter(pk=pk).first()
    if watchlist is None:
        raise not_found("watchlist_not_found", f"没有编号为 {pk} 的监测名单")
    return watchlist


def too_many(count: int) -> ApiError:
    maximum = settings.BATCH_CHECK_MAX_CODES
    return ApiError(
        status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        "too_many_codes",
        f"一次最多提交 {maximum:,} 条，本次提交了 {count:,} 条，请分批提交",
    )


WATCHLIST_NOT_FOUND = "没有此监测名单，或它不属于本机构"
WATCHLIST_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="监测名单编号")


# No docstring: drf-spectacular would show it as every operation's description.
class ApiView(APIView):
    parser_classes = [JSONParser]


class SubjectView(ApiView):
    @extend_schema(
        tags=["subjects"],
        summary="一个主体的公示信息",
        description="登记信息、颜色及其原因、下次变化、联合惩戒措施，以及按信息类别分组的公示记录。",
        parameters=[USCC_PARAMETER],
        responses={
            200: s.SubjectPageSerializer,
            **errors(400, 404, missing="没有此代码的公示主体（未登记或已撤销）"),
        },
    )
    def get(self, request: Request, uscc: str) -> Response:
        page = public.subject_page(valid_uscc(uscc))
        if page is None:
            raise not_found("subject_not_found", f"没有统一社会信用代码为 {compact_code(uscc)} 的公示主体")
        return Response(s.SubjectPageSerializer(page).data)


class SearchView(ApiView):
    @extend_schema(
        tags=["subjects"],
        summary="按名称、法定代表人或代码查找主体",
        description=f"代码精确匹配优先，其次名称；最多返回 {search.SEARCH_LIMIT} 条。",
        parameters=[s.SearchQuerySerializer],
        responses={200: s.SearchResponseSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        query = valid_query(request, s.SearchQuerySerializer)["q"]
        results = search.search_subjects(query)
        return Response(
            {
                "query": query,
                "limit": search.SEARCH_LIMIT,
                "total": results.total,
                "more": results.more,
                "results": s.SearchResultSerializer(results, many=True).data,
            }
        )


class CheckView(ApiView):
    @extend_schema(
        tags=["subjects"],
        summary="批量核查",
        description=f"每次最多 {settings.BATCH_CHECK_MAX_CODES:,} 条统一社会信用代码、注册号、组织机构代码或准确名称；"
        "按输入顺序每条返回一行：是否查到、主体、颜色及联合惩戒限制。超过上限返回 413，请分批提交。",
        request=s.CheckRequestSerializer,
        responses={200: s.CheckResponseSerializer, **errors(400, 413)},
    )
    def post(self, request: Request) -> Response:
        codes = request.data.get("codes") if isinstance(request.data, dict) else None
        # Counted before each entry is validated: an oversized list is refused cheaply.
        if isinstance(codes, list) and len(codes) > settings.BATCH_CHECK_MAX_CODES:
            raise too_many(len(codes))
        body = s.CheckRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not body.validated_data["codes"]:
            raise bad_request("no_codes", "codes 为空：请提供要核查的代码或名称")
        try:
            result = check_entries(body.validated_data["codes"])
        except BatchInputError as exc:
            raise bad_request("invalid_codes", exc.message) from None
        return Response(
            {
                "checked_on": result.checked_on.isoformat(),
                "counts": result.counts,
                "results": [row.as_dict() for row in result.rows],
            }
        )


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 document: open to all (it holds no data), JSON unless YAML is asked for."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer, OpenApiYamlRenderer, OpenApiYamlRenderer2]


class WatchlistsView(ApiView):
    @extend_schema(
        tags=["monitoring"],
        summary="本机构的监测名单",
        description="本机构建立的全部监测名单及各自的主体数。名单中主体的变化进入事件流（GET /api/v1/events）。",
        responses={200: s.WatchlistSerializer(many=True), **errors()},
    )
    def get(self, request: Request) -> Response:
        return Response(
            s.WatchlistSerializer(institution_watchlists(institution_of(request)), many=True).data
        )

    @extend_schema(
        tags=["monitoring"],
        summary="新建监测名单",
        description="名称在本机构内唯一；建立后用“向监测名单加入主体”加入要监测的主体。",
        request=s.WatchlistSerializer,
        responses={201: s.WatchlistSerializer, **errors(400)},
    )
    def post(self, request: Request) -> Response:
        body = s.WatchlistSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            watchlist = watchlist_create(institution_of(request), body.validated_data["name"])
        except MonitoringError as exc:
            raise bad_request(exc.code, exc.message) from None
        return Response(s.WatchlistSerializer(watchlist).data, status=status.HTTP_201_CREATED)


class WatchlistView(ApiView):
    @extend_schema(
        tags=["monitoring"],
        summary="一个监测名单及其主体",
        description="名单中的每个主体及其当前颜色；尚未登记的代码也列出，登记后即开始监测。",
        parameters=[WATCHLIST_ID],
        responses={200: s.WatchlistDetailSerializer, **errors(404, missing=WATCHLIST_NOT_FOUND)},
    )
    def get(self, request: Request, id: int) -> Response:
        watchlist = own_watchlist(request, id)
        entries = watchlist_entries(watchlist)
        return Response(s.WatchlistDetailSerializer(watchlist, context={"entries": entries}).data)

    @extend_schema(
        tags=["monitoring"],
        summary="删除监测名单",
        description="已产生的事件仍保留在事件流中。",
        parameters=[WATCHLIST_ID],
        responses={204: None, **errors(404, missing=WATCHLIST_NOT_FOUND)},
    )
    def delete(self, request: Request, id: int) -> Response:
        watchlist_delete(own_watchlist(request, id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WatchlistSubjectsView(ApiView):
    @extend_schema(
        tags=["monitoring"],
        summary="向监测名单加入主体",
        description="一次最多加入的代码数与批量核查相同。返回新加入的、已在名单中的和无效的输入，"
        "一次请求中部分无效不影响其余代码加入。",
        parameters=[WATCHLIST_ID],
        request=s.WatchlistSubjectsRequestSerializer,
        responses={
            200: s.WatchlistSubjectsResponseSerializer,
            **errors(400, 404, 413, missing=WATCHLIST_NOT_FOUND),
        },
    )
    def post(self, request: Request, id: int) -> Response:
        watchlist = own_watchlist(request, id)
        usccs = request.data.get("usccs") if isinstance(request.data, dict) else None
        if isinstance(usccs, list) and len(usccs) > settings.BATCH_CHECK_MAX_CODES:
            raise too_many(len(usccs))
        body = s.WatchlistSubjectsRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        result = watchlist_subjects_add(watchlist, body.validated_data["usccs"])
        return Response(s.WatchlistSubjectsResponseSerializer(result).data)


class WatchedSubjectView(ApiView):
    @extend_schema(
        tags=["monitoring"],
        summary="从监测名单移除主体",
        description="此后该主体的变化不再进入本名单的事件；已产生的事件保留。",
        parameters=[WATCHLIST_ID, USCC_PARAMETER],
        responses={204: None, **errors(404, missing=WATCHLIST_NOT_FOUND)},
    )
    def delete(self, request: Request, id: int, uscc: str) -> Response:
        if not watchlist_subject_remove(own_watchlist(request, id), uscc):
            raise not_found("subject_not_watched", f"监测名单中没有 {compact_code(uscc)}")
        return Response(status=status.HTTP_204_NO_CONTENT)


class EventsView(ApiView):
    @extend_schema(
        tags=["monitoring"],
        summary="事件流",
        description="本机构所监测主体的事件，按 id 从旧到新；以上一页的 next_after 作为 after 继续读取，"
        "直至返回空列表。与回调推送的内容相同。",
        parameters=[s.EventsQuerySerializer],
        responses={200: s.EventsResponseSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        params = valid_query(request, s.EventsQuerySerializer)
        after = params.get("after")
        events = feed(institution_of(request), after=after, limit=params["limit"])
        return Response(
            {
                "events": s.EventSerializer(events, many=True).data,
                "next_after": events[-1].pk if events else after,
            }
        )
