"""Enumerations of the registry. Values are the feed contract's codes; labels are what people read."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    FILE = "file", _("文件投递")
    PULL = "pull", _("接口拉取")
    PUSH = "push", _("接口推送")
    REPROCESS = "reprocess", _("隔离区重新处理")
    WORKSPACE = "workspace", _("监管工作台录入")


class SubjectType(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    INDIVIDUAL_BUSINESS = "individual_business", _("个体工商户")
    FARMER_COOPERATIVE = "farmer_cooperative", _("农民专业合作社")
    SOCIAL_ORGANIZATION = "social_organization", _("社会组织")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    GOVERNMENT_AGENCY = "government_agency", _("机关")


class RegistrationStatus(models.TextChoices):
    EXISTING = "existing", _("存续")
    OPERATING = "operating", _("在业")
    REVOKED = "revoked", _("吊销")
    CANCELLED = "cancelled", _("注销")
    MOVED_OUT = "moved_out", _("迁出")
    WITHDRAWN = "withdrawn", _("撤销")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("成功")
    REJECTED = "rejected", _("整体拒收")
    FAILED = "failed", _("失败")
    INTERRUPTED = "interrupted", _("中断")


class QuarantineStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    REPROCESSED = "reprocessed", _("已重新处理")
    DISMISSED = "dismissed", _("已忽略")


class QuarantineReason(models.TextChoices):
    MISSING_REQUIRED = "missing_required", _("缺少必填字段")
    INVALID_USCC = "invalid_uscc", _("统一社会信用代码无效")
    INVALID_ORGANIZATION_CODE = "invalid_organization_code", _("组织机构代码无效")
    INVALID_REGISTRATION_NUMBER = "invalid_registration_number", _("注册号无效")
    NO_SUBJECT_IDENTIFIER = "no_subject_identifier", _("未提供主体代码")
    UNPARSABLE_DATE = "unparsable_date", _("日期无法解析")
    UNPARSABLE_AMOUNT = "unparsable_amount", _("金额无法解析")
    UNPARSABLE_NUMBER = "unparsable_number", _("数字无法解析")
    UNKNOWN_ENUM = "unknown_enum", _("枚举值未知")
    END_BEFORE_START = "end_before_start", _("结束日期早于开始日期")
    TOO_LONG = "too_long", _("字段超长")
    MALFORMED_RECORD = "malformed_record", _("记录格式错误")
    UNDECODABLE = "undecodable", _("无法按文件编码解码")
    CONTROL_CHARACTER = "control_character", _("含有控制字符")
    IMPLAUSIBLE_DATE = "implausible_date", _("日期不合理")
    SUBJECT_TYPE_MISMATCH = "subject_type_mismatch", _("主体类型与统一社会信用代码不符")
