"""What the public sees of 双随机、一公开: published tasks, their parameters, hashes, seed, strata, the
drawn subjects with their inspectors' names and departments, the results entered, and the files.

Never public: declared conflicts in clear (the files carry tokens only), inspectors' accounts, notes
and attachments of a result. A task shows from freezing on (hashes and seed sources published before
the seed exists); its draw, the manifest and result.csv only once published.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings

from warning_system.classification.models import Colour
from warning_system.inspections import selectors as core
from warning_system.inspections.models import SEED_KINDS, InspectionTask
from warning_system.registry.models import Department

FROZEN_FILES = ("subjects.csv", "inspectors.csv", "previous.csv")
LIST_LIMIT = 200


@dataclass(frozen=True)
class PublicPick:
    uscc: str
    name: str
    colour: str
    colour_label: str
    position: int
    inspectors: list[str]  # "name（department）"
    short: bool
    result_label: str
    inspected_on: date | None


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
    return core.files_zip(task) if task.result_published else None


def picks(task: InspectionTask) -> list[PublicPick]:
    if not task.result_published:
        return []
    colours = dict(Colour.choices)
    departments = dict(Department.objects.values_list("code", "name"))
    return [
        PublicPick(
            uscc=a.subject_id,
            name=a.subject.name,
            colour=a.colour,
            colour_label=str(colours[a.colour]),
            position=a.position,
            inspectors=[
                f"{i.name}（{departments.get(i.department_id, i.department_id)}）" for i in a.inspectors.all()
            ],
            short=a.short,
            result_label=a.get_result_display() if a.result else "",
            inspected_on=a.inspected_on,
        )  # fmt: skip
        for a in core.assignments_of(task)
    ]


@dataclass(frozen=True)
class PublicSeedSource:
    label: str
    kind_label: str
    format: str
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
            format=source.get("format", ""),
            known_on=source.get("known_on"),
            value=values[i] if i < len(values) else "",
        )  # fmt: skip
        for i, source in enumerate(task.seed_sources)
    ]


def department_names(task: InspectionTask) -> list[str]:
    names = dict(Department.objects.filter(code__in=task.departments).values_list("code", "name"))
    return [names.get(code, code) for code in task.departments]


def verifier_source() -> bytes:
    """The verifier as published: the very file the workspace draws with."""
    path = getattr(settings, "DRAW_VERIFIER_PATH", settings.BASE_DIR / "supervision" / "verify_draw.py")
    with open(path, "rb") as stream:
        return stream.read()
