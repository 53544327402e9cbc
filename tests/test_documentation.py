"""The documents state what the code does.

docs/feeds.md and docs/rules.md carry tables generated from the code (the feed contract, the
defaults of the versioned policies): they must be exactly what the commands would write. The other
values docs/rules.md states in its `setting | default` tables are compared with the code here. And
every relative link between the documents must lead somewhere.
"""

import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from supervision.models import AssessmentPolicy
from supervision.services import assessment, dual
from warning_system.classification import selectors as classification_selectors
from warning_system.documentation import contract as contract_doc
from warning_system.documentation import defaults as defaults_doc
from warning_system.documentation.blocks import BlockError, Document, rewrite
from warning_system.documentation.command import expected_text
from warning_system.inspections import services as inspection_services
from warning_system.registry import contract

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "docs" / "rules.md"


@pytest.mark.parametrize(
    ("document", "make_blocks"),
    [(contract_doc.FEEDS, contract_doc.blocks), (defaults_doc.RULES_DOC, defaults_doc.blocks)],
    ids=["feeds.md", "rules.md"],
)
def test_the_generated_tables_are_what_the_code_says(document, make_blocks):
    current, expected = expected_text(document, make_blocks)
    assert current == expected, (
        f"{document.path} differs from the code it documents: run `{document.command}` and commit the result."
    )


DOC = Document("x.md", "t", "python manage.py t")


def test_rewrite_replaces_only_what_is_between_the_markers():
    text = "before\n<!-- t:begin a -->\nold\n<!-- t:end a -->\nafter\n"
    written = rewrite(DOC, text, {"a": "new"})
    assert written.startswith("before\n<!-- t:begin a ") and written.endswith(
        "-->\nnew\n<!-- t:end a -->\nafter\n"
    )


def test_rewrite_refuses_a_document_without_a_place_for_a_block():
    with pytest.raises(BlockError, match="no place for b"):
        rewrite(DOC, "<!-- t:begin a -->\n<!-- t:end a -->\n", {"a": "", "b": ""})


def test_rewrite_refuses_a_block_nothing_generates_any_more():
    with pytest.raises(BlockError, match="nothing generates: gone"):
        rewrite(DOC, "<!-- t:begin gone -->\n<!-- t:end gone -->\n", {})


def test_a_rule_type_without_words_stops_the_generator():
    with pytest.raises(ValueError, match="no description"):
        defaults_doc.condition({"key": "new", "type": "telepathy"})


# --------------------------------------------------------------------------- stated values


def rows_of(text: str) -> dict[str, list[str]]:
    """Table rows keyed by their first cell (`name` → the other cells), over the whole document."""
    rows: dict[str, list[str]] = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if len(cells) >= 2 and re.fullmatch(r"`[^`]+`", cells[0]):
            rows.setdefault(cells[0].strip("`"), cells[1:])
    return rows


def section(title_start: str) -> str:
    text = RULES.read_text(encoding="utf-8")
    start = text.index(f"\n## {title_start}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def policy_default(name: str) -> str:
    value = AssessmentPolicy._meta.get_field(name).default
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def pre_warning_default(name: str) -> int:
    return inspect.signature(classification_selectors.pre_warnings).parameters[name].default


STATED = {
    "4. Credit repair": {
        "licence_days": f"{pre_warning_default('licence_days')} days",
        "abnormal_days": f"{pre_warning_default('abnormal_days')} days",
    },
    "5. 双告知": {
        "CLAIM_WORKDAYS": f"{dual.CLAIM_WORKDAYS} working days",
        "LICENCE_DAYS": f"{dual.LICENCE_DAYS} days",
        "DUAL_FEEDBACK_WORKDAYS": f"{settings.DUAL_FEEDBACK_WORKDAYS} working days",
        "DUAL_NOTIFICATION_WINDOW_DAYS": f"{settings.DUAL_NOTIFICATION_WINDOW_DAYS} days",
    },
    "6. 双随机": {
        "MIN_INSPECTORS": str(inspection_services.MIN_INSPECTORS),
        "MIN_SEED_SOURCES": str(inspection_services.MIN_SEED_SOURCES),
    },
    "8. 部门考核": {
        name: policy_default(name)
        for name in (
            "deadline_workdays",
            "weight_timeliness",
            "weight_accuracy",
            "weight_completeness",
            "fields_share",
            "correction_deduction",
            "withdrawal_deduction",
            "runs_per_kind",
        )
    },  # fmt: skip
}


@pytest.mark.parametrize("title", STATED)
def test_rules_md_states_the_defaults_of_the_code(title):
    rows = rows_of(section(title))
    stated = {name: (rows.get(name) or ["(no row)"])[0] for name in STATED[title]}
    assert stated == STATED[title], (
        f"docs/rules.md § {title}: the `setting | default` rows differ from the code"
    )


def test_rules_md_states_each_kinds_decision_date_and_important_fields():
    rows = rows_of(section("8. 部门考核"))

    def listed(fields) -> str:
        return ", ".join(f"`{f}`" for f in fields) or "—"

    expected = {
        kind: [f"`{assessment.DECISION_DATES[kind]}`" if kind in assessment.DECISION_DATES else "—",
               listed(assessment.IMPORTANT_FIELDS[kind])]
        for kind in contract.KINDS
    }  # fmt: skip
    assert {kind: rows.get(kind) for kind in contract.KINDS} == expected


# --------------------------------------------------------------------------- links

LINK = re.compile(r"\]\((?!https?://|mailto:|#)([^)\s#]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize(
    "document", ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md"))]
)
def test_every_relative_link_leads_to_a_file(document):
    path = ROOT / document
    broken = [
        target
        for target in LINK.findall(path.read_text(encoding="utf-8"))
        if not (path.parent / target).exists()
    ]
    assert broken == []


# --------------------------------------------------------------------------- operations

OPERATIONS = ROOT / "docs" / "operations.md"


def test_operations_md_explains_every_environment_variable():
    settings_source = (ROOT / "warning_system" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:_int|_bool|_list)?\("([A-Z0-9_]+)"', settings_source))
    example = set(
        re.findall(r"^#?\s?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(encoding="utf-8"), re.M)
    )
    documented = set(re.findall(r"`([A-Z0-9_]+)`", OPERATIONS.read_text(encoding="utf-8")))
    assert (read | example) - documented == set()


def test_operations_md_lists_every_scheduled_job():
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", OPERATIONS.read_text(encoding="utf-8"), re.M))
    assert set(settings.CELERY_BEAT_SCHEDULE) <= documented
