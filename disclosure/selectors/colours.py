"""The public explanation of the colours (/colours), written from the ruleset and the measures
catalogue in force today, never from fixed text: when the city publishes a new ruleset version or
measures catalogue, the page says what the new version does on the day it takes effect.

Each rule *type* has its sentence here (what record triggers it, how long it counts); the numbers,
categories, results and labels in it come from the rule's parameters. A rule of a type this module
does not know is still listed, by its label and repair text, so a new type never hides a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, ngettext

from warning_system.classification import rules
from warning_system.classification.selectors import ruleset_for
from warning_system.registry import contract
from warning_system.sanctions import measures
from warning_system.sanctions.selectors import catalogue_for, use_label

from .public import HIGH_CONSUMPTION_LABEL

COLOUR_LABELS = {
    rules.GREEN: gettext_lazy("绿色"),
    rules.YELLOW: gettext_lazy("黄色"),
    rules.ORANGE: gettext_lazy("橙色"),
    rules.RED: gettext_lazy("红色"),
}


def _enum_label(enum: str, code: str) -> str:
    """The Chinese spelling the data contract gives an enum code (the code itself when none)."""
    spelled = contract.ENUMS.get(enum, {}).get(code) or ()
    chinese = [s for s in spelled if not s.isascii()]
    return _text(chinese[0]) if chinese else code


def _text(value: str) -> str:
    """A text of the rules or the catalogue in the reader's language when the catalogue knows it (the
    defaults are in it); what an administrator typed stays as typed."""
    return gettext(value) if value else value


def _enum_labels(enum: str, codes) -> str:
    return gettext("、").join(_enum_label(enum, code) for code in codes)


def _kind_label(kind: str) -> str:
    found = contract.KINDS.get(kind)
    return found.label if found else kind


def _years(n: int) -> str:
    return ngettext("%(n)s 年", "%(n)s 年", n) % {"n": n}


def _months(n: int) -> str:
    return ngettext("%(n)s 个月", "%(n)s 个月", n) % {"n": n}


def describe(rule: dict) -> tuple[str, str]:
    """(which record triggers the rule, how long it counts), in the reader's language."""
    kind = rule.get("type")
    if kind == "listing":
        return (
            gettext("被列入%(list)s，且尚未移出") % {"list": _kind_label(rule["kind"])},
            gettext("自列入之日起，至移出之日止"),
        )
    if kind == "court_refusal":
        return (
            gettext("法院生效裁判认定有履行能力而拒不履行"),
            gettext("自裁判之日起 %(years)s") % {"years": _years(rule["years"])},
        )
    if kind == "penalty":
        parts = []
        if rule.get("categories"):
            parts.append(
                gettext("处罚种类包括%(categories)s之一的行政处罚")
                % {"categories": _enum_labels("penalty_category", rule["categories"])}
            )
        if rule.get("ordinary_fine_at_least") is not None:
            floor = Decimal(str(rule["ordinary_fine_at_least"]))
            parts.append(
                gettext("适用普通程序、罚款 %(amount)s 万元以上的行政处罚") % {"amount": f"{floor:,}"}
            )
        what = gettext("；或").join(parts) if parts else gettext("其他行政处罚（仅警告的除外）")
        return what, gettext("自处罚决定之日起 %(years)s，且仅在处罚信息公示期内") % {
            "years": _years(rule["years"])
        }
    if kind == "registration_status":
        return (
            gettext("登记状态为%(statuses)s")
            % {"statuses": _enum_labels("registration_status", rule["statuses"])},
            gettext("该登记状态持续期间"),
        )
    if kind == "inspection":
        return (
            gettext("双随机抽查结果为%(results)s")
            % {"results": _enum_labels("inspection_result", rule["results"])},
            gettext("自检查之日起 %(years)s") % {"years": _years(rule["years"])},
        )
    if kind == "arrears":
        types = _enum_labels("arrears_type", rule["arrears_types"])
        if rule.get("months"):
            return (
                gettext("%(types)s逾期 %(months)s 以上未结清")
                % {"types": types, "months": _months(rule["months"])},
                gettext("至结清之日止"),
            )
        return gettext("%(types)s未结清") % {"types": types}, gettext("自欠款之日起，至结清之日止")
    if kind == "complaints":
        values = {"months": _months(rule["months"]), "count": rule["count"]}
        return (
            gettext("%(months)s内 %(count)s 件以上投诉调解失败") % values,
            gettext("直至最近 %(months)s内调解失败的投诉少于 %(count)s 件") % values,
        )
    return rule.get("label", rule.get("key", "")), ""


@dataclass
class RuleText:
    key: str
    label: str
    triggered_by: str
    counts: str
    repair: str


@dataclass
class Restriction:
    use: str
    use_label: str
    measure: str
    legal_basis: str


@dataclass
class ColourSection:
    colour: str
    label: str
    meaning: str
    rules: list[RuleText] = field(default_factory=list)
    restrictions: list[Restriction] = field(default_factory=list)


@dataclass
class ListRestriction:
    """A rule that restricts whatever colour it gives (a list the subject is on)."""

    label: str
    measures: list[str]


@dataclass
class ColoursGuide:
    day: date
    ruleset_version: int | None
    ruleset_from: date | None
    catalogue_version: int | None
    catalogue_from: date | None
    sections: list[ColourSection]
    by_list: list[ListRestriction]
    repair: list[str]


def _meaning(colour: str, more_severe: list[str]) -> str:
    if colour == rules.GREEN:
        return gettext("未触发下列任何一条规则：没有应公示的不良记录，不受联合惩戒限制。")
    if not more_severe:
        return gettext("触发下列规则之一。这是最严重的颜色。")
    return gettext("触发下列规则之一，且未触发%(colours)s的规则。") % {
        "colours": gettext("、").join(str(COLOUR_LABELS[c]) for c in more_severe)
    }


def _repair_lines(repair: dict) -> list[str]:
    lines = []
    kinds = repair.get("repairable_kinds") or []
    if kinds:
        lines.append(
            gettext("可申请信用修复的记录：%(kinds)s。")
            % {"kinds": gettext("、").join(_kind_label(k) for k in kinds)}
        )
    if "penalty" in kinds and repair.get("penalty_months") is not None:
        lines.append(
            gettext("行政处罚自决定之日起满 %(months)s 后可申请修复；%(fields)s领域满 %(sensitive)s 后。")
            % {
                "months": _months(repair["penalty_months"]),
                "fields": gettext("、").join(_text(word) for word in repair.get("sensitive_keywords") or []),
                "sensitive": _months(repair.get("sensitive_penalty_months", repair["penalty_months"])),
            }
        )
    if repair.get("not_repairable_categories"):
        lines.append(
            gettext("处罚种类包括%(categories)s的，不可修复。")
            % {"categories": _enum_labels("penalty_category", repair["not_repairable_categories"])}
        )
    if lines:
        lines.append(gettext("向作出该记录的部门提出申请，经批准后该记录不再公示、不再计入颜色。"))
    return lines


def colours_guide(day: date | None = None) -> ColoursGuide:
    """What each colour means on `day` (today): two queries, the ruleset and the catalogue."""
    day = day or timezone.localdate()
    ruleset = ruleset_for(day)
    rule_list = ruleset.rules if ruleset else rules.DEFAULT_RULES
    repair = ruleset.repair if ruleset else rules.DEFAULT_REPAIR
    catalogue = catalogue_for(day)
    catalogue_measures = catalogue.measures if catalogue else measures.default_measures()

    sections = []
    severe_first = list(rules.COLOURS[::-1])
    for position, colour in enumerate(severe_first):
        section = ColourSection(colour, str(COLOUR_LABELS[colour]), _meaning(colour, severe_first[:position]))
        for rule in rule_list:
            if rule.get("colour") == colour:
                what, counts = describe(rule)
                section.rules.append(
                    RuleText(
                        rule["key"], _text(rule.get("label", "")), what, counts, _text(rule.get("repair", ""))
                    )
                )
        for use in measures.uses_of(catalogue_measures):
            entry = catalogue_measures[use]
            if colour in (entry.get("colours") or ()):
                section.restrictions.append(
                    Restriction(
                        use,
                        use_label(use, catalogue_measures),
                        _text(entry.get("measure", "")),
                        entry.get("legal_basis", ""),
                    )
                )
        sections.append(section)

    labels = {rule["key"]: _text(rule.get("label", rule["key"])) for rule in rule_list}
    by_list = []
    for key in labels:
        named = [
            _text(catalogue_measures[use].get("measure", "")) or use_label(use, catalogue_measures)
            for use in measures.uses_of(catalogue_measures)
            if key in (catalogue_measures[use].get("lists") or ())
        ]
        if key == "dishonest_debtor":
            named.append(gettext(HIGH_CONSUMPTION_LABEL))
        if named:
            by_list.append(ListRestriction(labels[key], named))

    return ColoursGuide(
        day=day,
        ruleset_version=ruleset.version if ruleset else None,
        ruleset_from=ruleset.effective_from if ruleset else None,
        catalogue_version=catalogue.version if catalogue else None,
        catalogue_from=catalogue.effective_from if catalogue else None,
        sections=sections,
        by_list=by_list,
        repair=_repair_lines(repair),
    )
