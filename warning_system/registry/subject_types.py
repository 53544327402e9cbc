"""The five kinds of subjects the platform covers, and what tells them apart: the USCC's first two
characters, the registry that keeps them, and the names their registration uses for its fields.

USCC characters 1–2 (GB 32100-2015 with amendment XG1-2016, 表 1 登记管理部门代码 and 表 2 机构类别代码):

    1 机构编制   11 机关 · 12 事业单位 · 13 中央编办直接管理机构编制的群众团体 · 19 其他
    5 民政       51 社会团体 · 52 民办非企业单位 · 53 基金会 · 59 其他
    9 工商       91 企业 · 92 个体工商户 · 93 农民专业合作社
    (2 外交, 3 司法行政, 4 文化, 6 旅游, 7 宗教, 8 工会, A 军队编制, N 农业, Y 其他: their subjects
     are not among the registration feed's types, so they are never compatible with one.)

Only the registries of 机构编制 (1), 民政 (5) and 市场监管 (9) send registrations (feed contract,
kind `registration`); a subject type that the USCC's characters contradict is a data error the
department must correct, never something to guess right (docs/feeds.md §2: "never guess a wrong code
into a right one").
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .choices import SubjectType

ENTERPRISE = SubjectType.ENTERPRISE.value
INDIVIDUAL_BUSINESS = SubjectType.INDIVIDUAL_BUSINESS.value
FARMER_COOPERATIVE = SubjectType.FARMER_COOPERATIVE.value
SOCIAL_ORGANIZATION = SubjectType.SOCIAL_ORGANIZATION.value
PUBLIC_INSTITUTION = SubjectType.PUBLIC_INSTITUTION.value
GOVERNMENT_AGENCY = SubjectType.GOVERNMENT_AGENCY.value

# USCC characters 1–2 -> the subject types a registration may carry with them. 13 (mass
# organisations staffed by the establishment office, e.g. 工会、共青团、妇联) are social groups
# managed like agencies; 19 (其他) is any non-market subject of the establishment office.
USCC_PREFIX_TYPES: dict[str, frozenset[str]] = {
    "11": frozenset({GOVERNMENT_AGENCY}),
    "12": frozenset({PUBLIC_INSTITUTION}),
    "13": frozenset({SOCIAL_ORGANIZATION, GOVERNMENT_AGENCY}),
    "19": frozenset({GOVERNMENT_AGENCY, PUBLIC_INSTITUTION, SOCIAL_ORGANIZATION}),
    "51": frozenset({SOCIAL_ORGANIZATION}),
    "52": frozenset({SOCIAL_ORGANIZATION}),
    "53": frozenset({SOCIAL_ORGANIZATION}),
    "59": frozenset({SOCIAL_ORGANIZATION}),
    "91": frozenset({ENTERPRISE}),
    "92": frozenset({INDIVIDUAL_BUSINESS}),
    "93": frozenset({FARMER_COOPERATIVE}),
}

# The registration authority (USCC character 1) and its category names (character 2).
AUTHORITY_LABELS = {
    "1": _("机构编制部门"),
    "5": _("民政部门"),
    "9": _("市场监督管理部门"),
}
AUTHORITY_KINDS = {"1": "establishment_office", "5": "civil_affairs", "9": "market_regulation"}
CATEGORY_LABELS = {
    "11": _("机关"),
    "12": _("事业单位"),
    "13": _("群众团体"),
    "19": _("其他机构编制管理对象"),
    "51": _("社会团体"),
    "52": _("民办非企业单位"),
    "53": _("基金会"),
    "59": _("其他社会组织"),
    "91": _("企业"),
    "92": _("个体工商户"),
    "93": _("农民专业合作社"),
}


def uscc_prefix_contradiction(uscc: str, subject_type: str) -> str | None:
    """Why `subject_type` cannot be the type of a subject with this (valid) USCC, or None."""
    prefix = uscc[:2]
    allowed = USCC_PREFIX_TYPES.get(prefix)
    if allowed is None:
        return f"统一社会信用代码第 1–2 位“{prefix}”不是机构编制、民政或市场监管部门登记的主体类别"
    if subject_type not in allowed:
        expected = "、".join(str(SubjectType(t).label) for t in sorted(allowed))
        return (
            f"主体类型“{SubjectType(subject_type).label}”与统一社会信用代码第 1–2 位“{prefix}”"
            f"（{CATEGORY_LABELS[prefix]}）不符，应为{expected}"
        )
    return None


def is_natural_person(subject_type: str) -> bool:
    """An individual business is a natural person trading under a licence (民法典 第五十四条:
    自然人从事工商业经营，经依法登记，为个体工商户): its operator's data are personal data."""
    return subject_type == INDIVIDUAL_BUSINESS


def representative_label(subject_type: str, enterprise_type: str | None = None) -> str:
    """What the registration calls the person in `legal_representative`.

    Enterprises: 法定代表人, but 投资人 of a sole-proprietorship enterprise, 执行事务合伙人 of a
    partnership, 负责人 of a branch (市场主体登记管理条例 第八条). Cooperatives, social organisations
    and public institutions are legal persons whose certificates name a 法定代表人; the USCC
    certificate of an agency names its 负责人; an individual business has an 经营者.
    """
    if subject_type == INDIVIDUAL_BUSINESS:
        return str(_("经营者"))
    if subject_type == GOVERNMENT_AGENCY:
        return str(_("负责人"))
    if subject_type == ENTERPRISE and enterprise_type:
        if "分公司" in enterprise_type or "分支机构" in enterprise_type:
            return str(_("负责人"))
        if "合伙" in enterprise_type:
            return str(_("执行事务合伙人"))
        if "个人独资" in enterprise_type:
            return str(_("投资人"))
    return str(_("法定代表人"))


def capital_label(subject_type: str, uscc: str = "", enterprise_type: str | None = None) -> str | None:
    """What the registration calls its capital, or None where the type registers none.

    注册资本 of companies; 出资额 of partnerships and sole proprietorships; 成员出资总额 of
    cooperatives; 注册资金 of 社会团体, 开办资金 of 民办非企业单位 and of 事业单位, 原始基金 of
    基金会. Agencies and branches register no capital; an individual business's 资金数额 is its
    operator's own money and not a registration item (市场主体登记管理条例实施细则 第六条).
    """
    if subject_type in (GOVERNMENT_AGENCY, INDIVIDUAL_BUSINESS):
        return None
    if subject_type == FARMER_COOPERATIVE:
        return str(_("成员出资总额"))
    if subject_type == PUBLIC_INSTITUTION:
        return str(_("开办资金"))
    if subject_type == SOCIAL_ORGANIZATION:
        return str(
            {"51": _("注册资金"), "52": _("开办资金"), "53": _("原始基金")}.get(uscc[:2], _("注册资金"))
        )
    if enterprise_type:
        if "分公司" in enterprise_type or "分支机构" in enterprise_type:
            return None
        if "合伙" in enterprise_type or "个人独资" in enterprise_type:
            return str(_("出资额"))
    return str(_("注册资本"))


def scope_label(subject_type: str) -> str:
    """经营范围 of market subjects; 业务范围 of social organisations; 宗旨和业务范围 of public
    institutions (事业单位法人证书); 主要职责 of agencies."""
    if subject_type == SOCIAL_ORGANIZATION:
        return str(_("业务范围"))
    if subject_type == PUBLIC_INSTITUTION:
        return str(_("宗旨和业务范围"))
    if subject_type == GOVERNMENT_AGENCY:
        return str(_("主要职责"))
    return str(_("经营范围"))


def authority_kind(uscc: str) -> str | None:
    """market_regulation, civil_affairs or establishment_office: the registry behind the USCC."""
    return AUTHORITY_KINDS.get(uscc[:1])


def authority_label(uscc: str) -> str:
    """The registry behind the USCC, named for people (登记管理部门)."""
    label = AUTHORITY_LABELS.get(uscc[:1])
    return str(label) if label else ""


def category_label(uscc: str) -> str:
    """The category the USCC's character 2 names (社会团体, 基金会, 事业单位 …)."""
    label = CATEGORY_LABELS.get(uscc[:2])
    return str(label) if label else ""
