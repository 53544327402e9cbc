"""The department feed contract written down as data (docs/feeds.md, whose tables are generated from it).

Every header spelling (canonical key, 双公示 code, Chinese label), every accepted enum
spelling, the required and the personal (P) fields live here once; the parsers, the
normaliser, the staging tables and the demo city generator all read them from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

TEXT = "text"
DATE = "date"
DATETIME = "datetime"
AMOUNT = "amount"
INT = "int"
ENUM = "enum"
MULTI_ENUM = "multi_enum"
BOOL = "bool"
USCC = "uscc"
ORG_CODE = "org_code"
REG_NUMBER = "reg_number"
# A date in a "valid to" field where 长期 / 永久 means "no end".
OPEN_DATE = "open_date"

RECORD_ID_MAX_LENGTH = 64
# Characters a text field may hold unless it says otherwise: names, authorities, numbers, addresses.
TEXT_MAX_LENGTH = 500
# Narrative fields (facts, scope, content, summaries, remarks).
LONG_TEXT = 10_000


# Text fields that name a person or an organisation: a number written into one is dropped.
NAME_FIELDS = frozenset({
    "name", "subject_name", "legal_representative", "authority", "listing_authority", "removal_authority",
    "registration_authority", "court", "data_source", "creditor", "counterparty", "honor_name",
    "certificate_name", "decision_document_name", "task_name", "enterprise_type",
})  # fmt: skip
# Text fields that are identifiers or codes the authorities assign: never redacted.
IDENTIFIER_FIELDS = frozenset({
    "record_id", "document_number", "license_number", "case_number", "basis_document",
    "listing_document_number", "registration_no", "district_code", "industry_code", "legal_rep_id_type",
    "website", "email",
})  # fmt: skip


@dataclass(frozen=True)
class Field:
    key: str
    type: str = TEXT
    required: bool = False
    personal: bool = False
    aliases: tuple[str, ...] = ()
    enum: str | None = None
    # Text fields only: the most characters a value may have (None: TEXT_MAX_LENGTH).
    max_length: int | None = None
    # A date on which something happened (a decision, a listing, a judgment …): it cannot lie in
    # the future, nor before the People's Republic's registers began (1949-10-01).
    event: bool = False

    @property
    def redaction(self) -> str | None:
        """How personal numbers written into this field are taken out before it is stored (see
        `redaction.py`): dropped from a name, masked in other text; identifiers and codes are left
        as they are, personal fields are private anyway."""
        if self.type != TEXT or self.personal or self.key in IDENTIFIER_FIELDS:
            return None
        return "name" if self.key in NAME_FIELDS else "text"

    @property
    def length_limit(self) -> int | None:
        if self.type != TEXT:
            return None
        return self.max_length or TEXT_MAX_LENGTH


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    fields: tuple[Field, ...]
    # (start, end) field pairs where end must not be before start.
    ordered_dates: tuple[tuple[str, str], ...] = ()
    # A record must name its subject by at least one of these.
    subject_keys: tuple[str, ...] = ("uscc", "organization_code", "registration_number")
    by_key: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_key.update({f.key: f for f in self.fields})

    @property
    def public_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.personal and f.key not in COMMON_KEYS)

    @property
    def personal_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.personal)


# Enumerations: code -> every spelling departments use for it (code itself always accepted).
ENUMS: dict[str, dict[str, tuple[str, ...]]] = {
    "op": {"upsert": ("更新", "新增", "insert", "update"), "delete": ("删除", "撤回")},
    "subject_type": {
        "enterprise": ("企业",),
        "individual_business": ("个体工商户", "个体"),
        "farmer_cooperative": ("农民专业合作社", "合作社"),
        "social_organization": ("社会组织",),
        "public_institution": ("事业单位",),
        "government_agency": ("机关",),
    },
    "registration_status": {
        "existing": ("存续",),
        "operating": ("在业",),
        "revoked": ("吊销",),
        "cancelled": ("注销",),
        "moved_out": ("迁出",),
        "withdrawn": ("撤销",),
    },
    "subject_category": {
        "legal_person": ("法人及非法人组织", "法人"),
        "natural_person": ("自然人",),
        "individual_business": ("个体工商户",),
    },
    "license_category": {
        "ordinary": ("普通",),
        "franchise": ("特许",),
        "accreditation": ("认可",),
        "approval": ("核准",),
        "registration": ("登记",),
        "other": ("其他",),
    },
    "license_status": {
        "valid": ("1", "有效"),
        "invalid": ("2", "无效"),
        "cancelled": ("注销",),
        "withdrawn": ("撤销",),
        "revoked": ("吊销",),
    },
    "penalty_category": {
        "warning": ("警告",),
        "circulated_criticism": ("通报批评",),
        "fine": ("罚款",),
        "confiscate_illegal_gains": ("没收违法所得",),
        "confiscate_illegal_property": ("没收非法财物",),
        "suspend_license": ("暂扣许可证件", "暂扣许可证"),
        "lower_qualification": ("降低资质等级",),
        "revoke_license": ("吊销许可证件", "吊销许可证"),
        "restrict_production": ("限制开展生产经营活动",),
        "order_suspension": ("责令停产停业",),
        "order_closure": ("责令关闭",),
        "restrict_practice": ("限制从业",),
        "other": ("其他",),
    },
    "procedure": {"simple": ("简易程序", "简易"), "ordinary": ("普通程序", "普通", "一般程序")},
    "abnormal_reason": {
        "no_annual_report": ("未按规定报送年度报告",),
        "no_disclosure": ("未在责令期限内公示有关企业信息",),
        "false_disclosure": ("公示企业信息隐瞒真实情况、弄虚作假", "公示企业信息隐瞒真实情况弄虚作假"),
        "unreachable": ("通过登记的住所或者经营场所无法联系",),
    },
    "party_role": {
        "plaintiff": ("原告",),
        "defendant": ("被告",),
        "third_party": ("第三人",),
        "applicant": ("申请执行人",),
        "respondent": ("被执行人",),
    },
    "performance": {"none": ("全部未履行",), "partial": ("部分履行", "部分未履行")},
    "arrears_type": {
        "tax": ("欠税",),
        "loan": ("欠贷",),
        "social_security": ("欠缴社保",),
        "medical_insurance": ("欠缴医保",),
        "wages": ("拖欠工资",),
        "disability_fund": ("欠缴残保金",),
        "utilities": ("拖欠水电气费",),
    },
    "right_type": {
        "equity_pledge": ("股权出质",),
        "chattel_mortgage": ("动产抵押",),
        "equity_freeze": ("股权冻结",),
    },
    "right_status": {"valid": ("有效",), "invalid": ("无效",), "released": ("已解除", "解除")},
    "complaint_channel": {
        "12315": (),
        "12345": (),
        "letter": ("来信",),
        "visit": ("来访",),
        "online": ("网络",),
    },
    "complaint_category": {
        "quality": ("质量",),
        "price": ("价格",),
        "contract": ("合同",),
        "after_sales": ("售后服务",),
        "false_advertising": ("虚假宣传",),
        "food_safety": ("食品安全",),
        "other": ("其他",),
    },
    "handling_status": {"accepted": ("受理",), "rejected": ("不予受理",), "closed": ("办结",)},
    "mediation_result": {"success": ("调解成功",), "failure": ("调解失败",), "none": ("未调解",)},
    "inspection_type": {
        "random": ("双随机",),
        "special": ("专项",),
        "routine": ("日常",),
    },
    "inspection_result": {
        "no_problem": ("未发现问题",),
        "corrected": ("发现问题已责令改正",),
        "pending": ("发现问题待后续处理",),
        "undisclosed": ("未按规定公示应当公示的信息",),
        "false_disclosure": ("公示信息隐瞒真实情况弄虚作假", "公示信息隐瞒真实情况、弄虚作假"),
        "unreachable": ("通过登记的住所（经营场所）无法联系", "通过登记的住所(经营场所)无法联系"),
        "refused": ("不配合检查情节严重",),
        "no_activity": ("未发现开展本次抽查涉及的经营活动",),
        "closed": ("已关闭停业或正在组织清算",),
        "other": ("其他",),
    },
}


def _common(subject_aliases: tuple[str, ...] = (), codes: dict[str, str] | None = None) -> tuple[Field, ...]:
    codes = codes or {}

    def with_code(key: str, *labels: str) -> tuple[str, ...]:
        return ((codes[key],) if key in codes else ()) + labels

    return (
        Field("record_id", TEXT, required=True, aliases=("记录编号",)),
        Field("op", ENUM, enum="op", aliases=("操作",)),
        Field("updated_at", DATETIME, required=True, aliases=("更新时间",)),
        Field("uscc", USCC, aliases=with_code("uscc", "统一社会信用代码")),
        Field(
            "registration_number",
            REG_NUMBER,
            aliases=with_code("registration_number", "注册号", "工商注册号"),
        ),
        Field("organization_code", ORG_CODE, aliases=with_code("organization_code", "组织机构代码")),
        Field(
            "subject_name",
            TEXT,
            required=True,
            aliases=with_code("subject_name", "主体名称", "企业名称", "当事人名称") + subject_aliases,
        ),
    )


COMMON_KEYS = (
    "record_id",
    "op",
    "updated_at",
    "uscc",
    "registration_number",
    "organization_code",
    "subject_name",
)


def _required_uscc(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    return tuple(replace(f, required=True) if f.key == "uscc" else f for f in fields)


def _xk(key: str) -> dict[str, str]:
    return {
        "uscc": f"{key}_XDR_SHXYM",
        "registration_number": f"{key}_XDR_GSZC",
        "organization_code": f"{key}_XDR_ZZJG",
        "subject_name": f"{key}_XDR_MC",
    }


REGISTRATION = Kind(
    "registration",
    "登记信息",
    # A registration names its subject by `name`; `subject_name` is accepted as its alias.
    tuple(f for f in _required_uscc(_common()) if f.key != "subject_name")
    + (
        Field(
            "name",
            TEXT,
            required=True,
            max_length=200,
            aliases=("名称", "subject_name", "主体名称", "企业名称"),
        ),
        Field("subject_type", ENUM, required=True, enum="subject_type", aliases=("主体类型",)),
        Field("enterprise_type", TEXT, aliases=("企业类型",)),
        Field("legal_representative", TEXT, max_length=200, aliases=("法定代表人", "负责人", "经营者")),
        Field("legal_rep_id_type", TEXT, aliases=("证件类型",)),
        Field("legal_rep_id_number", TEXT, personal=True, aliases=("证件号码",)),
        Field("registered_capital", AMOUNT, aliases=("注册资本(万元)", "注册资本")),
        Field("established_on", DATE, required=True, aliases=("成立日期",)),
        Field("operating_from", DATE, aliases=("营业期限自",)),
        Field("operating_to", OPEN_DATE, aliases=("营业期限至",)),
        Field("registration_authority", TEXT, aliases=("登记机关",)),
        Field("approved_on", DATE, event=True, aliases=("核准日期",)),
        Field("status", ENUM, required=True, enum="registration_status", aliases=("登记状态",)),
        Field("address", TEXT, aliases=("住所",)),
        Field("district_code", TEXT, required=True, max_length=6, aliases=("行政区划代码",)),
        Field("industry_code", TEXT, max_length=8, aliases=("行业代码",)),
        Field("business_scope", TEXT, max_length=LONG_TEXT, aliases=("经营范围",)),
        Field("phone", TEXT, personal=True, aliases=("联系电话",)),
    ),
    ordered_dates=(("operating_from", "operating_to"),),
)

LICENSE = Kind(
    "license",
    "行政许可",
    _common(("行政相对人名称",), _xk("XK"))
    + (
        Field("subject_category", ENUM, enum="subject_category", aliases=("XK_XDR_LB", "行政相对人类别")),
        Field("legal_representative", TEXT, max_length=200, aliases=("XK_FRDB", "法定代表人")),
        Field("legal_rep_id_type", TEXT, aliases=("XK_FR_ZJLX", "证件类型")),
        Field("legal_rep_id_number", TEXT, personal=True, aliases=("XK_FR_ZJHM", "证件号码")),
        Field("decision_document_name", TEXT, aliases=("XK_XKWS", "行政许可决定文书名称")),
        Field("document_number", TEXT, required=True, aliases=("XK_WSH", "行政许可决定文书号")),
        Field("license_category", ENUM, enum="license_category", aliases=("XK_XKLB", "许可类别")),
        Field("certificate_name", TEXT, aliases=("XK_ZSMC", "许可证书名称")),
        Field("license_number", TEXT, aliases=("XK_XKBH", "许可编号")),
        Field("content", TEXT, max_length=LONG_TEXT, aliases=("XK_NR", "许可内容")),
        Field("decided_on", DATE, event=True, required=True, aliases=("XK_JDRQ", "许可决定日期")),
        Field("valid_from", DATE, required=True, aliases=("XK_YXQZ", "有效期自")),
        Field("valid_to", OPEN_DATE, aliases=("XK_YXQZI", "有效期至")),
        Field("authority", TEXT, required=True, aliases=("XK_XKJG", "许可机关")),
        Field("authority_uscc", USCC, aliases=("XK_XKJGDM", "许可机关统一社会信用代码")),
        Field("status", ENUM, enum="license_status", aliases=("XK_ZT", "当前状态")),
        Field("data_source", TEXT, aliases=("XK_LYDW", "数据来源单位")),
        Field("data_source_uscc", USCC, aliases=("XK_LYDWDM", "数据来源单位统一社会信用代码")),
        Field("remark", TEXT, max_length=LONG_TEXT, aliases=("BZ", "备注")),
    ),
    ordered_dates=(("valid_from", "valid_to"), ("decided_on", "valid_to")),
)

PENALTY = Kind(
    "penalty",
    "行政处罚",
    _common(("行政相对人名称",), _xk("CF"))
    + (
        Field("subject_category", ENUM, enum="subject_category", aliases=("CF_XDR_LB", "行政相对人类别")),
        Field("legal_representative", TEXT, max_length=200, aliases=("CF_FRDB", "法定代表人")),
        Field("legal_rep_id_type", TEXT, aliases=("CF_FR_ZJLX", "证件类型")),
        Field("legal_rep_id_number", TEXT, personal=True, aliases=("CF_FR_ZJHM", "证件号码")),
        Field("document_number", TEXT, required=True, aliases=("CF_WSH", "行政处罚决定书文号")),
        Field("violation_type", TEXT, required=True, aliases=("CF_WFXW", "违法行为类型")),
        Field("violation_facts", TEXT, max_length=LONG_TEXT, aliases=("CF_SY", "违法事实")),
        Field("legal_basis", TEXT, max_length=LONG_TEXT, aliases=("CF_YJ", "处罚依据")),
        Field(
            "penalty_categories",
            MULTI_ENUM,
            required=True,
            enum="penalty_category",
            aliases=("CF_CFLB", "处罚类别"),
        ),
        Field("penalty_content", TEXT, max_length=LONG_TEXT, aliases=("CF_NR", "处罚内容")),
        Field("fine_amount", AMOUNT, aliases=("CF_NR_FK", "罚款金额(万元)", "罚款金额")),
        Field(
            "confiscation_amount",
            AMOUNT,
            aliases=("CF_NR_WFFF", "没收违法所得、没收非法财物的金额(万元)", "没收金额"),
        ),
        Field(
            "suspended_or_revoked_license",
            TEXT,
            max_length=LONG_TEXT,
            aliases=("CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
        ),
        Field("decided_on", DATE, event=True, required=True, aliases=("CF_JDRQ", "处罚决定日期")),
        Field("penalty_valid_to", OPEN_DATE, aliases=("CF_YXQ", "处罚有效期")),
        Field("publish_until", DATE, aliases=("CF_GSJZQ", "公示截止期")),
        Field("authority", TEXT, required=True, aliases=("CF_CFJG", "处罚机关")),
        Field("authority_uscc", USCC, aliases=("CF_CFJGDM", "处罚机关统一社会信用代码")),
        Field("procedure", ENUM, enum="procedure", aliases=("CF_CXLX", "程序类型")),
        Field("data_source", TEXT, aliases=("CF_SJLY", "数据来源")),
        Field("data_source_uscc", USCC, aliases=("CF_SJLYDM", "数据来源单位统一社会信用代码")),
        Field("remark", TEXT, max_length=LONG_TEXT, aliases=("BZ", "备注")),
    ),
    ordered_dates=(("decided_on", "publish_until"), ("decided_on", "penalty_valid_to")),
)

ABNORMAL_LISTING = Kind(
    "abnormal_listing",
    "经营异常名录",
    _required_uscc(_common())
    + (
        Field("listed_on", DATE, event=True, required=True, aliases=("列入日期",)),
        Field("listing_reason", ENUM, required=True, enum="abnormal_reason", aliases=("列入原因",)),
        Field("listing_authority", TEXT, required=True, aliases=("作出决定机关",)),
        Field("listing_document_number", TEXT, aliases=("列入决定书文号",)),
        Field("removed_on", DATE, aliases=("移出日期",)),
        Field("removal_reason", TEXT, max_length=LONG_TEXT, aliases=("移出原因",)),
        Field("removal_authority", TEXT, aliases=("移出决定机关",)),
    ),
    ordered_dates=(("listed_on", "removed_on"),),
)

SERIOUS_VIOLATION = Kind(
    "serious_violation",
    "严重违法失信名单",
    _required_uscc(_common())
    + (
        Field("listed_on", DATE, event=True, required=True, aliases=("列入日期",)),
        Field("listing_reason", TEXT, required=True, max_length=LONG_TEXT, aliases=("列入原因",)),
        Field("authority", TEXT, required=True, aliases=("作出决定机关",)),
        Field("document_number", TEXT, aliases=("决定书文号",)),
        Field("removed_on", DATE, aliases=("移出日期",)),
        Field("removal_reason", TEXT, max_length=LONG_TEXT, aliases=("移出原因",)),
    ),
    ordered_dates=(("listed_on", "removed_on"),),
)

COURT_JUDGMENT = Kind(
    "court_judgment",
    "司法判决",
    _common()
    + (
        Field("case_number", TEXT, required=True, aliases=("案号",)),
        Field("court", TEXT, required=True, aliases=("法院",)),
        Field("cause", TEXT, aliases=("案由",)),
        Field("party_role", ENUM, required=True, enum="party_role", aliases=("诉讼地位",)),
        Field("judged_on", DATE, event=True, required=True, aliases=("裁判日期",)),
        Field("amount", AMOUNT, aliases=("标的金额(万元)", "标的金额")),
        Field("result_summary", TEXT, max_length=LONG_TEXT, aliases=("裁判结果",)),
        Field("refuses_to_perform", BOOL, aliases=("有履行能力而拒不履行",)),
    ),
)

DISHONEST_DEBTOR = Kind(
    "dishonest_debtor",
    "失信被执行人",
    _common()
    + (
        Field("legal_representative", TEXT, max_length=200, aliases=("法定代表人",)),
        Field("case_number", TEXT, required=True, aliases=("案号",)),
        Field("court", TEXT, required=True, aliases=("执行法院",)),
        Field("basis_document", TEXT, aliases=("执行依据文号",)),
        Field("obligation", TEXT, max_length=LONG_TEXT, aliases=("生效法律文书确定的义务",)),
        Field("performance", ENUM, required=True, enum="performance", aliases=("履行情况",)),
        Field("dishonest_behavior", TEXT, max_length=LONG_TEXT, aliases=("失信行为具体情形",)),
        Field("published_on", DATE, event=True, required=True, aliases=("发布日期",)),
        Field("removed_on", DATE, aliases=("撤销/屏蔽日期", "撤销日期", "屏蔽日期")),
    ),
    ordered_dates=(("published_on", "removed_on"),),
)

ARREARS = Kind(
    "arrears",
    "欠款",
    _required_uscc(_common())
    + (
        Field("arrears_type", ENUM, required=True, enum="arrears_type", aliases=("欠款类型",)),
        Field("amount", AMOUNT, required=True, aliases=("金额(万元)", "金额")),
        Field("since", DATE, required=True, aliases=("欠款起始日期",)),
        Field("as_of", DATE, required=True, aliases=("统计日期",)),
        Field("creditor", TEXT, aliases=("债权人", "征收机关", "债权人 / 征收机关")),
        Field("settled_on", DATE, aliases=("结清日期",)),
    ),
    ordered_dates=(("since", "as_of"), ("since", "settled_on")),
)

PROPERTY_RIGHT = Kind(
    "property_right",
    "财产状态",
    _required_uscc(_common())
    + (
        Field("right_type", ENUM, required=True, enum="right_type", aliases=("类型",)),
        Field("registration_no", TEXT, aliases=("登记编号",)),
        Field("amount", AMOUNT, aliases=("数额(万元)", "数额")),
        Field("counterparty", TEXT, aliases=("质权人", "抵押权人", "执行法院")),
        Field("registered_on", DATE, event=True, required=True, aliases=("登记日期",)),
        Field("status", ENUM, required=True, enum="right_status", aliases=("状态",)),
        Field("released_on", DATE, aliases=("解除日期",)),
    ),
    ordered_dates=(("registered_on", "released_on"),),
)

COMPLAINT = Kind(
    "complaint",
    "投诉举报",
    _common()
    + (
        Field("received_on", DATE, event=True, required=True, aliases=("受理日期",)),
        Field("channel", ENUM, enum="complaint_channel", aliases=("渠道",)),
        Field("category", ENUM, required=True, enum="complaint_category", aliases=("类别",)),
        Field("summary", TEXT, max_length=LONG_TEXT, aliases=("摘要",)),
        Field("handling_status", ENUM, required=True, enum="handling_status", aliases=("处理状态",)),
        Field("mediation_result", ENUM, enum="mediation_result", aliases=("调解结果",)),
        Field("closed_on", DATE, aliases=("办结日期",)),
        Field("complainant_name", TEXT, personal=True, aliases=("投诉人",)),
        Field("complainant_phone", TEXT, personal=True, aliases=("投诉人电话",)),
    ),
    ordered_dates=(("received_on", "closed_on"),),
)

INSPECTION = Kind(
    "inspection",
    "抽查检查结果",
    _required_uscc(_common())
    + (
        Field("inspected_on", DATE, event=True, required=True, aliases=("检查日期",)),
        Field("authority", TEXT, required=True, aliases=("检查机关",)),
        Field("inspection_type", ENUM, required=True, enum="inspection_type", aliases=("检查类型",)),
        Field("task_name", TEXT, aliases=("任务名称",)),
        Field("result", ENUM, required=True, enum="inspection_result", aliases=("检查结果",)),
    ),
)

ANNUAL_REPORT = Kind(
    "annual_report",
    "年度报告",
    _required_uscc(_common())
    + (
        Field("year", INT, required=True, aliases=("报告年度",)),
        Field("submitted_on", DATE, event=True, required=True, aliases=("报送日期",)),
        Field("employees", INT, aliases=("从业人数",)),
        Field("website", TEXT, aliases=("网站",)),
        Field("phone", TEXT, personal=True, aliases=("联系电话",)),
        Field("email", TEXT, aliases=("电子邮箱",)),
        Field("total_assets", AMOUNT, aliases=("资产总额(万元)", "资产总额")),
        Field("revenue", AMOUNT, aliases=("营业总收入(万元)", "营业总收入")),
        Field("assets_public", BOOL, aliases=("资产信息是否公示",)),
    ),
)

HONOR = Kind(
    "honor",
    "荣誉",
    _required_uscc(_common())
    + (
        Field("honor_name", TEXT, required=True, aliases=("荣誉名称",)),
        Field("awarded_on", DATE, event=True, required=True, aliases=("授予日期",)),
        Field("authority", TEXT, required=True, aliases=("授予机关",)),
        Field("valid_to", OPEN_DATE, aliases=("有效期至",)),
        Field("revoked_on", DATE, aliases=("撤销日期",)),
    ),
    ordered_dates=(("awarded_on", "valid_to"), ("awarded_on", "revoked_on")),
)

KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        REGISTRATION,
        LICENSE,
        PENALTY,
        ABNORMAL_LISTING,
        SERIOUS_VIOLATION,
        COURT_JUDGMENT,
        DISHONEST_DEBTOR,
        ARREARS,
        PROPERTY_RIGHT,
        COMPLAINT,
        INSPECTION,
        ANNUAL_REPORT,
        HONOR,
    )
}
