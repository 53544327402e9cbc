"""The joint-punishment measures (docs/rules.md §7) as data, and the decision as a pure function.

A catalogue version is a dict: use -> {"label", "order", "colours", "lists", "measure", "legal_basis"}.
The uses are the catalogue's keys: a new use is a new catalogue version, not a code change; the keys
below only name the defaults. A subject is
restricted for a use when its colour is one of the use's colours, or when one of its triggered rules
is one of the use's lists (a listing restricts whatever colour the ruleset gives it). Nothing here
touches the database, so every use × colour is tested on plain dicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_noop

from warning_system.classification.rules import COLOURS, GREEN, ORANGE, RED, YELLOW

PROCUREMENT, BIDDING, SUBSIDY, HONOUR, FINANCING, LISTING, LICENSING = (
    "procurement", "bidding", "subsidy", "honour", "financing", "listing", "licensing",
)  # fmt: skip
# A use's key as stored on every check and typed into the API: a short slug.
USE_KEY = re.compile(r"^[a-z][a-z0-9_]{1,31}$")
ALLOWED, RESTRICTED = "allowed", "restricted"

# Rules that are lists a subject is put on (and taken off): what a use may name regardless of colour.
LIST_RULES = ("serious_violation", "dishonest_debtor", "court_refusal", "restrictive_penalty",
              "revoked_registration", "abnormal_listing")  # fmt: skip

_GUIDANCE = (
    "国发〔2016〕33号《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
)
_MEMORANDUM = "发改财金〔2016〕141号《关于对失信被执行人实施联合惩戒的合作备忘录》"
_DISCLOSURE = "《企业信息公示暂行条例》（国务院令第654号）第十八条"
_BUSINESS_ENVIRONMENT = "《优化营商环境条例》（国务院令第722号）第五十三条"
_CREDIT_SUPERVISION = (
    "国办发〔2019〕35号《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》"
)

# The defaults of docs/rules.md §7: red restricts all; orange procurement, bidding, subsidies, honours and
# licensing (prudent review); yellow honours. Labels and measures are translated when shown.
DEFAULT_MEASURES: dict[str, dict] = {
    PROCUREMENT: {
        "label": gettext_noop("政府采购"),
        "order": 10,
        "colours": [RED, ORANGE],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop("限制参加政府采购活动"),
        "legal_basis": "《中华人民共和国政府采购法》第二十二条（参加政府采购活动前三年内在经营活动中没有重大违法记录）；"
        "《中华人民共和国政府采购法实施条例》第十九条；财库〔2016〕125号《财政部关于在政府采购活动中查询及使用信用记录"
        f"有关问题的通知》；{_DISCLOSURE}；{_GUIDANCE}；{_MEMORANDUM}",
    },
    BIDDING: {
        "label": gettext_noop("招标投标"),
        "order": 20,
        "colours": [RED, ORANGE],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop("限制参与招标投标活动，取消中标资格"),
        "legal_basis": "《中华人民共和国招标投标法》；《中华人民共和国招标投标法实施条例》（国务院令第613号）；"
        f"法〔2016〕285号《关于在招标投标活动中对失信被执行人实施联合惩戒的通知》；{_DISCLOSURE}；{_GUIDANCE}",
    },
    SUBSIDY: {
        "label": gettext_noop("财政补贴和奖励"),
        "order": 30,
        "colours": [RED, ORANGE],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop("限制申请财政性资金项目、财政补贴和奖励"),
        "legal_basis": f"{_GUIDANCE}（限制申请财政性资金项目）；{_MEMORANDUM}",
    },
    HONOUR: {
        "label": gettext_noop("荣誉评选（如守合同重信用）"),
        "order": 40,
        "colours": [RED, ORANGE, YELLOW],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop("取消参加评先评优资格（如“守合同重信用”企业公示、各类荣誉评选）"),
        "legal_basis": f"{_GUIDANCE}（在评先评优中实行失信一票否决）；{_DISCLOSURE}（授予荣誉称号）；{_MEMORANDUM}",
    },
    FINANCING: {
        "label": gettext_noop("融资授信"),
        "order": 50,
        "colours": [RED],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop("融资授信中从严审核，限制授信"),
        "legal_basis": f"{_GUIDANCE}（将失信信息作为融资授信的重要参考）；{_MEMORANDUM}",
    },
    LISTING: {
        "label": gettext_noop("上市融资"),
        "order": 60,
        "colours": [RED],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop("限制发行股票并上市、从严审核上市融资"),
        "legal_basis": f"{_GUIDANCE}（限制发行企业债券、公司债券和股票）；{_MEMORANDUM}",
    },
    LICENSING: {
        "label": gettext_noop("行政许可/行政审批"),
        "order": 70,
        "colours": [RED, ORANGE],
        "lists": ["serious_violation", "dishonest_debtor"],
        "measure": gettext_noop(
            "红色：不予适用告知承诺制，从严审查行政许可申请；橙色：审慎审查行政许可申请，不予适用容缺受理"
        ),
        "legal_basis": f"{_BUSINESS_ENVIRONMENT}（对违法失信主体依法予以惩戒）；{_CREDIT_SUPERVISION}"
        f"（对失信主体在行政审批中从严审查，不适用告知承诺制）；{_GUIDANCE}（在行政审批中从严审核）；{_MEMORANDUM}",
    },
}


# The uses the defaults offer (what a fresh installation starts with); the uses in force are the keys
# of the catalogue in force (uses_of), never this.
DEFAULT_USES = tuple(DEFAULT_MEASURES)


def default_measures() -> dict[str, dict]:
    return {use: {**entry, "colours": list(entry["colours"]), "lists": list(entry["lists"])}
            for use, entry in DEFAULT_MEASURES.items()}  # fmt: skip


def uses_of(catalogue: Mapping) -> list[str]:
    """The uses a catalogue version offers, in its order (JSON objects stored in PostgreSQL lose the
    order they were typed in, so each entry carries its own `order`; ties by key)."""

    def order(use: str) -> tuple[int, str]:
        value = (catalogue.get(use) or {}).get("order") if isinstance(catalogue.get(use), Mapping) else None
        return (value if isinstance(value, int) and not isinstance(value, bool) else 1000, use)

    return sorted(catalogue, key=order)


def label_of(catalogue: Mapping, use: str, fallback: str = "") -> str:
    """A use's label in the reader's language: the catalogue's own (the defaults' are translated),
    else `fallback` (a stored check of a use a later version dropped), else the key."""
    entry = catalogue.get(use)
    label = str(entry.get("label") or "").strip() if isinstance(entry, Mapping) else ""
    return gettext(label) if label else (fallback or use)


@dataclass
class Decision:
    outcome: str
    reasons: list[dict] = field(default_factory=list)  # the triggered rules that restrict, with "basis"

    @property
    def restricted(self) -> bool:
        return self.outcome == RESTRICTED


def decide(entry: Mapping, colour: str, triggered: Iterable[Mapping]) -> Decision:
    """Allowed or restricted for one use, and why.

    `triggered`: the subject's triggered rules as the engine explains them ({"rule", "colour", …}).
    By colour, the reasons are the rules that give the subject its colour; by list, the rules named.
    """
    triggered = list(triggered)
    lists = set(entry.get("lists") or ())
    by_colour = colour in set(entry.get("colours") or ()) and colour != GREEN
    reasons = []
    for rule in triggered:
        if rule.get("rule") in lists:
            reasons.append({**rule, "basis": "list"})
        elif by_colour and rule.get("colour") == colour:
            reasons.append({**rule, "basis": "colour"})
    if by_colour and not reasons:
        # A stored colour without its rules (never expected): the colour itself is the reason.
        reasons.append({"rule": f"colour_{colour}", "label": colour, "colour": colour, "records": [],
                        "basis": "colour"})  # fmt: skip
    return Decision(RESTRICTED if reasons else ALLOWED, reasons)


def _names(value) -> bool:
    """A list of names, as `colours` and `lists` must be (the decision iterates over them)."""
    return isinstance(value, list) and all(isinstance(name, str) for name in value)


def validate(measures) -> list[str]:
    """Problems of a catalogue as saved (empty when it may be published). It arrives as JSON typed into
    the admin site, so any shape is checked before it is read."""
    if not isinstance(measures, Mapping):
        return [gettext("措施清单须为按事项分列的 JSON 对象")]
    if not measures:
        return [gettext("措施清单至少须有一个事项")]
    problems = []
    for use in measures:
        if not isinstance(use, str) or not USE_KEY.match(use):
            problems.append(
                gettext("事项代码“%(use)s”无效：须以小写字母开头，由 2–32 个小写字母、数字或下划线组成")
                % {"use": use}
            )
            continue
        entry = measures.get(use)
        if not isinstance(entry, Mapping):
            problems.append(gettext("事项“%(use)s”缺少措施设置") % {"use": use})
            continue
        if not isinstance(entry.get("label"), str) or not entry["label"].strip():
            problems.append(gettext("事项“%(use)s”须填写名称（label）") % {"use": use})
        order = entry.get("order", 0)
        if not isinstance(order, int) or isinstance(order, bool):
            problems.append(gettext("事项“%(use)s”的排序（order）须为整数") % {"use": use})
        if not all(_names(entry.get(key) or []) for key in ("colours", "lists")):
            problems.append(gettext("事项“%(use)s”的颜色和名单须为名称的列表") % {"use": use})
            continue
        unknown = set(entry.get("colours") or ()) - set(COLOURS)
        if unknown:
            problems.append(
                gettext("事项“%(use)s”的颜色无效：%(colours)s")
                % {"use": use, "colours": "、".join(sorted(unknown))}
            )
        if not str(entry.get("legal_basis") or "").strip():
            problems.append(gettext("事项“%(use)s”须填写法律依据") % {"use": use})
    return problems
