"""What the public sees of 双随机、一公开: published tasks, their parameters, hashes, seed, strata, the
drawn subjects with their inspectors' names and departments, the results entered, and the files.

Never public: declared conflicts in clear (the files carry tokens only), inspectors' accounts, notes
and attachments of a result. A task shows from freezing on (hashes and seed sources published before
the seed exists); its draw, the manifest and result.csv only once published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page, Paginator
from django.utils import timezone
from django.utils.translation import gettext

from disclosure.selectors.public import public_name
from warning_system.classification.models import Colour
from warning_system.inspections import selectors as core
from warning_system.inspections import wording
from warning_system.inspections.models import SEED_KINDS, InspectionTask
from warning_system.registry.models import Department

FROZEN_FILES = ("subjects.csv", "inspectors.csv", "previous.csv")
LIST_LIMIT = 200
PICKS_PER_PAGE = 100


@dataclass(frozen=True)
class PublicPick:
    uscc: str
    name: str
    colour: str
    colour_label: str
    position: int
    inspectors: list[str]  # "name（department）", as drawn
    manual: list[str]  # "name（department）：reason", assigned by hand (not part of the draw)
    short: bool
    result_label: str
    inspected_on: date | None
    corrected_on: date | None  # the day of the latest correction of the result


def published_tasks():
    return core.public_tasks().defer("rejections")[:LIST_LIMIT]


def task(number: str) -> InspectionTask | None:
    return core.task_by_number(number, public=True)


def publishable_files(task: InspectionTask) -> list[dict]:
    """Frozen directories from freezing on; the manifest and result once the draw is published."""
    files = core.file_list(task)
    return files if task.result_published else [f for f in files if f["name"] in FROZEN_FILES]


def file_content(task: InspectionTask, name: str) -> bytes | None:
    if name not in {f["name"] for f in publishable_files(task)}:
        return None
    return core.file_content(task, name)


def files_zip(task: InspectionTask) -> bytes | None:
    """The zip stored at publication (what verify_draw reads)."""
    return core.published_zip(task) if task.result_published else None


def frozen_hashes(task: InspectionTask) -> dict[str, str]:
    """The directory hashes published at freezing, for the verifier's --expect-... options."""
    return {"subjects": task.subjects_sha256, "inspectors": task.inspectors_sha256,
            "previous": task.previous_sha256}  # fmt: skip


def picks(task: InspectionTask, page_number=None) -> tuple[Page | None, list[PublicPick]]:
    """One page of the drawn subjects (the page, and its picks as published); none before publication."""
    if not task.result_published:
        return None, []
    page = Paginator(core.assignments_of(task), PICKS_PER_PAGE).get_page(page_number)
    colours = dict(Colour.choices)
    departments = dict(Department.objects.values_list("code", "name"))

    def label(inspector) -> str:
        department = departments.get(inspector.department_id, inspector.department_id)
        return f"{inspector.name}{gettext('（')}{department}{gettext('）')}"

    rows = [
        PublicPick(
            uscc=a.subject_id,
            name=public_name(a.subject.name, a.subject.subject_type, a.subject.legal_representative),
            colour=a.colour,
            colour_label=str(colours[a.colour]),
            position=a.position,
            inspectors=[label(i) for i in a.drawn_inspectors()],
            manual=[f"{label(i)}{gettext('：')}{m.reason}" for i, m in a.manual_assignments()],
            short=a.short,
            result_label=a.get_result_display() if a.result else "",
            inspected_on=a.inspected_on,
            corrected_on=timezone.localdate(a.corrected_at) if a.corrected_at else None,
        )  # fmt: skip
        for a in page
    ]
    return page, rows


@dataclass(frozen=True)
class PublicSeedSource:
    label: str
    kind_label: str
    format: wording.SeedFormat
    known_on: str | None
    value: str


def seed_sources(task: InspectionTask) -> list[PublicSeedSource]:
    """Each source announced at freezing (its kind, exact format and, for an outside value, the day
    it becomes known) with the value entered for it (blank until seeded)."""
    values = task.seed_values or []
    return [
        PublicSeedSource(
            label=source["label"],
            kind_label=str(SEED_KINDS.get(source.get("kind"), "")),
            format=wording.seed_format(source.get("format", "")),
            known_on=source.get("known_on"),
            value=values[i] if i < len(values) else "",
        )  # fmt: skip
        for i, source in enumerate(task.seed_sources)
    ]


def department_names(task: InspectionTask) -> list[str]:
    return wording.department_names(task.departments)


def parameters_in_words(task: InspectionTask) -> dict:
    """The ratios, strata and algorithm as the public reads them (the files keep the raw values)."""
    return {
        "ratios": wording.ratio_words(task.ratios),
        "strata": wording.strata_words(task.strata),
        "algorithm": wording.algorithm_words(task.algorithm),
        "scope": wording.scope_words(task.scope),
    }


def verifier_source() -> bytes:
    """The verifier as published: the very file the system draws with."""
    return core.verifier_source()
