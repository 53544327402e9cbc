"""Request and response bodies of /api/v1/. They shape what the selectors return, and being
serializers they are what the OpenAPI schema documents: the schema cannot drift from the answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import EventKind, Watchlist
from ..selectors import public
from ..selectors.batch import STATUSES
from ..selectors.monitoring import FEED_MAX_LIMIT

COLOURS = tuple(public.COLOUR_LABELS)
ENTRY_MAX_LENGTH = 200
NAME_MAX_LENGTH = Watchlist._meta.get_field("name").max_length


class AmountField(serializers.DecimalField):
    """万元 amounts as plain decimal strings: "100", "1250.5" (not "100.000000")."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=20, decimal_places=6, coerce_to_string=True, **kwargs)

    def to_representation(self, value: Decimal) -> str:
        return format(value.normalize(), "f")


class TextField(serializers.CharField):
    """A JSON string and nothing else, for what institutions send. REST framework's CharField takes a
    number too and turns it into text, which the schema does not promise; and a code sent as a number
    has lost its leading zeros before it arrives."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# --------------------------------------------------------------------------- subjects


class SubjectBasicsSerializer(serializers.Serializer):
    uscc = serializers.CharField(help_text="统一社会信用代码")
    name = serializers.CharField(help_text="名称")
    former_names = serializers.SerializerMethodField(help_text="曾用名，新的在前")
    subject_type = serializers.CharField(help_text="主体类型代码")
    subject_type_label = serializers.CharField(source="get_subject_type_display")
    category_label = serializers.CharField(
        allow_blank=True, help_text="统一社会信用代码第 2 位的机构类别，如社会团体、民办非企业单位、基金会"
    )
    natural_person = serializers.BooleanField(
        help_text="经营者为自然人（个体工商户）：经营者姓名仅含姓氏，住所仅至县（区），不含资金数额"
    )
    enterprise_type = serializers.CharField(allow_null=True, help_text="企业类型（登记原文）")
    legal_representative = serializers.CharField(
        allow_null=True,
        help_text="法定代表人/负责人/经营者，名称见 legal_representative_label；个体工商户为“张＊＊”",
    )
    legal_representative_label = serializers.CharField(
        source="representative_label", help_text="法定代表人、负责人、经营者、投资人或执行事务合伙人"
    )
    registered_capital = AmountField(
        allow_null=True, help_text="注册资本（万元），名称见 registered_capital_label；不适用时为空"
    )
    registered_capital_label = serializers.CharField(
        source="capital_label", allow_null=True,
        help_text="注册资本、出资额、成员出资总额、注册资金、开办资金或原始基金；机关、个体工商户为空",
    )  # fmt: skip
    registration_authority_kind = serializers.ChoiceField(
        source="authority_kind", allow_null=True,
        choices=("market_regulation", "civil_affairs", "establishment_office"),
        help_text="登记管理部门（统一社会信用代码第 1 位）：市场监管、民政、机构编制",
    )  # fmt: skip
    registration_authority_kind_label = serializers.CharField(source="authority_label", allow_blank=True)
    business_scope_label = serializers.CharField(
        source="scope_label", help_text="经营范围、业务范围、宗旨和业务范围或主要职责"
    )
    established_on = serializers.DateField(allow_null=True)
    operating_from = serializers.DateField(allow_null=True)
    operating_to = serializers.DateField(allow_null=True, help_text="空为长期")
    status = serializers.CharField(help_text="登记状态代码")
    status_label = serializers.CharField(source="get_status_display")
    registration_authority = serializers.CharField(allow_null=True)
    address = serializers.CharField(allow_null=True, help_text="住所；个体工商户仅至县（区）")
    business_scope = serializers.CharField(allow_null=True)
    registration_number = serializers.CharField(allow_null=True, help_text="注册号（15 位）")
    organization_code = serializers.CharField(help_text="组织机构代码（9 位）")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_former_names(self, subject) -> list[str]:
        return [former.name for former in subject.former_names.all()]


class ColourSerializer(serializers.Serializer):
    colour = serializers.ChoiceField(choices=COLOURS)
    label = serializers.CharField(help_text="颜色名称，如“红色”")
    since = serializers.DateField(allow_null=True, help_text="自何日起为此颜色")
    as_of = serializers.DateField(source="evaluated_on", allow_null=True, help_text="评定日期")


class RecordRefSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="记录类型，如 penalty")
    department = serializers.CharField(help_text="报送部门代码")
    record_id = serializers.CharField(help_text="部门的记录编号")
    cite = serializers.CharField(
        required=False, help_text="引用此记录所用的名称：文书号、案号，或名单名称（无文号时）"
    )
    effective_on = serializers.DateField(
        source="on", required=False, allow_null=True, help_text="记录生效日期：列入日期、决定日期、发布日期等"
    )
    cause = serializers.CharField(
        required=False, allow_blank=True, help_text="记录所述情形，如抽查结果“发现问题已责令改正”"
    )


class ReasonSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则代码")
    label = serializers.CharField(help_text="规则说明")
    colour = serializers.ChoiceField(choices=COLOURS)
    ends_on = serializers.DateField(allow_null=True, help_text="此原因不再计入的日期")
    repair = serializers.CharField(allow_blank=True, help_text="信用修复途径")
    records = RecordRefSerializer(many=True)
    since = serializers.DateField(allow_null=True, help_text="此原因生效的日期（其记录的生效日期）")
    causes = serializers.ListField(
        child=serializers.CharField(), help_text="此原因的记录所述情形，说明适用规则中的哪一种情形"
    )


class NextChangeSerializer(serializers.Serializer):
    on = serializers.DateField(help_text="新颜色生效的第一天")
    colour = serializers.ChoiceField(choices=COLOURS)


class RestrictionSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class RecordSerializer(serializers.Serializer):
    record_id = serializers.CharField()
    department = serializers.CharField()
    facts = serializers.SerializerMethodField(help_text="字段名称 → 显示值；空值不列出")
    counts_for = serializers.CharField(allow_blank=True, help_text="此记录当前使主体评为的颜色，不计入为空")

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"oneOf": [{"type": "string"}, {"type": "number"}]}}
    )
    def get_facts(self, card: public.RecordCard) -> dict:
        return {label: _plain(value) for label, value in card.facts}


def _plain(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    return str(value)


class SectionSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="记录类型")
    label = serializers.CharField()
    records = RecordSerializer(many=True)


class InfoClassSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="信息类别：annual, social, regulatory, property, judicial")
    label = serializers.CharField()
    sections = SectionSerializer(many=True)


class ComplaintsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    last_12_months = serializers.IntegerField()
    mediated = serializers.IntegerField()
    mediation_success = serializers.IntegerField()
    success_rate = serializers.FloatField(allow_null=True)
    warning = serializers.BooleanField(help_text="消费警示：近 12 个月投诉多且调解成功率低")


class TraceLineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    department = serializers.CharField()
    action = serializers.CharField(
        help_text="claim, licensed, written_notice, feedback, close, repair_decide, result"
    )
    label = serializers.CharField()


class PreWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="licence_expiring, annual_report_missing, abnormal_three_years")
    label = serializers.CharField()
    due_on = serializers.DateField()


# A selectors.public.SubjectPage: what the public subject page shows.
class SubjectPageSerializer(serializers.Serializer):
    subject = SubjectBasicsSerializer()
    colour = ColourSerializer()
    reasons = ReasonSerializer(source="colour.reasons", many=True)
    next_change = NextChangeSerializer(source="colour.next_change", allow_null=True)
    restrictions = serializers.SerializerMethodField(help_text="联合惩戒措施")
    classes = InfoClassSerializer(many=True)
    complaints = ComplaintsSerializer()
    pre_warnings = PreWarningSerializer(many=True, help_text="预警提醒：不是警示等级")
    trace = TraceLineSerializer(
        many=True, help_text="监管痕迹：哪个部门在何时认领、检查或作出何种决定（不含人员姓名）"
    )

    @extend_schema_field(RestrictionSerializer(many=True))
    def get_restrictions(self, page: public.SubjectPage) -> list[dict]:
        return [{"code": code, "label": public.restriction_label(code)} for code in page.colour.restrictions]


# --------------------------------------------------------------------------- search


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=2, max_length=100, help_text="名称、法定代表人姓名或代码，至少 2 个字"
    )


class SearchResultSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField()
    subject_type = serializers.CharField()
    subject_type_label = serializers.CharField(source="type_label")
    status = serializers.CharField()
    status_label = serializers.CharField()
    colour = serializers.ChoiceField(choices=COLOURS)
    colour_label = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    limit = serializers.IntegerField(help_text="最多返回的条数")
    total = serializers.IntegerField(help_text="相符的主体总数（最多计到 1,000）")
    more = serializers.BooleanField(help_text="相符的主体超过 1,000 个")
    results = SearchResultSerializer(many=True)


# --------------------------------------------------------------------------- batch check


class CheckRequestSerializer(serializers.Serializer):
    codes = serializers.ListField(
        child=TextField(allow_blank=True, trim_whitespace=False, max_length=ENTRY_MAX_LENGTH),
        allow_empty=True,
        help_text=f"统一社会信用代码、注册号、组织机构代码或准确名称，每次最多 {settings.BATCH_CHECK_MAX_CODES:,} 条",
    )


# A selectors.batch.BatchRow.as_dict(), one per entry, in input order.
class CheckRowSerializer(serializers.Serializer):
    entry = serializers.CharField(help_text="原样返回的输入")
    status = serializers.ChoiceField(choices=STATUSES, help_text="found 已查到, unknown 未查到, invalid 代码有误, "
                                     "ambiguous 名称对应多个主体")  # fmt: skip
    status_label = serializers.CharField()
    uscc = serializers.CharField(allow_null=True)
    name = serializers.CharField(allow_null=True)
    colour = serializers.ChoiceField(choices=COLOURS, allow_null=True)
    colour_label = serializers.CharField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())
    restrictions = serializers.ListField(child=serializers.CharField())
    restriction_labels = serializers.ListField(child=serializers.CharField())
    candidates = serializers.ListField(child=serializers.CharField(), help_text="名称对应多个主体时的代码")
    note = serializers.CharField(allow_blank=True)
    checked_on = serializers.DateField()


class CheckResponseSerializer(serializers.Serializer):
    checked_on = serializers.DateField()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="各状态的条数")
    results = CheckRowSerializer(many=True)


# --------------------------------------------------------------------------- watchlists


class WatchlistSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = TextField(max_length=NAME_MAX_LENGTH, help_text="名称，在本机构内唯一")
    created_at = serializers.DateTimeField(read_only=True)
    subject_count = serializers.IntegerField(source="entry_count", read_only=True, default=0)


class WatchedSubjectSerializer(serializers.Serializer):
    uscc = serializers.CharField()
    name = serializers.CharField(source="subject_name", allow_null=True, help_text="尚未登记的主体为空")
    colour = serializers.ChoiceField(choices=COLOURS, allow_null=True, help_text="尚未登记或评定的为空")
    colour_label = serializers.SerializerMethodField()
    added_at = serializers.DateTimeField()

    def get_colour_label(self, entry) -> str | None:
        return str(public.COLOUR_LABELS[entry.colour]) if entry.colour else None


# A watchlist with its entries, given as context["entries"] (selectors.monitoring.watchlist_entries).
class WatchlistDetailSerializer(WatchlistSerializer):
    subjects = serializers.SerializerMethodField()

    @extend_schema_field(WatchedSubjectSerializer(many=True))
    def get_subjects(self, watchlist) -> list:
        return WatchedSubjectSerializer(self.context["entries"], many=True).data


class WatchlistSubjectsRequestSerializer(serializers.Serializer):
    usccs = serializers.ListField(
        child=TextField(allow_blank=True, max_length=ENTRY_MAX_LENGTH),
        help_text=f"统一社会信用代码（写法不限），每次最多 {settings.BATCH_CHECK_MAX_CODES:,} 个；"
        "尚未登记的主体登记后即开始监测",
    )


class WatchlistSubjectsResponseSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.CharField(), help_text="新加入的代码（规范写法）")
    already = serializers.ListField(child=serializers.CharField(), help_text="已在名单中的代码")
    invalid = serializers.ListField(child=serializers.CharField(), help_text="无效的输入，原样返回")


# --------------------------------------------------------------------------- events


class EventsQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, required=False, help_text="上次读到的最后一个事件 id")
    limit = serializers.IntegerField(min_value=1, max_value=FEED_MAX_LIMIT, default=100)


# An event as the feed lists it, and as services.monitoring.event_body posts it to webhooks.
class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.ChoiceField(
        source="kind", choices=EventKind.choices, help_text="颜色变化或新增/更新记录"
    )
    uscc = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    data = serializers.DictField(source="payload", help_text="事件内容：颜色变化前后及原因，或记录的公示字段")


class EventsResponseSerializer(serializers.Serializer):
    events = EventSerializer(many=True)
    next_after = serializers.IntegerField(allow_null=True, help_text="下一页的 after：本页最后一个事件的 id")


# --------------------------------------------------------------------------- errors


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="稳定的英文错误代码，如 subject_not_found")
    message = serializers.CharField(help_text="中文说明")
    details = serializers.JSONField(required=False, help_text="字段错误（仅 400 请求参数有误时）")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
