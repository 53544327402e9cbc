"""守信激励 (incentives for the trustworthy) as data, and who qualifies as a pure function.

A catalogue version is a dict: incentive -> {"label", "green_years", "honours", "legal_basis"}.
A subject qualifies for an incentive when it is green now (a subject with anything against it gets
no incentive, whatever honours it holds) and meets every condition the entry states:
`green_years` N — no colour other than green in the last N years (from the colour change history);
`honours` — an honour in force whose name contains one of the names listed. Nothing here touches the
database, so every condition is tested on plain dicts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, gettext_noop

from warning_system.classification.rules import GREEN

FAST_TRACK, LOWER_INSPECTION_RATIO, SUBSIDY_PRIORITY = (
    "fast_track", "lower_inspection_ratio", "subsidy_priority",
)  # fmt: skip
INCENTIVES = (FAST_TRACK, LOWER_INSPECTION_RATIO, SUBSIDY_PRIORITY)
MAX_GREEN_YEARS = 50

_GUIDANCE = (
    "国发〔2016〕33号《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
)
_RANDOM = "国办发〔2015〕58号《国务院办公厅关于推广随机抽查规范事中事后监管的通知》"

# Honours that count by default: matched against the names of the registry's 荣誉 records, as
# the departments write them (data, not labels: never translated).
DEFAULT_HONOURS = ["守合同重信用", "纳税信用A级"]

DEFAULT_INCENTIVES: dict[str, dict] = {
    FAST_TRACK: {
        "label": gettext_noop("行政审批容缺受理、绿色通道"),
        "green_years": 3,
        "honours": [],
        "legal_basis": f"{_GUIDANCE}（对诚信主体实行“绿色通道”和“容缺受理”等便利服务措施）",
    },
    LOWER_INSPECTION_RATIO: {
        "label": gettext_noop("降低“双随机、一公开”抽查比例和频次"),
        "green_years": 3,
        "honours": [],
        "legal_basis": f"{_GUIDANCE}（优化诚信企业行政监管安排，适当减少抽查比例和频次）；{_RANDOM}",
    },
    SUBSIDY_PRIORITY: {
        "label": gettext_noop("财政性资金项目和补贴优先安排"),
        "green_years": 0,
        "honours": list(DEFAULT_HONOURS),
        "legal_basis": f"{_GUIDANCE}（在财政资金补助、政府采购等方面对诚信主体优先考虑）",
    },
}


def default_incentives() -> dict[str, dict]:
    return {key: {**entry, "honours": list(entry["honours"])} for key, entry in DEFAULT_INCENTIVES.items()}


@dataclass(frozen=True)
class Standing:
    """What qualification reads of one subject on a day."""

    colour: str
    last_not_green: date | None  # the latest day of a colour change from or to a colour other than green
    honours: tuple[str, ...]  # names of the honours in force


@dataclass(frozen=True)
class Incentive:
    key: str
    label: str
    legal_basis: str


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def qualifies(entry: Mapping, standing: Standing, day: date) -> bool:
    if standing.colour != GREEN:
        return False
    years = int(entry.get("green_years") or 0)
    if years and standing.last_not_green is not None and standing.last_not_green > years_before(day, years):
        return False
    wanted = [str(name) for name in entry.get("honours") or ()]
    return not wanted or any(name in held for name in wanted for held in standing.honours)


def incentives_of(catalogue: Mapping, standing: Standing, day: date) -> list[Incentive]:
    """The incentives a subject in this standing qualifies for, in the stored catalogue's order."""
    return [
        Incentive(key, gettext(entry.get("label") or key), str(entry.get("legal_basis") or ""))
        for key, entry in catalogue.items()
        if isinstance(entry, Mapping) and qualifies(entry, standing, day)
    ]


def _names(value) -> bool:
    return isinstance(value, list) and all(isinstance(name, str) and name.strip() for name in value)


def validate(catalogue) -> list[str]:
    """Problems of a catalogue as typed into the admin site (empty when it may be published)."""
    if not isinstance(catalogue, Mapping):
        return [gettext("激励清单须为按激励措施分列的 JSON 对象")]
    if not catalogue:
        return [gettext("激励清单不能为空")]
    problems = []
    for key, entry in catalogue.items():
        if not isinstance(entry, Mapping):
            problems.append(gettext("激励措施“%(key)s”须为 JSON 对象") % {"key": key})
            continue
        if not str(entry.get("label") or "").strip():
            problems.append(gettext("激励措施“%(key)s”须填写名称") % {"key": key})
        if not str(entry.get("legal_basis") or "").strip():
            problems.append(gettext("激励措施“%(key)s”须填写依据") % {"key": key})
        years = entry.get("green_years", 0)
        if isinstance(years, bool) or not isinstance(years, int) or not 0 <= years <= MAX_GREEN_YEARS:
            problems.append(
                gettext("激励措施“%(key)s”的连续绿色年数须为 0 至 %(max)s 的整数")
                % {"key": key, "max": MAX_GREEN_YEARS}
            )
        if not _names(entry.get("honours", [])):
            problems.append(gettext("激励措施“%(key)s”的荣誉须为名称的列表") % {"key": key})
        unknown = set(entry) - {"label", "green_years", "honours", "legal_basis"}
        if unknown:
            problems.append(
                gettext("激励措施“%(key)s”有未知的设置：%(names)s")
                % {"key": key, "names": "、".join(sorted(unknown))}
            )
    return problems


def honour_names(rows: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({name for name in rows if name}))
