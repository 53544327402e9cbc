"""The repository is the whole product: a city receives it and nothing beside it.

No tracked file may read or name a path outside the repository: a sibling folder of reference
material, a rules or contract document kept elsewhere, or a developer machine's absolute path.
What the product needs from such material lives in the repository (docs/, test fixtures).
"""

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# What to look for, and how a reader would call it. This file names them to look for them.
OUTSIDE_REFERENCES = {
    "a sibling folder beside the checkout": re.compile(r"\.\./shared\b"),
    "the shared reference folder": re.compile(r"(?<![\w.-])shared/(?:feeds|notes|hooks|RULES|STYLE|README)"),
    "a rules document outside the repository (RULES.md)": re.compile(r"\bRULES\.md\b"),
    "a contract document outside the repository (SPEC.md)": re.compile(r"\bSPEC\.md\b"),
    "a section of that rules document (RULES §…)": re.compile(r"\bRULES(?:'s)? ?§|\bRULES'? preamble\b"),
    "an absolute path of a developer machine (/work/…)": re.compile(r"(?<![\w.~-])/work/"),
}
THIS_FILE = Path(__file__).resolve().relative_to(ROOT).as_posix()


def tracked_files() -> list[str]:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
        ).stdout.decode("utf-8")
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"not a git checkout ({exc}): nothing to list")
    return [name for name in listed.split("\0") if name and name != THIS_FILE]


def references_in(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in OUTSIDE_REFERENCES.items():
            match = pattern.search(line)
            if match:
                found.append(
                    f"line {number}: {what}: …{line[max(0, match.start() - 30) : match.end() + 30]}…"
                )
    return found


def test_no_tracked_file_names_a_path_outside_the_repository():
    offenders = {}
    for name in tracked_files():
        path = ROOT / name
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        found = references_in(path.read_bytes().decode("utf-8", errors="ignore"))
        if found:
            offenders[name] = found
    assert offenders == {}, "Files that reach outside the repository (carry what they need into it):\n" + (
        "\n".join(f"{name}\n  " + "\n  ".join(lines) for name, lines in sorted(offenders.items()))
    )


@pytest.mark.parametrize(
    "text",
    [
        # Spelled in parts: this guard itself must not hold the paths it refuses.
        "SAMPLES = ROOT.parent / 'shared' / 'feeds'  # see " + ".." + "/shared/feeds",
        "the defaults of RULES.md §2",
        "(SPEC.md §1, push)",
        "as RULES §4 says",
        "open('/work/main/var/inbox')",
    ],
)
def test_each_kind_of_outside_reference_is_recognised(text):
    assert references_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "rules.DEFAULT_RULES",
        "Action.RULESET_CHANGE",
        "the defaults of docs/rules.md §2",
        "docs/feeds.md §1",
        "https://example.gov.cn/work/notes",
        "shared pool of 双告知",
    ],
)
def test_names_inside_the_repository_are_not_taken_for_outside_ones(text):
    assert references_in(text) == []
