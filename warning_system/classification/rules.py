"""The colour rules (docs/rules.md §2–4) as pure functions over one subject's records and a day.

A ruleset is data (a list of rule dicts, versioned in the database); this module knows the
handful of rule *types* those dicts use. Nothing here touches the database, so every rule is
tested at its boundaries on plain dicts.

Dates: a record counts on the days `start <= day <= last_day`; `ends_on` is that last day and
`next_change.on` the first day of the new colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_noop

GREEN, YELLOW, ORANGE, RED = "green", "yellow", "orange", "red"
COLOURS = (GREEN, YELLOW, ORANGE, RED)
SEVERITY = {colour: rank for rank, colour in enumerate(COLOURS)}

WARNING_ONLY = frozenset({"warning"})
RESTRICTIVE_CATEGORIES = ("revoke_license", "order_closure", "order_suspension", "restrict_practice")
ALL_ARREARS = ("tax", "loan", "social_security", "medical_insurance", "wages", "disability_fund", "utilities")

# The defaults of docs/rules.md §2 and §4, in order of severity. Editing happens by saving a new
# ruleset version (admin); these only seed the first one.
DEFAULT_RULES: list[dict] = [
    {"key": "serious_violation", "colour": RED, "type": "listing", "kind": "serious_violation",
     "since": "listed_on", "label": gettext_noop("列入严重违法失信名单"), "repair": gettext_noop("移出严重违法失信名单后解除")},
    {"key": "dishonest_debtor", "colour": RED, "type": "listing", "kind": "dishonest_debtor",
     "since": "published_on", "label": gettext_noop("失信被执行人"), "repair": gettext_noop("履行生效法律文书确定的义务，由法院撤销或屏蔽失信信息后解除")},
    {"key": "court_refusal", "colour": RED, "type": "court_refusal", "years": 3,
     "label": gettext_noop("有履行能力而拒不履行生效裁判"), "repair": gettext_noop("自裁判之日起满3年后解除")},
    {"key": "restrictive_penalty", "colour": RED, "type": "penalty", "years": 3,
     "categories": list(RESTRICTIVE_CATEGORIES),
     "label": gettext_noop("吊销许可证件、责令关闭、责令停产停业或限制从业的行政处罚"),
     "repair": gettext_noop("不可申请信用修复，自处罚决定之日起满3年后解除")},
    {"key": "revoked_registration", "colour": RED, "type": "registration_status", "statuses": ["revoked"],
     "label": gettext_noop("营业执照被吊销"), "repair": gettext_noop("登记状态不再为吊销后解除")},
    {"key": "abnormal_listing", "colour": ORANGE, "type": "listing", "kind": "abnormal_listing",
     "since": "listed_on", "label": gettext_noop("列入经营异常名录"),
     "repair": gettext_noop("补报年度报告、履行公示义务或恢复联系后，申请移出经营异常名录")},
    {"key": "heavy_penalty", "colour": ORANGE, "type": "penalty", "years": 3,
     "categories": ["confiscate_illegal_gains", "confiscate_illegal_property", "suspend_license",
                    "lower_qualification", "restrict_production"],
     "ordinary_fine_at_least": "10",
     "label": gettext_noop("较重行政处罚"), "repair": gettext_noop("处罚决定公示满6个月（食品、药品、特种设备领域满1年）后可申请信用修复")},
    {"key": "serious_inspection_finding", "colour": ORANGE, "type": "inspection", "years": 1,
     "results": ["false_disclosure", "unreachable", "refused"],
     "label": gettext_noop("抽查发现公示信息弄虚作假、无法联系或拒不配合检查"), "repair": gettext_noop("自检查之日起满1年后解除")},
    {"key": "long_arrears", "colour": ORANGE, "type": "arrears", "arrears_types": ["tax", "wages"], "months": 6,
     "label": gettext_noop("欠税或拖欠工资6个月以上"), "repair": gettext_noop("结清欠款后解除")},
    {"key": "penalty", "colour": YELLOW, "type": "penalty", "years": 1,
     "label": gettext_noop("行政处罚"), "repair": gettext_noop("处罚决定公示满6个月（食品、药品、特种设备领域满1年）后可申请信用修复，或自决定之日起满1年后解除")},
    {"key": "inspection_finding", "colour": YELLOW, "type": "inspection", "years": 1,
     "results": ["corrected", "undisclosed"],
     "label": gettext_noop("抽查发现问题已责令改正或未按规定公示信息"), "repair": gettext_noop("自检查之日起满1年后解除")},
    {"key": "arrears", "colour": YELLOW, "type": "arrears", "arrears_types": list(ALL_ARREARS), "months": 0,
     "label": gettext_noop("欠款未结清"), "repair": gettext_noop("结清欠款后解除")},
    {"key": "failed_mediations", "colour": YELLOW, "type": "complaints", "count": 3, "months": 12,
     "label": gettext_noop("12个月内3件以上投诉调解失败"), "repair": gettext_noop("滚动12个月内调解失败的投诉少于3件后自动解除")},
]  # fmt: skip

# docs/rules.md §4: when a record may be repaired on application.
DEFAULT_REPAIR = {
    "penalty_months": 6,
    "sensitive_penalty_months": 12,
    "sensitive_keywords": [
        gettext_noop("食品"),
        gettext_noop("药品"),
        gettext_noop("药械"),
        gettext_noop("医疗器械"),
        gettext_noop("化妆品"),
        gettext_noop("特种设备"),
    ],  # fmt: skip
    "sensitive_departments": ["YJJD"],
    "not_repairable_categories": ["revoke_license", "order_closure", "restrict_practice"],
    "repairable_kinds": ["penalty", "abnormal_listing"],
}

# The kinds whose records rules read; the rest (licences, annual reports, …) never colour a subject.
RULE_KINDS = (
    "registration",
    "penalty",
    "abnormal_listing",
    "serious_violation",
    "court_judgment",
    "dishonest_debtor",
    "arrears",
    "complaint",
    "inspection",
)


def add_years(day: date, years: int) -> date:
    return day + relativedelta(years=years)


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


# --------------------------------------------------------------------------- publication


def penalty_published_until(record: Mapping) -> date | None:
    """The last day a penalty is public (docs/rules.md §3): never for a warning only; 1 year after a
    simple-procedure decision, 3 years otherwise, and restrictive ones at least as long as the
    restriction. None when it is never public."""
    categories = set(record.get("penalty_categories") or ())
    decided = record.get("decided_on")
    if not categories or categories <= WARNING_ONLY or decided is None:
        return None
    end = add_years(decided, 1 if record.get("procedure") == "simple" else 3)
    restriction = record.get("penalty_valid_to")
    if restriction and categories & set(RESTRICTIVE_CATEGORIES):
        end = max(end, restriction + timedelta(days=1))
    return end - timedelta(days=1)


def is_public(kind: str, record: Mapping, day: date) -> bool:
    """Whether the public may see this record on `day` (docs/rules.md §3); withdrawn and repaired
    records never."""
    if record.get("withdrawn") or record.get("repaired"):
        return False
    if kind == "penalty":
        last = penalty_published_until(record)
        return last is not None and record["decided_on"] <= day <= last
    if kind == "license":
        valid_to = record.get("valid_to")
        return valid_to is None or day <= add_years(valid_to, 1)
    return True


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Hit:
    """One record that makes a rule apply on the day evaluated, until `last_day` (None: open)."""

    record: Mapping
    last_day: date | None


@dataclass
class Triggered:
    rule: Mapping
    hits: list[Hit]

    @property
    def colour(self) -> str:
        return self.rule["colour"]

    @property
    def ends_on(self) -> date | None:
        """The last day this rule still applies if nothing else arrives (None: until removed)."""
        if any(h.last_day is None for h in self.hits):
            return None
        return max(h.last_day for h in self.hits)


@dataclass
class Evaluation:
    day: date
    colour: str
    triggered: list[Triggered]
    next_change_on: date | None = None
    next_colour: str | None = None
    boundaries: set[date] = field(default_factory=set, repr=False)


def _window(record: Mapping, start_field: str, years: int, day: date) -> Hit | None:
    start = record.get(start_field)
    if start is None or start > day:
        return None
    last = add_years(start, years) - timedelta(days=1)
    return Hit(record, last) if day <= last else None


def _penalty_matches(rule: Mapping, record: Mapping) -> bool:
    categories = set(record.get("penalty_categories") or ())
    wanted = rule.get("categories")
    fine_floor = rule.get("ordinary_fine_at_least")
    if wanted is None and fine_floor is None:
        return True
    if wanted and categories & set(wanted):
        return True
    if fine_floor is not None and record.get("procedure") != "simple":
        fine = record.get("fine_amount")
        return fine is not None and Decimal(fine) >= Decimal(fine_floor)
    return False


def _penalty_hit(rule, record, day):
    if not _penalty_matches(rule, record):
        return None
    hit = _window(record, "decided_on", rule["years"], day)
    if hit is None:
        return None
    published_last = penalty_published_until(record)
    if published_last is None or day > published_last:
        return None
    return Hit(record, min(hit.last_day, published_last))


def _listing_hit(rule, record, day):
    since = record.get(rule["since"])
    removed = record.get("removed_on")
    if since is None or since > day or (removed is not None and removed <= day):
        return None
    return Hit(record, removed - timedelta(days=1) if removed else None)


def _court_refusal_hit(rule, record, day):
    if not record.get("refuses_to_perform"):
        return None
    return _window(record, "judged_on", rule["years"], day)


def _inspection_hit(rule, record, day):
    if record.get("result") not in rule["results"]:
        return None
    return _window(record, "inspected_on", rule["years"], day)


def _arrears_hit(rule, record, day):
    if record.get("arrears_type") not in rule["arrears_types"]:
        return None
    since, settled = record.get("since"), record.get("settled_on")
    if since is None or add_months(since, rule["months"]) > day or (settled is not None and settled <= day):
        return None
    return Hit(record, settled - timedelta(days=1) if settled else None)


def _registration_hit(rule, record, day):
    if record.get("status") not in rule["statuses"]:
        return None
    return Hit(record, None)


_RECORD_RULES = {
    "penalty": ("penalty", _penalty_hit),
    "listing": (None, _listing_hit),
    "court_refusal": ("court_judgment", _court_refusal_hit),
    "inspection": ("inspection", _inspection_hit),
    "arrears": ("arrears", _arrears_hit),
    "registration_status": ("registration", _registration_hit),
}


def _complaint_hits(rule: Mapping, records: Iterable[Mapping], day: date) -> list[Hit]:
    """Failed mediations received in the rolling window; the rule holds while there are `count`."""
    months = rule["months"]
    recent = sorted(
        (r for r in records if r.get("mediation_result") == "failure" and r.get("received_on") is not None
         and r["received_on"] <= day < add_months(r["received_on"], months)),
        key=lambda r: r["received_on"],
    )  # fmt: skip
    if len(recent) < rule["count"]:
        return []
    # It holds until the oldest of the newest `count` failures leaves the window.
    last = add_months(recent[-rule["count"]]["received_on"], months) - timedelta(days=1)
    return [Hit(r, last) for r in recent]


def _record_boundaries(rule: Mapping, record: Mapping) -> Iterable[date]:
    """Days on which this record may start or stop making `rule` apply."""
    rule_type = rule["type"]
    if rule_type == "penalty":
        if record.get("decided_on"):
            yield record["decided_on"]
            yield add_years(record["decided_on"], rule["years"])
            published_last = penalty_published_until(record)
            if published_last:
                yield published_last + timedelta(days=1)
    elif rule_type == "listing":
        if record.get(rule["since"]):
            yield record[rule["since"]]
        if record.get("removed_on"):
            yield record["removed_on"]
    elif rule_type in ("court_refusal", "inspection"):
        start = record.get("judged_on" if rule_type == "court_refusal" else "inspected_on")
        if start:
            yield start
            yield add_years(start, rule["years"])
    elif rule_type == "arrears":
        if record.get("since"):
            yield add_months(record["since"], rule["months"])
        if record.get("settled_on"):
            yield record["settled_on"]
    elif rule_type == "complaints" and record.get("received_on"):
        yield record["received_on"]
        yield add_months(record["received_on"], rule["months"])


def _rule_kind(rule: Mapping) -> str:
    if rule["type"] == "listing":
        return rule["kind"]
    if rule["type"] == "complaints":
        return "complaint"
    return _RECORD_RULES[rule["type"]][0]


def counts(kind: str, record: Mapping) -> bool:
    """Excluded from every rule (docs/rules.md §2): withdrawn, repaired, warning-only penalties."""
    if record.get("withdrawn") or record.get("repaired"):
        return False
    if kind == "penalty":
        categories = set(record.get("penalty_categories") or ())
        return bool(categories) and not categories <= WARNING_ONLY
    return True


def colour_on(
    rules: list[Mapping], records: Mapping[str, list[Mapping]], day: date
) -> tuple[str, list[Triggered]]:
    """The colour on `day` and the rules that make it, most severe first.

    Within a kind, a record serves the first (most severe) rule it triggers, so a heavy
    penalty is shown once, as heavy, not again as a light one.
    """
    triggered: list[Triggered] = []
    claimed: set[int] = set()
    for rule in sorted(rules, key=lambda r: -SEVERITY[r["colour"]]):
        kind = _rule_kind(rule)
        candidates = [r for r in records.get(kind, ()) if id(r) not in claimed and counts(kind, r)]
        if rule["type"] == "complaints":
            hits = _complaint_hits(rule, candidates, day)
        else:
            hit_of = _RECORD_RULES[rule["type"]][1]
            hits = [h for h in (hit_of(rule, r, day) for r in candidates) if h is not None]
        if hits:
            claimed.update(id(h.record) for h in hits)
            triggered.append(Triggered(rule, hits))
    colour = max((t.colour for t in triggered), key=SEVERITY.__getitem__, default=GREEN)
    return colour, triggered


def evaluate(
    rules: list[Mapping], records: Mapping[str, list[Mapping]], day: date, *, horizon_days: int = 3660
) -> Evaluation:
    """The colour on `day`, its reasons, and the next day the colour changes without new data."""
    colour, triggered = colour_on(rules, records, day)
    boundaries: set[date] = set()
    for rule in rules:
        kind = _rule_kind(rule)
        for record in records.get(kind, ()):
            if counts(kind, record):
                boundaries.update(_record_boundaries(rule, record))
    evaluation = Evaluation(day, colour, triggered, boundaries=boundaries)
    horizon = day + timedelta(days=horizon_days)
    for candidate in sorted(b for b in boundaries if day < b <= horizon):
        later, _ = colour_on(rules, records, candidate)
        if later != colour:
            evaluation.next_change_on, evaluation.next_colour = candidate, later
            break
    return evaluation


def record_ref(kind: str, record: Mapping) -> dict:
    return {"kind": kind, "department": record.get("department_id"), "record_id": record.get("record_id"),
            "id": record.get("id")}  # fmt: skip


def explanation(evaluation: Evaluation) -> dict:
    """What pages, exports and `manage.py explain` show: the rules, their records, dates, repair."""
    return {
        "colour": evaluation.colour,
        "as_of": evaluation.day.isoformat(),
        "rules": [
            {
                "rule": t.rule["key"],
                "label": t.rule.get("label", t.rule["key"]),
                "colour": t.colour,
                "records": [record_ref(_rule_kind(t.rule), h.record) for h in t.hits],
                "ends_on": t.ends_on.isoformat() if t.ends_on else None,
                "repair": t.rule.get("repair", ""),
            }
            for t in evaluation.triggered
        ],
        "next_change": (
            {"on": evaluation.next_change_on.isoformat(), "colour": evaluation.next_colour}
            if evaluation.next_change_on
            else None
        ),
    }
