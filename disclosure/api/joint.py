"""/api/v1/joint-checks: 联合惩戒 checks for institutions (banks before financing, exchanges before a
listing, procurement offices), the outcome they report back, and the list of their own checks.

Thin: the core's sanctions services decide, store and audit; the institution is the requester,
kept by id, name and API key."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from warning_system.incentives import selectors as incentive_selectors
from warning_system.registry.codes import compact_code
from warning_system.sanctions import measures
from warning_system.sanctions import selectors as sanctions_selectors
from warning_system.sanctions import services as sanctions
from warning_system.sanctions.models import JointCheck, Outcome, ReportedAction

from ..selectors import public
from .errors import ApiError, bad_request, not_found
from .serializers import ErrorSerializer, TextField
from .views import ApiView, errors, institution_of, valid_query, valid_uscc

LIST_MAX_LIMIT = 500
CHECK_NOT_FOUND = "没有此核查，或它不属于本机构"
CHECK_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="核查编号")
USES_HELP = "现行措施清单中的事项代码，见 GET /api/v1/joint-uses（如 procurement 政府采购、licensing 行政许可/行政审批）"
ACTIONS = ", ".join(f"{action.value}（{action.label}）" for action in ReportedAction)


# --------------------------------------------------------------------------- bodies


class JointCheckRequestSerializer(serializers.Serializer):
    uscc = TextField(max_length=40, help_text="统一社会信用代码（大小写、空格、全角均可）")
    use = TextField(max_length=32, help_text=f"核查事项：{USES_HELP}")


class JointRecordSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="记录类型，如 serious_violation")
    kind_label = serializers.CharField()
    department = serializers.CharField(help_text="报送部门代码")
    department_name = serializers.CharField()
    record_id = serializers.CharField(help_text="部门的记录编号")
    date = serializers.DateField(allow_null=True, help_text="决定、列入或发布日期")
    reference = serializers.CharField(allow_blank=True, help_text="文书号或案号")


class JointReasonSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则代码")
    label = serializers.CharField(help_text="规则说明")
    colour = serializers.CharField(allow_blank=True)
    basis = serializers.ChoiceField(
        choices=("colour", "list"), help_text="colour：主体颜色所致；list：列入名单"
    )
    ends_on = serializers.DateField(allow_null=True, help_text="此原因不再计入的日期（空为直至移出）")
    records = JointRecordSerializer(many=True)


class JointIncentiveSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text="激励措施代码，如 lower_inspection_ratio、fast_track、subsidy_priority"
    )
    label = serializers.CharField(help_text="激励措施")
    legal_basis = serializers.CharField(help_text="依据")


class JointOutcomeReportSerializer(serializers.Serializer):
    action = serializers.CharField(source="reported_action")
    label = serializers.CharField(source="get_reported_action_display")
    on = serializers.DateField(source="reported_on")
    note = serializers.CharField(source="reported_note", allow_blank=True)
    reported_at = serializers.DateTimeField()


class JointCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="核查编号：反馈结果时使用")
    uscc = serializers.CharField(source="subject_id")
    name = serializers.SerializerMethodField(help_text="名称（以经营者姓名为名称的个体工商户按公示规则遮蔽）")
    use = serializers.CharField(help_text="核查事项代码")
    use_label = serializers.SerializerMethodField(help_text="事项名称（按核查时的措施清单）")
    outcome = serializers.ChoiceField(choices=Outcome.choices, help_text="allowed 允许 / restricted 限制")
    outcome_label = serializers.CharField(source="get_outcome_display")
    colour = serializers.CharField(help_text="核查时主体的颜色")
    reasons = JointReasonSerializer(many=True)
    measure = serializers.CharField(allow_blank=True, help_text="应采取的惩戒措施")
    legal_basis = serializers.CharField()
    catalogue_version = serializers.IntegerField(source="catalogue.version", help_text="所依据的措施清单版本")
    checked_on = serializers.DateField()
    reported = serializers.SerializerMethodField(help_text="已反馈的结果（未反馈为空）")
    incentives = serializers.SerializerMethodField(
        help_text="核查日主体可享受的守信激励措施（依现行守信激励清单；非绿色主体为空）"
    )

    def get_use_label(self, check: JointCheck) -> str:
        return check.use_label

    def get_name(self, check: JointCheck) -> str:
        """As the portal publishes it: a natural person's name is never given out whole."""
        subject = check.subject
        return public.public_name(check.subject_name, subject.subject_type, subject.legal_representative)

    @extend_schema_field(JointIncentiveSerializer(many=True))
    def get_incentives(self, check: JointCheck) -> list[dict]:
        """Read beside the restrictions, as of the check's day; a list's are read beforehand
        (`incentives_context`), one query per day of the page."""
        known = self.context.get("incentives")
        found = (
            known.get((check.subject_id, check.checked_on), [])
            if known is not None
            else incentive_selectors.incentives_for(check.subject_id, check.checked_on)
        )
        return JointIncentiveSerializer(found, many=True).data

    @extend_schema_field(JointOutcomeReportSerializer(allow_null=True))
    def get_reported(self, check: JointCheck) -> dict | None:
        return JointOutcomeReportSerializer(check).data if check.reported else None


class JointOutcomeRequestSerializer(serializers.Serializer):
    action = TextField(max_length=32, help_text=f"采取的措施：{ACTIONS}")
    on = serializers.DateField(required=False, help_text="措施日期，默认今天")
    note = TextField(required=False, allow_blank=True, max_length=sanctions.NOTE_MAX)


class JointChecksQuerySerializer(serializers.Serializer):
    use = serializers.RegexField(measures.USE_KEY.pattern, required=False, help_text="事项代码")
    outcome = serializers.ChoiceField(choices=Outcome.values, required=False)
    before = serializers.IntegerField(min_value=1, required=False, help_text="上一页的 next_before")
    limit = serializers.IntegerField(min_value=1, max_value=LIST_MAX_LIMIT, default=100)


class JointUseSerializer(serializers.Serializer):
    use = serializers.CharField(help_text="事项代码：核查时作为 use 提交")
    label = serializers.CharField(help_text="事项名称")
    colours = serializers.ListField(child=serializers.CharField(), help_text="限制的颜色")
    lists = serializers.ListField(child=serializers.CharField(), help_text="不论颜色均限制的名单（规则代码）")
    measure = serializers.CharField(allow_blank=True, help_text="惩戒措施")
    legal_basis = serializers.CharField(help_text="法律依据")


class JointUsesQuerySerializer(serializers.Serializer):
    """No parameters: the uses of the catalogue in force today."""


class JointUsesResponseSerializer(serializers.Serializer):
    catalogue_version = serializers.IntegerField(help_text="现行措施清单版本")
    effective_from = serializers.DateField(help_text="该版本的生效日期")
    uses = JointUseSerializer(many=True)


class JointChecksResponseSerializer(serializers.Serializer):
    checks = JointCheckSerializer(many=True)
    next_before = serializers.IntegerField(allow_null=True, help_text="下一页的 before：本页最后一条的 id")


# --------------------------------------------------------------------------- views


def incentives_context(checks: list[JointCheck]) -> dict:
    """(uscc, day) -> incentives, for a page of checks: one query per distinct day."""
    days: dict = {}
    for check in checks:
        days.setdefault(check.checked_on, set()).add(check.subject_id)
    found = {}
    for day, usccs in days.items():
        for uscc, incentives in incentive_selectors.incentives_for_many(usccs, day).items():
            found[uscc, day] = incentives
    return {"incentives": found}


def requester_of(request: Request) -> sanctions.Requester:
    institution = institution_of(request)
    return sanctions.Requester.of_institution(
        institution_id=institution.pk, label=institution.name, api_key_id=request.auth.pk
    )


def own_check(request: Request, pk: int) -> JointCheck:
    """The calling institution's check; another's is as absent as a missing one."""
    check = sanctions_selectors.institution_checks(institution_of(request).pk).filter(pk=pk).first()
    if check is None:
        raise not_found("check_not_found", f"没有编号为 {pk} 的核查")
    return check


class JointChecksView(ApiView):
    @extend_schema(
        tags=["joint"],
        summary="联合惩戒核查",
        description="按主体当前颜色及其触发的规则、依现行联合惩戒措施清单，答复该主体在此事项上是否应受限制，"
        "并给出原因（规则及其公示记录）和法律依据，以及主体可享受的守信激励措施。核查被记录，返回的 id 用于反馈结果。",
        request=JointCheckRequestSerializer,
        responses={201: JointCheckSerializer, **errors(400, 404, missing="没有此代码的主体")},
    )
    def post(self, request: Request) -> Response:
        body = JointCheckRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        uscc, use = valid_uscc(body.validated_data["uscc"]), body.validated_data["use"]
        try:
            result = sanctions.subject_check(
                uscc=uscc, use=use, requester=requester_of(request), channel="api"
            )
        except sanctions.SanctionError as exc:
            raise bad_request(exc.code, exc.message) from None
        if not result.found:
            raise not_found("subject_not_found", f"没有统一社会信用代码为 {compact_code(uscc)} 的主体")
        return Response(JointCheckSerializer(result.check).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=["joint"],
        operation_id="joint_checks_list",
        summary="本机构的核查",
        description="新的在前；以上一页的 next_before 作为 before 继续读取。",
        parameters=[JointChecksQuerySerializer],
        responses={200: JointChecksResponseSerializer, **errors(400)},
    )
    def get(self, request: Request) -> Response:
        query = valid_query(request, JointChecksQuerySerializer)
        found = sanctions_selectors.institution_checks(institution_of(request).pk).order_by("-id")
        for name in ("use", "outcome"):
            if query.get(name):
                found = found.filter(**{name: query[name]})
        if query.get("before"):
            found = found.filter(id__lt=query["before"])
        checks = list(found[: query["limit"]])
        next_before = checks[-1].pk if len(checks) == query["limit"] else None
        return Response(
            {
                "checks": JointCheckSerializer(checks, many=True, context=incentives_context(checks)).data,
                "next_before": next_before,
            }
        )


class JointUsesView(ApiView):
    @extend_schema(
        tags=["joint"],
        operation_id="joint_uses_list",
        summary="可核查的事项",
        description="现行联合惩戒措施清单中的全部事项：代码、名称、限制的颜色和名单、措施及法律依据。"
        "事项随清单版本增减，核查前以此取得可用的 use。",
        responses={200: JointUsesResponseSerializer, **errors()},
    )
    def get(self, request: Request) -> Response:
        valid_query(request, JointUsesQuerySerializer)  # none: an unexpected one is a 400, not ignored
        catalogue = sanctions.catalogue_in_effect(timezone.localdate())
        uses = [
            {"use": use, "label": sanctions_selectors.use_label(use, catalogue.measures),
             "colours": list(entry.get("colours") or []), "lists": list(entry.get("lists") or []),
             "measure": _text(entry.get("measure")), "legal_basis": str(entry.get("legal_basis") or "")}
            for use in measures.uses_of(catalogue.measures)
            for entry in [catalogue.measures[use]]
        ]  # fmt: skip
        return Response(
            JointUsesResponseSerializer(
                {
                    "catalogue_version": catalogue.version,
                    "effective_from": catalogue.effective_from,
                    "uses": uses,
                }
            ).data
        )


def _text(value) -> str:
    """A catalogue text in the reader's language (the defaults are translated; others as typed)."""
    return gettext(value) if value else ""


class JointCheckView(ApiView):
    @extend_schema(
        tags=["joint"],
        summary="一次核查及其反馈",
        description="本机构的一次核查：当时的答复、原因、措施清单版本，以及已反馈的结果。",
        parameters=[CHECK_ID],
        responses={200: JointCheckSerializer, **errors(404, missing=CHECK_NOT_FOUND)},
    )
    def get(self, request: Request, id: int) -> Response:
        return Response(JointCheckSerializer(own_check(request, id)).data)


class JointOutcomeView(ApiView):
    @extend_schema(
        tags=["joint"],
        summary="反馈惩戒结果",
        description="本机构对此核查采取的措施（如 credit_denied 不予授信、listing_deferred 暂缓上市），每次核查反馈一次；"
        "核查结果为允许的，只能反馈 none（未采取措施）。",
        parameters=[CHECK_ID],
        request=JointOutcomeRequestSerializer,
        responses={
            200: JointCheckSerializer,
            **errors(400, 404, missing=CHECK_NOT_FOUND),
            409: OpenApiResponse(ErrorSerializer, description="此核查已反馈"),
        },
    )
    def post(self, request: Request, id: int) -> Response:
        check = own_check(request, id)
        body = JointOutcomeRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            reported = sanctions.outcome_report(
                check=check, action=data["action"], on=data.get("on"), note=data.get("note", ""),
                requester=requester_of(request),
            )  # fmt: skip
        except sanctions.SanctionError as exc:
            if exc.code == "already_reported":
                raise ApiError(status.HTTP_409_CONFLICT, exc.code, exc.message) from None
            raise bad_request(exc.code, exc.message) from None
        return Response(JointCheckSerializer(sanctions_selectors.checks().get(pk=reported.pk)).data)
