"""The generated tables of docs/rules.md: the defaults the code seeds its versioned policies with.

The colour rules and repair conditions (`classification.rules.DEFAULT_RULES`, `DEFAULT_REPAIR`:
version 1 of `Ruleset`), the 双随机 policy (`inspections.models.DEFAULT_POLICY`: version 1 of
`InspectionPolicy`) and the joint-punishment measures (`sanctions.measures.DEFAULT_MEASURES`:
version 1 of `MeasuresCatalogue`). A rule type this module cannot put into words stops the command:
a new type of rule needs its sentence here before the document can say what it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils import translation

from warning_system.classification import rules
from warning_system.incentives import catalogue as incentives
from warning_system.inspections.models import DEFAULT_POLICY
from warning_system.registry import contract
from warning_system.sanctions import measures

from .blocks import Document, table

RULES_DOC = Document("docs/rules.md", "defaults", "python manage.py document_rules")

COLOUR_NAMES = {
    rules.RED: "red 红",
    rules.ORANGE: "orange 橙",
    rules.YELLOW: "yellow 黄",
    rules.GREEN: "green 绿",
}


def label_of(enum: str, code: str) -> str:
    """The first Chinese spelling the contract gives an enum code (the code itself when none)."""
    spelled = contract.ENUMS[enum].get(code) or ()
    chinese = [s for s in spelled if not s.isascii()]
    return chinese[0] if chinese else code


def labels(enum: str, codes) -> str:
    return " / ".join(label_of(enum, code) for code in codes)


def years(n: int) -> str:
    return f"{n} year" + ("" if n == 1 else "s")


def months(n: int) -> str:
    return f"{n} month" + ("" if n == 1 else "s")


def condition(rule: Mapping) -> tuple[str, str]:
    """(what triggers the rule, how long it counts) in words."""
    kind = rule["type"]
    if kind == "listing":
        listed = contract.KINDS[rule["kind"]].label
        return (
            f"listed in `{rule['kind']}` ({listed}), not removed",
            f"from `{rule['since']}` until the day before `removed_on`",
        )
    if kind == "court_refusal":
        return (
            "a `court_judgment` with `refuses_to_perform` = 是 (有履行能力而拒不履行)",
            f"{years(rule['years'])} from `judged_on`",
        )
    if kind == "penalty":
        parts = []
        if rule.get("categories"):
            parts.append(
                "a penalty with any of the categories " + labels("penalty_category", rule["categories"])
            )
        if rule.get("ordinary_fine_at_least") is not None:
            floor = Decimal(rule["ordinary_fine_at_least"])
            parts.append(f"under ordinary procedure (普通程序) a fine of {floor:,} 万元 or more")
        what = ", or ".join(parts) if parts else "any other penalty that counts (not a warning only)"
        return what, f"{years(rule['years'])} from `decided_on`, and only while the penalty is public (§3)"
    if kind == "registration_status":
        return (
            f"registration `status` {labels('registration_status', rule['statuses'])}",
            "while the status lasts",
        )
    if kind == "inspection":
        return (
            "an `inspection` with the result " + labels("inspection_result", rule["results"]),
            f"{years(rule['years'])} from `inspected_on`",
        )
    if kind == "arrears":
        what = "`arrears` of type " + labels("arrears_type", rule["arrears_types"])
        if rule["months"]:
            return f"{what}, outstanding {months(rule['months'])} or more after `since`", "until `settled_on`"
        return f"{what}, outstanding", "from `since` until `settled_on`"
    if kind == "complaints":
        return (
            f"{rule['count']} or more complaints whose mediation failed (调解失败), received within "
            f"{months(rule['months'])}",
            f"while {rule['count']} such complaints fall within the last {months(rule['months'])}",
        )
    raise ValueError(f"rule type {kind!r} of rule {rule['key']!r} has no description in {__name__}")


def colour_rules_block() -> str:
    rows = []
    for rule in rules.DEFAULT_RULES:
        what, counts = condition(rule)
        rows.append(
            [COLOUR_NAMES[rule["colour"]], f"`{rule['key']}`", rule["label"], what, counts, rule["repair"]]
        )
    return table(
        ["colour", "rule", "shown as", "triggered by", "counts", "how it ends (shown to the public)"], rows
    )


def repair_block() -> str:
    repair = rules.DEFAULT_REPAIR
    return table(
        ["setting", "default", "meaning"],
        [
            ["`repairable_kinds`", ", ".join(f"`{k}`" for k in repair["repairable_kinds"]),
             "kinds of record a repair may be applied for"],
            ["`penalty_months`", months(repair["penalty_months"]),
             "a penalty may be repaired this long after its decision"],
            ["`sensitive_penalty_months`", months(repair["sensitive_penalty_months"]),
             "the same for sensitive fields (below)"],
            ["`sensitive_keywords`", " / ".join(repair["sensitive_keywords"]),
             "a penalty is in a sensitive field when its `violation_type` contains one of these…"],
            ["`sensitive_departments`", ", ".join(f"`{d}`" for d in repair["sensitive_departments"]),
             "…or when one of these departments decided it"],
            ["`not_repairable_categories`", labels("penalty_category", repair["not_repairable_categories"]),
             "penalties with any of these categories are never repaired"],
        ],
    )  # fmt: skip


def inspection_policy_block() -> str:
    ratios = DEFAULT_POLICY["ratios"]
    rows = [[f"`ratios.{colour}`", f"{ratios[colour] * 100:g} %",
             f"share of the {colour} subjects in scope drawn (rounded up)"]
            for colour in rules.COLOURS if colour in ratios]  # fmt: skip
    rows.append(["`inspectors_per_subject`", str(DEFAULT_POLICY["inspectors_per_subject"]),
                 "inspectors assigned to each drawn subject (never fewer than 2)"])  # fmt: skip
    rows.append(["`result_workdays`", f"{DEFAULT_POLICY['result_workdays']} working days",
                 "time from publication of the draw to the results being entered"])  # fmt: skip
    return table(["setting", "default", "meaning"], rows)


def measures_block() -> str:
    rule_labels = {rule["key"]: rule["label"] for rule in rules.DEFAULT_RULES}
    rows = []
    for use, entry in measures.DEFAULT_MEASURES.items():
        colours = [COLOUR_NAMES[c] for c in rules.COLOURS[::-1] if c in entry["colours"]]
        listed = [f"`{key}` ({rule_labels.get(key, key)})" for key in entry["lists"]]
        rows.append([f"`{use}`", entry["label"], ", ".join(colours) or "—", ", ".join(listed) or "—",
                     entry["measure"], entry["legal_basis"]])  # fmt: skip
    return table(
        ["use", "事项", "restricted for colours", "restricted whatever the colour", "measure", "legal basis"],
        rows,
    )


def restricted_by_colour_block() -> str:
    """The same catalogue read the other way: what each colour restricts."""
    rows = []
    for colour in rules.COLOURS[::-1]:
        restricted = [
            use for use, entry in measures.DEFAULT_MEASURES.items()
            if measures.decide(entry, colour, [{"rule": "x", "colour": colour}] if colour != rules.GREEN else [])
            .restricted
        ]  # fmt: skip
        rows.append([COLOUR_NAMES[colour], ", ".join(f"`{use}`" for use in restricted) or "none"])
    return table(["colour", "restricted uses"], rows)


def incentives_block() -> str:
    """守信激励 (`incentives.catalogue.DEFAULT_INCENTIVES`: version 1 of `IncentivesCatalogue`)."""
    rows = [
        [f"`{key}`", entry["label"], str(entry["green_years"] or "—"), "、".join(entry["honours"]) or "—",
         entry["legal_basis"]]
        for key, entry in incentives.DEFAULT_INCENTIVES.items()
    ]  # fmt: skip
    return table(
        ["incentive", "激励措施", "green for years", "honour in force (name contains)", "basis"], rows
    )


def blocks() -> dict[str, str]:
    """Every generated block, in the source language (Chinese labels as the code writes them)."""
    with translation.override(None):
        return {
            "colour-rules": colour_rules_block(),
            "repair": repair_block(),
            "inspection-policy": inspection_policy_block(),
            "measures": measures_block(),
            "restricted-by-colour": restricted_by_colour_block(),
            "incentives": incentives_block(),
        }
