"""A 双随机 task's parameters in words, for people: the portal's public page and the workspace's task
page say "红色 100%", "红色：5 家中抽取 5 家", "六位数字，例如 482913" and "住宿和餐饮业" rather than
the stored ratios, strata, regular expressions and codes (which stay in the published files, where
the verifier reads them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warning_system.classification.models import Colour
from warning_system.registry.choices import SubjectType
from warning_system.registry.models import Department, District, enum_choices

COLOUR_ORDER = (Colour.RED, Colour.ORANGE, Colour.YELLOW, Colour.GREEN)
COLOUR_WORDS = {
    Colour.RED: gettext_lazy("红色"),
    Colour.ORANGE: gettext_lazy("橙色"),
    Colour.YELLOW: gettext_lazy("黄色"),
    Colour.GREEN: gettext_lazy("绿色"),
}

# The sections (门类) of GB/T 4754-2017: an industry code starts with its section letter.
INDUSTRY_SECTIONS = (
    ("A", gettext_lazy("农、林、牧、渔业")),
    ("B", gettext_lazy("采矿业")),
    ("C", gettext_lazy("制造业")),
    ("D", gettext_lazy("电力、热力、燃气及水生产和供应业")),
    ("E", gettext_lazy("建筑业")),
    ("F", gettext_lazy("批发和零售业")),
    ("G", gettext_lazy("交通运输、仓储和邮政业")),
    ("H", gettext_lazy("住宿和餐饮业")),
    ("I", gettext_lazy("信息传输、软件和信息技术服务业")),
    ("J", gettext_lazy("金融业")),
    ("K", gettext_lazy("房地产业")),
    ("L", gettext_lazy("租赁和商务服务业")),
    ("M", gettext_lazy("科学研究和技术服务业")),
    ("N", gettext_lazy("水利、环境和公共设施管理业")),
    ("O", gettext_lazy("居民服务、修理和其他服务业")),
    ("P", gettext_lazy("教育")),
    ("Q", gettext_lazy("卫生和社会工作")),
    ("R", gettext_lazy("文化、体育和娱乐业")),
    ("S", gettext_lazy("公共管理、社会保障和社会组织")),
    ("T", gettext_lazy("国际组织")),
)

# The seed formats a task may announce (warning_system.inspections.services.SEED_FORMATS), each
# with an example value a citizen can compare with what the source publishes.
SEED_EXAMPLES = {
    r"^\d{6}$": "482913",
    r"^\d{2}( \d{2}){6}$": "05 12 19 23 28 31 07",
    r"^\d{1,6}\.\d{2}$": "3318.27",
}

ALGORITHMS = {
    "rivest-sha256-v2": gettext_lazy(
        "按颜色分层，用随机种子经 SHA-256 哈希依次算出抽中的名录序号（Rivest 抽样法），"
        "同样算出每户的检查人员；回避关系以加盐哈希公布：任何人用验证程序重算，结果必须与公示的一致。"
    ),
    "rivest-sha256-v1": gettext_lazy(
        "按颜色分层，用随机种子经 SHA-256 哈希依次算出抽中的名录序号（Rivest 抽样法），"
        "同样算出每户的检查人员（第 1 版：回避关系以不加盐的哈希公布）：任何人都可用验证程序重算核对。"
    ),
}


def percent(ratio) -> str:
    """0.02 → "2%", 1.0 → "100%", 0.075 → "7.5%" (exactly, as the ratio was written)."""
    try:
        value = (Decimal(str(ratio)) * 100).normalize()
    except (InvalidOperation, ValueError):
        return str(ratio)
    return f"{value:f}%"


def _colours(mapping: dict) -> list[tuple[str, object]]:
    known = [(c, mapping[c]) for c in COLOUR_ORDER if c in mapping]
    return known + [(c, v) for c, v in mapping.items() if c not in COLOUR_ORDER]


def ratio_words(ratios: dict) -> str:
    """{"red": 1.0, "green": 0.02} → "红色 100%，绿色 2%"."""
    return _("，").join(f"{COLOUR_WORDS.get(c, c)} {percent(r)}" for c, r in _colours(ratios or {}))


def strata_words(strata: dict) -> list[str]:
    """{"red": {"N": 5, "k": 5}} → ["红色：5 家中抽取 5 家"]."""
    return [
        _("%(colour)s：%(n)s 家中抽取 %(k)s 家")
        % {"colour": COLOUR_WORDS.get(c, c), "n": s.get("N", 0), "k": s.get("k", 0)}
        for c, s in _colours(strata or {})
    ]


def algorithm_words(name: str) -> str:
    return str(ALGORITHMS.get(name, "")) or _("按公布的算法抽取，任何人都可用验证程序重算核对。")


@dataclass(frozen=True)
class SeedFormat:
    words: str  # "六位数字"
    example: str  # "482913"; blank when the format is not one of the announced kinds
    pattern: str  # the regular expression itself, for the verifier's readers


def seed_format(pattern: str) -> SeedFormat:
    from warning_system.inspections.services import SEED_FORMATS

    words = SEED_FORMATS.get(pattern)
    return SeedFormat(
        words=str(words) if words else _("按冻结时公布的格式"),
        example=SEED_EXAMPLES.get(pattern, ""),
        pattern=pattern,
    )


def department_names(codes: list[str]) -> list[str]:
    names = dict(Department.objects.filter(code__in=codes).values_list("code", "name"))
    return [names.get(code, code) for code in codes]


def industry_words(prefix: str) -> str:
    """ "H" → "住宿和餐饮业"; "F52" → "批发和零售业（行业代码以 F52 开头）"."""
    section = dict(INDUSTRY_SECTIONS).get(prefix[:1].upper())
    if section is None:
        return _("行业代码以 %(prefix)s 开头") % {"prefix": prefix}
    if len(prefix) == 1:
        return str(section)
    return _("%(section)s（行业代码以 %(prefix)s 开头）") % {"section": section, "prefix": prefix}


def scope_words(scope: dict) -> list[str]:
    """A task's scope as sentences, one per condition; empty means every existing subject."""
    scope = scope or {}
    lines = []
    if scope.get("district_codes"):
        names = dict(District.objects.filter(code__in=scope["district_codes"]).values_list("code", "name"))
        lines.append(
            _("行政区划：%(names)s") % {"names": "、".join(names.get(c, c) for c in scope["district_codes"])}
        )
    if scope.get("industry_prefixes"):
        industries = "、".join(industry_words(p) for p in scope["industry_prefixes"])
        lines.append(_("行业：%(names)s") % {"names": industries})
    if scope.get("colours"):
        lines.append(
            _("颜色：%(names)s") % {"names": "、".join(str(COLOUR_WORDS.get(c, c)) for c in scope["colours"])}
        )
    if scope.get("subject_types"):
        types = dict(SubjectType.choices)
        lines.append(
            _("主体类型：%(names)s")
            % {"names": "、".join(str(types.get(t, t)) for t in scope["subject_types"])}
        )
    if scope.get("licence_category"):
        category = dict(enum_choices("license_category")).get(
            scope["licence_category"], scope["licence_category"]
        )
        lines.append(_("持有许可类别：%(name)s") % {"name": category})
    if scope.get("licence_keyword"):
        lines.append(_("持有的许可证书名称包含“%(word)s”") % {"word": scope["licence_keyword"]})
    if scope.get("key_supervision"):
        lines.append(_("仅重点监管主体"))
    return lines
