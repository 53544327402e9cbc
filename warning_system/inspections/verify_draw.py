#!/usr/bin/env python3
"""双随机、一公开 — the published draw algorithm and its verifier (algorithm ``rivest-sha256-v2``).

This one file is both the code the city's system runs to draw a random inspection and the program
anyone can run to check a draw afterwards. It uses only Python's standard library (3.11+) and is
one file, longer than a module should be, because the public downloads it alone and runs it as is::

    python3 verify_draw.py <folder or .zip of a task's published files>   # prints MATCH or MISMATCH
    python3 verify_draw.py TASK.zip --expect-subjects-sha256 HEX --expect-inspectors-sha256 HEX \
                                    --expect-previous-sha256 HEX          # and the hashes of freezing
    python3 verify_draw.py --sample SEED N K                              # the bare sampler

The files can only show that they agree with each other. The ``--expect-...`` options add what
only the citizen can bring: the directory hashes the city published at freezing, before the seed
existed (the task's public page prints the command with them filled in). A directory whose hash
differs from the one published at freezing is a MISMATCH.

Exit status: 0 when the draw matches, 1 when it does not (or a file is missing or malformed),
2 for a wrong command line.

How a task is drawn
===================
1. Frozen. Before the seed exists, the system snapshots two directories and the previous task's
   assignments into three files in a canonical form (below) and publishes their SHA-256 hashes with
   all parameters. The seed's sources are announced at the same time: for example a number that
   witnesses enter at a public session and a value that does not exist yet (a lottery draw).
2. Seeded. ``seed = SHA-256 hex of the sources' values joined by a newline, in their announced
   order``, each value stripped of surrounding spaces. At least two sources are required, so the
   system never picks the seed alone; a value may not be empty or contain a line break.
3. Drawn, per colour stratum. The subjects of one colour, in canonical order (sorted by USCC),
   are numbered 1..N. The stratum draws ``k = ceil(N x ratio)`` of them (never more than N),
   computed exactly on the ratio as written (0.07 x 100 = 7, not 8 as floating point would give).
   The stratum's sampler seed is ``f"{seed}:{colour}"``, e.g. ``"3fa9...:green"``, and the drawn
   positions are Rivest's SHA-256 sampler (``rivest_sample``)::

       for i = 1, 2, 3, ...:  position = 1 + int(sha256(f"{sampler_seed},{i}").hexdigest(), 16) % N
       a position already drawn is skipped, until k distinct positions are drawn.

   Position p is the p-th subject of that colour in USCC order. Check the sampler on its own:
   ``--sample 0 1000 3`` prints 905, 573, 160. A stratum drawn whole (k = N, e.g. red at 100 %)
   does not run the sampler, whose order would mean nothing there (and whose last picks cost the
   most): its subjects are listed in USCC order, positions 1..N.
4. Inspectors, per drawn subject. The pool is every inspector in the frozen inspectors directory
   whose department is one of the task's departments and who holds at least one of the task's
   qualifications (no qualification listed = everyone), in canonical order (sorted by id),
   numbered 1..M. An inspector of those departments without the qualification is logged once as
   rejected ("unqualified", subject blank). For each drawn subject the same sampler runs over 1..M
   with the seed ``f"{seed}:inspectors:{uscc}"``; positions come in order, repeats skipped, and each
   candidate is taken unless
     - "conflict": the inspector declared a conflict of interest (回避) with the subject. The
       directory does not name the subject: it lists ``conflict_token(inspector_id, uscc, salt)``,
       the SHA-256 of ``f"conflict,{inspector_id},{uscc},{salt}"`` with a random salt per conflict
       that the city keeps private (so nobody can find a 回避 by hashing every inspector against
       every subject). The draw is run knowing the conflicts; the ones it actually met (a candidate
       refused) are published with their salts in conflicts.csv, and each must hash to a token that
       inspector had in the frozen directory: a conflict cannot be invented after the seed is known.
       The conflicts the draw never met stay opaque;
     - "consecutive": the inspector was assigned this subject in the departments' previous task
       (previous.csv) — not the same subject in two consecutive tasks;
     - "same_department" (joint tasks only, i.e. the pool spans two departments or more): the
       subject's last free place would go to the same single department as all inspectors taken
       so far. Such a candidate is set aside, not dropped: if the pool runs out before an
       inspector of another department is found, the set-aside candidates fill the remaining
       places in the order they were set aside. So a joint subject gets two departments whenever
       any eligible inspector of a second department exists for it.
   Every refusal is logged (``Draw.rejections``). A subject stops when it has
   ``inspectors_per_subject`` inspectors (at least 2); if the whole pool has been tried and fewer
   are eligible, the subject is kept with the inspectors found and marked short (``Pick.short``,
   the ``short`` column) rather than failing the whole draw: the city must then assign by hand
   and say so. A draw whose pool is smaller than ``inspectors_per_subject`` is refused outright.
5. Published: task.json, the three frozen files, result.csv and conflicts.csv, together with this
   file. The verifier recomputes the rejections and prints their counts.

Version 1 (``rivest-sha256-v1``, the tasks frozen before version 2) is the same draw with
unsalted tokens, ``sha256(f"conflict,{inspector_id},{uscc}")``, checked against every candidate,
and no conflicts.csv. Anyone could hash every (inspector, subject) pair against them and read who
declared a 回避 with whom, which is why version 2 salts them. This file still verifies version 1
bundles: the algorithm named in task.json decides.

Files (UTF-8, lines end with "\\n", a header line first, no quoting: fields never contain a
comma, a semicolon or a line break; lists inside a field are joined with ";" in sorted order)
============================================================================================
subjects.csv    ``uscc,colour``       sorted by USCC, one row per subject; USCC is upper-case
                                      letters and digits; colour is green, yellow, orange or red.
inspectors.csv  ``id,name,department,qualifications,conflicts``   sorted by id; conflicts are
                                      conflict tokens (64 hex characters). It lists the
                                      inspectors on duty (active) when the task was frozen.
previous.csv    ``inspector_id,uscc`` the assignments of the departments' previous task(s),
                                      sorted.
conflicts.csv   ``inspector_id,uscc,salt``   (version 2) the conflicts the draw met, sorted: for
                                      each, conflict_token(inspector_id, uscc, salt) is one of
                                      that inspector's tokens in inspectors.csv, and the draw
                                      refused that inspector for that subject ("conflict"). Salts
                                      are 32 hex characters.
result.csv      ``colour,order,position,uscc,inspectors,short``   by colour (green, yellow,
                                      orange, red), then in draw order (order = 1, 2, ...);
                                      position is the subject's number in its stratum;
                                      inspectors are ids in the order taken; short is 1 or 0.
task.json       ``{"task", "algorithm", "seed", "seed_sources", "parameters", "files"}``;
                parameters = {"task", "seed", "algorithm", "ratios": {colour: a number or a
                decimal string}, "inspectors_per_subject", "qualifications": [...],
                "departments": [...]} plus the optional descriptive "scope" and
                "seed_announcement" (not inputs of the draw);
                files = {"subjects.csv": {"sha256", "bytes", "rows"}, "inspectors.csv": ...,
                "previous.csv": ...}.

The verifier checks each file's SHA-256 against task.json (and, given ``--expect-...``, against
the hashes published at freezing), the seed against its sources, the canonical form of each file,
each revealed conflict against its frozen token, then recomputes the draw and compares it with
result.csv line by line and the conflicts it met with conflicts.csv.
A changed directory, seed, source or parameter gives MISMATCH with the first differences (the
task number and the descriptive fields are not inputs of the draw, so only their consistency
within task.json is checked).
Limits: a conflict the city hides (never tells the draw) cannot be seen from the files: the
inspector would be drawn for that subject. What the files do prove is that no refusal was made up.
Manual assignments of subjects left short are not part of the draw: the task's page shows them,
marked as such, with their reasons.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import math
import operator
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from pathlib import Path

ALGORITHM = "rivest-sha256-v2"
ALGORITHM_V1 = "rivest-sha256-v1"  # unsalted conflict tokens; still verified
ALGORITHMS = (ALGORITHM_V1, ALGORITHM)
COLOURS = ("green", "yellow", "orange", "red")
DEFAULT_RATIOS = {"green": 0.02, "yellow": 0.05, "orange": 0.20, "red": 1.0}

SUBJECTS_HEADER = "uscc,colour"
INSPECTORS_HEADER = "id,name,department,qualifications,conflicts"
PREVIOUS_HEADER = "inspector_id,uscc"
RESULT_HEADER = "colour,order,position,uscc,inspectors,short"
CONFLICTS_HEADER = "inspector_id,uscc,salt"
FILES = ("subjects.csv", "inspectors.csv", "previous.csv")
PUBLISHED_V1 = ("task.json", *FILES, "result.csv")
PUBLISHED = (*PUBLISHED_V1, "conflicts.csv")
REJECTION_REASONS = ("unqualified", "conflict", "consecutive", "same_department")

_PARAMETER_KEYS = {
    "task",
    "seed",
    "algorithm",
    "ratios",
    "inspectors_per_subject",
    "qualifications",
    "departments",
}
_DESCRIPTIVE_KEYS = {"scope", "seed_announcement"}
_USCC = re.compile(r"[0-9A-Z]+")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_SALT = re.compile(r"[0-9a-f]{32}")
# Byte sets for checking the subjects file in whole-file operations (bytes.translate deletes them).
_SUBJECT_BYTES = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ,\n" + bytes(sorted(set("".join(COLOURS).encode())))
_NOT_SEPARATORS = bytes(byte for byte in range(256) if byte not in b",\n")
_LOWER_CASE = b"abcdefghijklmnopqrstuvwxyz"


# --- the sampler -----------------------------------------------------------------------------------


def _positions(seed: str, n: int) -> Iterator[int]:
    """Rivest's sampler: distinct positions 1..n in draw order, until all n are drawn.

    ``int.from_bytes(digest, "big")`` is the same number as ``int(hexdigest, 16)``, only faster."""
    seen: set[int] = set()
    sha256 = hashlib.sha256
    i = 0
    while len(seen) < n:
        i += 1
        position = 1 + int.from_bytes(sha256(f"{seed},{i}".encode()).digest(), "big") % n
        if position not in seen:
            seen.add(position)
            yield position


def rivest_sample(seed: str, n: int, k: int) -> list[int]:
    """k distinct 1-based positions out of n, in draw order:
    ``1 + int(sha256(f"{seed},{i}").hexdigest(), 16) % n`` for i = 1, 2, ..., repeats skipped."""
    if isinstance(n, bool) or isinstance(k, bool) or not isinstance(n, int) or not isinstance(k, int):
        raise ValueError("n and k must be integers")
    if n < 0 or not 0 <= k <= n:
        raise ValueError(f"cannot draw {k} distinct positions out of {n}")
    return list(islice(_positions(seed, n), k))


def seed_from_sources(sources: list[str]) -> str:
    """The seed: SHA-256 hex of the sources' values, stripped, joined by "\\n", in announced order."""
    if isinstance(sources, str):
        raise ValueError("seed sources must be a list of values, not one string")
    values = []
    for number, source in enumerate(sources, 1):
        if not isinstance(source, str):
            raise ValueError(f"seed source {number} must be text, not {type(source).__name__}")
        value = source.strip()
        if not value:
            raise ValueError(f"seed source {number} is empty")
        if "\n" in value or "\r" in value:
            raise ValueError(f"seed source {number} contains a line break")
        values.append(value)
    if len(values) < 2:
        raise ValueError("the seed needs at least two announced sources; the system never picks it alone")
    return sha256_hex("\n".join(values).encode())


def conflict_token(inspector_id: str, uscc: str, salt: str) -> str:
    """What the published inspectors directory lists for a declared conflict (回避): salted, so that
    hashing every (inspector, subject) pair finds nothing without the private salt."""
    return sha256_hex(f"conflict,{inspector_id},{uscc},{salt}".encode())


def conflict_token_v1(inspector_id: str, uscc: str) -> str:
    """Version 1's unsalted token (kept to verify the bundles published with it)."""
    return sha256_hex(f"conflict,{inspector_id},{uscc}".encode())


@dataclass(frozen=True, order=True)
class Conflict:
    """A declared conflict with its private salt: known to the city; published only once the draw
    met it (conflicts.csv)."""

    inspector_id: str
    uscc: str
    salt: str

    @property
    def token(self) -> str:
        return conflict_token(self.inspector_id, self.uscc, self.salt)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- canonical files -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inspector:
    id: str
    name: str
    department: str
    qualifications: tuple[str, ...] = ()
    conflicts: frozenset[str] = frozenset()  # conflict tokens


def _field(value: str, what: str, *, list_item: bool = False) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be non-empty text, not {value!r}")
    if value != value.strip() or any(ch in value for ch in ",\n\r" + (";" if list_item else "")):
        raise ValueError(f"{what} {value!r} has surrounding spaces, a comma, a semicolon or a line break")
    return value


def _join(items: Iterable[str], what: str) -> str:
    values = sorted({_field(item, what, list_item=True) for item in items})
    return ";".join(values)


def subjects_csv(rows: Iterable[tuple[str, str]]) -> bytes:
    """(uscc, colour) rows → the canonical subjects directory (sorted by USCC)."""
    rows = sorted(rows)
    lines = [SUBJECTS_HEADER]
    previous = None
    for uscc, colour in rows:
        if not isinstance(uscc, str) or not _USCC.fullmatch(uscc):
            raise ValueError(f"USCC {uscc!r} must be upper-case letters and digits")
        if colour not in COLOURS:
            raise ValueError(f"subject {uscc}: unknown colour {colour!r} (one of {', '.join(COLOURS)})")
        if uscc == previous:
            raise ValueError(f"subject {uscc} is listed twice")
        previous = uscc
        lines.append(f"{uscc},{colour}")
    return ("\n".join(lines) + "\n").encode()


def inspectors_csv(inspectors: Iterable[Inspector]) -> bytes:
    """The canonical inspectors directory: sorted by id; qualifications and conflicts sorted."""
    inspectors = sorted(inspectors, key=lambda inspector: inspector.id)
    lines = [INSPECTORS_HEADER]
    for index, inspector in enumerate(inspectors):
        if index and inspector.id == inspectors[index - 1].id:
            raise ValueError(f"inspector {inspector.id} is listed twice")
        for token in inspector.conflicts:
            if not isinstance(token, str) or not _HEX64.fullmatch(token):
                raise ValueError(
                    f"inspector {inspector.id}: {token!r} is not a conflict token (conflict_token())"
                )
        if isinstance(inspector.qualifications, str):
            raise ValueError(f"inspector {inspector.id}: qualifications must be a tuple, not one string")
        cells = (
            _field(inspector.id, "inspector id"),
            _field(inspector.name, f"inspector {inspector.id}: name"),
            _field(inspector.department, f"inspector {inspector.id}: department"),
            _join(inspector.qualifications, f"inspector {inspector.id}: qualification"),
            ";".join(sorted(inspector.conflicts)),
        )
        lines.append(",".join(cells))
    return ("\n".join(lines) + "\n").encode()


def conflicts_csv(conflicts: Iterable[Conflict]) -> bytes:
    """The conflicts a draw met, with their salts (conflicts.csv), sorted, no repeats."""
    lines = [CONFLICTS_HEADER]
    for conflict in sorted(set(conflicts)):
        if not _SALT.fullmatch(conflict.salt):
            raise ValueError(f"conflict of {conflict.inspector_id}: the salt must be 32 hex characters")
        lines.append(
            f"{_field(conflict.inspector_id, 'inspector id')},{_field(conflict.uscc, 'USCC')},{conflict.salt}"
        )
    return ("\n".join(lines) + "\n").encode()


def previous_csv(pairs: Iterable[tuple[str, str]]) -> bytes:
    """(inspector_id, uscc) assignments of the departments' previous task(s), sorted, no repeats."""
    lines = [PREVIOUS_HEADER]
    for inspector_id, uscc in sorted(set(pairs)):
        lines.append(f"{_field(inspector_id, 'inspector id')},{_field(uscc, 'USCC')}")
    return ("\n".join(lines) + "\n").encode()


def _text(data: bytes, name: str, header: str) -> list[str]:
    """The data lines of a canonical file (header checked, final newline required)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{name} is not UTF-8: {error}") from None
    if not text.startswith(header + "\n"):
        raise ValueError(f"{name}: the first line must be {header!r}")
    if "\r" in text or not text.endswith("\n"):
        raise ValueError(f"{name}: every line must end with \\n (and only with it)")
    return text[len(header) + 1 : -1].split("\n") if len(text) > len(header) + 1 else []


def _check_sorted(lines: list[str], name: str, key=None) -> None:
    keys = lines if key is None else [key(line) for line in lines]
    if not all(map(operator.lt, keys, islice(keys, 1, None))):
        for number, (a, b) in enumerate(zip(keys, keys[1:], strict=False), 3):
            if not a < b:
                raise ValueError(
                    f"{name} line {number}: not in canonical order or repeated ({b!r} after {a!r})"
                )


def _bad_subject_line(body: str) -> ValueError:
    for number, line in enumerate(body.split("\n"), 2):
        uscc, comma, colour = line.partition(",")
        if not (comma and _USCC.fullmatch(uscc) and colour in COLOURS):
            return ValueError(
                f"subjects.csv line {number}: {line!r} is not 'USCC,colour' (USCC in upper-case letters "
                f"and digits, colour one of {', '.join(COLOURS)})"
            )
    return ValueError("subjects.csv: malformed")  # pragma: no cover - the loop above names the line


def parse_subjects(data: bytes) -> dict[str, list[str]]:
    """The canonical subjects directory → {colour: [uscc, ...] in USCC order}, checking its form.

    A city's directory has a million rows and a verification must take seconds, so the form is
    checked on the whole file at once: only the bytes 0-9 A-Z , newline and the colours' letters;
    separators alternating "," and newline (one comma per line); lower-case letters only in the
    colours; then USCCs strictly increasing (sorted, no repeats)."""
    name = "subjects.csv"
    header = (SUBJECTS_HEADER + "\n").encode()
    if not data.startswith(header):
        raise ValueError(f"{name}: the first line must be {SUBJECTS_HEADER!r}")
    strata: dict[str, list[str]] = {colour: [] for colour in COLOURS}
    body = data[len(header) :]
    if not body:
        return strata
    if not body.endswith(b"\n"):
        raise ValueError(f"{name}: the last line must end with a newline")
    if body.translate(None, _SUBJECT_BYTES):
        raise _bad_subject_line(body.decode("utf-8", "replace")[:-1])
    text = body.decode("ascii")[:-1]
    separators = body.translate(None, _NOT_SEPARATORS)
    if separators != b",\n" * (len(separators) // 2) or text.startswith(",") or "\n," in text:
        raise _bad_subject_line(text)
    cells = text.replace("\n", ",").split(",")
    usccs = cells[0::2]
    append = {colour: strata[colour].append for colour in COLOURS}
    try:
        for uscc, colour in zip(usccs, cells[1::2], strict=True):
            append[colour](uscc)
    except KeyError:
        raise _bad_subject_line(text) from None
    lower_case = len(body) - len(body.translate(None, _LOWER_CASE))
    if lower_case != sum(len(colour) * len(strata[colour]) for colour in COLOURS):
        raise _bad_subject_line(text)
    if not all(map(operator.lt, usccs, islice(usccs, 1, None))):
        _check_sorted(usccs, name)
    return strata


def parse_inspectors(data: bytes) -> list[Inspector]:
    name = "inspectors.csv"
    lines = _text(data, name, INSPECTORS_HEADER)
    inspectors = []
    for number, line in enumerate(lines, 2):
        cells = line.split(",")
        if len(cells) != 5 or not all(cells[:3]):
            raise ValueError(
                f"{name} line {number}: {line!r} is not 'id,name,department,qualifications,conflicts'"
            )
        qualifications = tuple(cells[3].split(";")) if cells[3] else ()
        conflicts = tuple(cells[4].split(";")) if cells[4] else ()
        if list(qualifications) != sorted(set(qualifications)) or list(conflicts) != sorted(set(conflicts)):
            raise ValueError(
                f"{name} line {number}: qualifications and conflicts must be sorted, without repeats"
            )
        if not all(_HEX64.fullmatch(token) for token in conflicts):
            raise ValueError(f"{name} line {number}: a conflict is not a 64-hex-character token")
        inspectors.append(Inspector(cells[0], cells[1], cells[2], qualifications, frozenset(conflicts)))
    _check_sorted(lines, name, key=lambda line: line.split(",", 1)[0])
    return inspectors


def parse_previous(data: bytes) -> set[tuple[str, str]]:
    name = "previous.csv"
    lines = _text(data, name, PREVIOUS_HEADER)
    pairs = []
    for number, line in enumerate(lines, 2):
        cells = line.split(",")
        if len(cells) != 2 or not all(cells):
            raise ValueError(f"{name} line {number}: {line!r} is not 'inspector_id,uscc'")
        pairs.append((cells[0], cells[1]))
    _check_sorted(pairs, name)
    return set(pairs)


def parse_conflicts(data: bytes) -> list[Conflict]:
    name = "conflicts.csv"
    lines = _text(data, name, CONFLICTS_HEADER)
    conflicts = []
    for number, line in enumerate(lines, 2):
        cells = line.split(",")
        if len(cells) != 3 or not all(cells) or not _SALT.fullmatch(cells[2]):
            raise ValueError(f"{name} line {number}: {line!r} is not 'inspector_id,uscc,salt' (salt: 32 hex)")
        conflicts.append(Conflict(*cells))
    _check_sorted([(c.inspector_id, c.uscc) for c in conflicts], name)
    return conflicts


# --- parameters ------------------------------------------------------------------------------------


def _ratio(colour: str, value) -> Fraction:
    """The ratio as an exact fraction of its decimal text, so that ceil(N x ratio) has no rounding error."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"ratio for {colour} must be a number, not {value!r}")
    try:
        exact = Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"ratio for {colour} must be a number, not {value!r}") from None
    if not 0 <= exact <= 1:
        raise ValueError(f"ratio for {colour} is {value!r}; it must be between 0 and 1")
    return exact


def _names(value, what: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"{what} must be a list of names")
    return sorted({_field(item, what[:-1] if what.endswith("s") else what, list_item=True) for item in value})


def normalise_parameters(parameters: dict, *, require_seed: bool = True) -> dict:
    """Validated, complete parameters (missing ratios take DEFAULT_RATIOS; lists sorted)."""
    if not isinstance(parameters, dict):
        raise ValueError("parameters must be a mapping")
    unknown = set(parameters) - _PARAMETER_KEYS - _DESCRIPTIVE_KEYS
    if unknown:
        raise ValueError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
    algorithm = parameters.get("algorithm", ALGORITHM)
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; this file implements {', '.join(ALGORITHMS)}")
    task = parameters.get("task")
    if not isinstance(task, str) or not task.strip():
        raise ValueError("parameter 'task' (the task number) is required")
    seed = parameters.get("seed")
    if (seed is not None or require_seed) and not (isinstance(seed, str) and _HEX64.fullmatch(seed)):
        raise ValueError("parameter 'seed' must be the 64-hex-character seed_from_sources() value")
    ratios = parameters.get("ratios") or {}
    if not isinstance(ratios, dict):
        raise ValueError("parameter 'ratios' must map colours to ratios")
    for colour in ratios:
        if colour not in COLOURS:
            raise ValueError(f"unknown colour {colour!r} in ratios (one of {', '.join(COLOURS)})")
    ratios = {colour: ratios.get(colour, DEFAULT_RATIOS[colour]) for colour in COLOURS}
    for colour, value in ratios.items():
        _ratio(colour, value)
        if isinstance(value, Decimal):  # JSON has no decimal type; its text keeps the value exact
            ratios[colour] = str(value)
    per_subject = parameters.get("inspectors_per_subject", 2)
    if isinstance(per_subject, bool) or not isinstance(per_subject, int) or per_subject < 2:
        raise ValueError(f"inspectors_per_subject is {per_subject!r}; at least 2 inspectors per subject")
    departments = _names(parameters.get("departments") or [], "departments")
    if not departments:
        raise ValueError("parameter 'departments' must name at least one department")
    normal = {
        "task": task,
        "seed": seed,
        "algorithm": algorithm,
        "ratios": ratios,
        "inspectors_per_subject": per_subject,
        "qualifications": _names(parameters.get("qualifications") or [], "qualifications"),
        "departments": departments,
    }
    normal.update({key: parameters[key] for key in sorted(_DESCRIPTIVE_KEYS) if key in parameters})
    return normal


def stratum_size(n: int, ratio) -> int:
    """k = ceil(N x ratio), exactly, capped at N."""
    return min(n, math.ceil(n * _ratio("stratum", ratio)))


# --- the draw --------------------------------------------------------------------------------------


@dataclass
class Pick:
    uscc: str
    colour: str
    position: int
    inspectors: tuple[str, ...]
    short: bool = False  # fewer eligible inspectors than inspectors_per_subject: assign by hand


@dataclass
class Rejection:
    uscc: str  # blank for "unqualified", which does not depend on the subject
    inspector_id: str
    reason: str  # one of REJECTION_REASONS


@dataclass
class Draw:
    picks: list[Pick]
    rejections: list[Rejection]
    strata: dict[str, dict]  # colour → {"N": subjects of that colour, "k": drawn, "ratio": as given}
    parameters: dict = field(default_factory=dict)  # normalised
    revealed: list[Conflict] = field(default_factory=list)  # the conflicts met (conflicts.csv), sorted


def _assign(
    uscc: str,
    seed: str,
    pool: list[Inspector],
    wanted: int,
    joint: bool,
    previous: set[tuple[str, str]],
    rejections: list[Rejection],
    declared: set[tuple[str, str]] | None,
) -> tuple[tuple[str, ...], bool]:
    """`declared`: the (inspector id, uscc) conflicts known to the draw (version 2); None: version 1,
    whose unsalted tokens are checked for every candidate."""
    # rivest_sample() and conflict_token_v1(), written out: this loop runs for every drawn subject.
    sha256 = hashlib.sha256
    from_bytes = int.from_bytes
    label = f"{seed}:inspectors:{uscc},"
    pool_size = len(pool)
    seen: set[int] = set()
    i = 0
    taken: list[str] = []
    departments: set[str] = set()
    set_aside: list[Inspector] = []
    while len(seen) < pool_size:
        i += 1
        index = from_bytes(sha256(f"{label}{i}".encode()).digest(), "big") % pool_size  # position - 1
        if index in seen:
            continue
        seen.add(index)
        inspector = pool[index]
        if inspector.conflicts and (
            (inspector.id, uscc) in declared
            if declared is not None
            else sha256(f"conflict,{inspector.id},{uscc}".encode()).hexdigest() in inspector.conflicts
        ):
            rejections.append(Rejection(uscc, inspector.id, "conflict"))
        elif (inspector.id, uscc) in previous:
            rejections.append(Rejection(uscc, inspector.id, "consecutive"))
        elif (
            joint
            and len(taken) == wanted - 1
            and len(departments) == 1
            and inspector.department in departments
        ):
            set_aside.append(inspector)
        else:
            taken.append(inspector.id)
            departments.add(inspector.department)
            if len(taken) == wanted:
                break
    while len(taken) < wanted and set_aside:
        taken.append(set_aside.pop(0).id)
    for inspector in set_aside:
        rejections.append(Rejection(uscc, inspector.id, "same_department"))
    return tuple(taken), len(taken) < wanted


def draw(
    parameters: dict, subjects: bytes, inspectors: bytes, previous: bytes, conflicts: Iterable[Conflict] = ()
) -> Draw:
    """Draw a task from its parameters, its three frozen files and (version 2) the declared conflicts
    with their salts: the city passes all it froze, the verifier those of conflicts.csv. The draw only
    consults the conflicts it meets, so both give the same draw (see the top of this file)."""
    # A million-row directory makes the cyclic garbage collector rescan big lists again and again
    # (a quarter of the time) while the draw creates no cycles: pause it for the draw.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _draw(parameters, subjects, inspectors, previous, conflicts)
    finally:
        if collecting:
            gc.enable()


def _known_conflicts(
    algorithm: str, directory: list[Inspector], conflicts: Iterable[Conflict]
) -> dict[tuple[str, str], Conflict] | None:
    """Each given conflict, checked against the tokens frozen in the inspectors directory."""
    conflicts = list(conflicts)
    if algorithm == ALGORITHM_V1:
        if conflicts:
            raise ValueError(f"{ALGORITHM_V1} has no salted conflicts; its tokens are checked directly")
        return None
    tokens = {inspector.id: inspector.conflicts for inspector in directory}
    known: dict[tuple[str, str], Conflict] = {}
    for conflict in conflicts:
        pair = (conflict.inspector_id, conflict.uscc)
        if pair in known:
            raise ValueError(f"conflict of {conflict.inspector_id} with {conflict.uscc} is given twice")
        if conflict.token not in tokens.get(conflict.inspector_id, ()):
            raise ValueError(
                f"conflict of {conflict.inspector_id} with {conflict.uscc}: its token is not among that "
                "inspector's conflicts in the frozen inspectors.csv (declared after freezing, or a wrong salt)"
            )
        known[pair] = conflict
    return known


def _draw(parameters: dict, subjects: bytes, inspectors: bytes, previous: bytes, conflicts) -> Draw:
    params = normalise_parameters(parameters)
    seed = params["seed"]
    strata_subjects = parse_subjects(subjects)
    directory = parse_inspectors(inspectors)
    assigned_before = parse_previous(previous)
    known = _known_conflicts(params["algorithm"], directory, conflicts)
    declared = set(known) if known is not None else None

    departments = set(params["departments"])
    qualifications = set(params["qualifications"])
    rejections: list[Rejection] = []
    pool = []
    for inspector in directory:
        if inspector.department not in departments:
            continue
        if qualifications and qualifications.isdisjoint(inspector.qualifications):
            rejections.append(Rejection("", inspector.id, "unqualified"))
        else:
            pool.append(inspector)
    wanted = params["inspectors_per_subject"]
    if len(pool) < wanted:
        raise ValueError(
            f"only {len(pool)} qualified inspector(s) in {', '.join(params['departments'])}; "
            f"{wanted} are needed per subject"
        )
    joint = len({inspector.department for inspector in pool}) > 1

    picks = []
    strata = {}
    for colour in COLOURS:
        usccs = strata_subjects[colour]
        ratio = params["ratios"][colour]
        k = stratum_size(len(usccs), ratio)
        strata[colour] = {"N": len(usccs), "k": k, "ratio": ratio}
        # A stratum drawn whole (k = N) needs no sampler: every subject, in canonical order.
        positions = range(1, k + 1) if k == len(usccs) else rivest_sample(f"{seed}:{colour}", len(usccs), k)
        for position in positions:
            uscc = usccs[position - 1]
            chosen, short = _assign(uscc, seed, pool, wanted, joint, assigned_before, rejections, declared)
            picks.append(Pick(uscc, colour, position, chosen, short))
    revealed = (
        sorted(known[(r.inspector_id, r.uscc)] for r in rejections if r.reason == "conflict")
        if known is not None
        else []
    )
    return Draw(picks, rejections, strata, params, revealed)


def result_csv(result: Draw) -> bytes:
    """The canonical published result (see the top of this file)."""
    lines = [RESULT_HEADER]
    order = Counter()
    for pick in result.picks:
        order[pick.colour] += 1
        lines.append(
            f"{pick.colour},{order[pick.colour]},{pick.position},{pick.uscc},"
            f"{';'.join(pick.inspectors)},{int(pick.short)}"
        )
    return ("\n".join(lines) + "\n").encode()


def _file_entry(data: bytes) -> dict:
    return {"sha256": sha256_hex(data), "bytes": len(data), "rows": max(0, data.count(b"\n") - 1)}


def manifest(
    parameters: dict, subjects: bytes, inspectors: bytes, previous: bytes, seed_sources: list[str]
) -> dict:
    """task.json: what is published. Without seed sources (and seed) it is the frozen manifest,
    published before the seed exists; with them the seed is fixed from the sources."""
    if seed_sources:
        seed = seed_from_sources(seed_sources)
        sources = [source.strip() for source in seed_sources]
        given = parameters.get("seed")
        if given is not None and given != seed:
            raise ValueError(f"parameter seed {given} is not the seed of the sources ({seed})")
        params = normalise_parameters({**parameters, "seed": seed})
    else:
        sources = []
        if parameters.get("seed") is not None:
            raise ValueError("a seed without its sources cannot be published")
        params = normalise_parameters(parameters, require_seed=False)
        seed = None
    # Publish only what the draw will accept: a hash of a file out of canonical form would be useless.
    parse_subjects(subjects)
    parse_inspectors(inspectors)
    parse_previous(previous)
    return {
        "task": params["task"],
        "algorithm": params["algorithm"],
        "seed": seed,
        "seed_sources": sources,
        "parameters": params,
        "files": {
            "subjects.csv": _file_entry(subjects),
            "inspectors.csv": _file_entry(inspectors),
            "previous.csv": _file_entry(previous),
        },
    }


def manifest_json(content: dict) -> bytes:
    """task.json bytes as the system writes them (the verifier accepts any valid JSON layout)."""
    return (json.dumps(content, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


# --- the verifier ----------------------------------------------------------------------------------


@dataclass
class Report:
    match: bool
    task: str = ""
    algorithm: str = ""
    problems: list[str] = field(default_factory=list)  # empty when the draw matches; first one first
    checks: list[tuple[str, bool, str]] = field(default_factory=list)  # (what, ok, detail)
    strata: dict[str, dict] = field(default_factory=dict)
    picks: int = 0
    short: int = 0
    rejections: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"Task {self.task or '?'} · algorithm {self.algorithm or '?'}"]
        lines += [f"  [{'ok' if ok else 'XX'}] {what}: {detail}" for what, ok, detail in self.checks]
        for colour, stratum in self.strata.items():
            lines.append(
                f"  stratum {colour:<6} N = {stratum['N']:>9,}  ratio {stratum['ratio']}  k = {stratum['k']:,}"
            )
        if self.strata:
            rejected = ", ".join(f"{reason} {count:,}" for reason, count in sorted(self.rejections.items()))
            lines.append(
                f"  picks {self.picks:,} (short of inspectors: {self.short:,}); rejections: {rejected or 'none'}"
            )
        if self.match:
            lines.append(
                "MATCH: the published result is exactly the draw recomputed from the published files."
            )
        else:
            lines.append(f"MISMATCH: {self.problems[0]}")
            lines += [f"  also: {problem}" for problem in self.problems[1:]]
        return "\n".join(lines)


def read_published(path: str | Path) -> dict[str, bytes]:
    """The published files from a folder or a .zip (at its root or in one folder inside it)."""
    path = Path(path)
    files: dict[str, bytes] = {}
    if path.is_dir():
        for name in PUBLISHED:
            if (path / name).is_file():
                files[name] = (path / name).read_bytes()
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                name = member.rsplit("/", 1)[-1]
                if name in PUBLISHED and member.count("/") <= 1 and name not in files:
                    files[name] = archive.read(member)
    else:
        raise ValueError(f"{path} is neither a folder nor a zip file")
    return files


def _first_differences(published: bytes, recomputed: bytes, limit: int = 5) -> list[str]:
    ours = recomputed.decode().split("\n")
    try:
        theirs = published.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        return ["result.csv is not UTF-8"]
    differences = []
    for number in range(1, max(len(ours), len(theirs)) + 1):
        a = theirs[number - 1] if number <= len(theirs) else "<missing>"
        b = ours[number - 1] if number <= len(ours) else "<missing>"
        if a != b:
            differences.append(f"result.csv line {number}: published {a!r}, recomputed {b!r}")
            if len(differences) == limit:
                break
    return differences


def _published_counts(published: bytes) -> Counter:
    counts = Counter()
    for line in published.decode("utf-8", "replace").split("\n")[1:]:
        if line:
            counts[line.split(",", 1)[0]] += 1
    return counts


def _algorithm_of(files: dict[str, bytes]) -> str | None:
    """The algorithm task.json names (its parameters'), or None when task.json cannot tell."""
    try:
        task = json.loads(files["task.json"].decode("utf-8"))
    except (KeyError, UnicodeDecodeError, ValueError):
        return None
    parameters = task.get("parameters") if isinstance(task, dict) else None
    return parameters.get("algorithm") if isinstance(parameters, dict) else None


def verify_files(files: dict[str, bytes], frozen_hashes: dict[str, str] | None = None) -> Report:
    """`frozen_hashes`: {file name: SHA-256} as published at freezing, checked besides task.json's."""
    report = Report(match=False)
    algorithm = _algorithm_of(files)
    required = PUBLISHED_V1 if algorithm == ALGORITHM_V1 else PUBLISHED
    missing = [name for name in required if name not in files]
    if missing:
        report.problems.append(f"missing file(s): {', '.join(missing)}")
        return report
    try:
        task = json.loads(files["task.json"].decode("utf-8"))
        if not isinstance(task, dict):
            raise ValueError("not a JSON object")
    except (UnicodeDecodeError, ValueError) as error:
        report.problems.append(f"task.json is not valid JSON: {error}")
        return report
    parameters = task.get("parameters") if isinstance(task.get("parameters"), dict) else {}
    report.task = str(task.get("task") or parameters.get("task") or "")
    report.algorithm = str(algorithm or "")

    def check(what: str, ok: bool, detail: str, problem: str) -> None:
        report.checks.append((what, ok, detail))
        if not ok:
            report.problems.append(problem)

    published_files = task.get("files") if isinstance(task.get("files"), dict) else {}
    for name in FILES:
        actual = sha256_hex(files[name])
        entry = published_files.get(name)
        expected = entry.get("sha256") if isinstance(entry, dict) else None
        check(f"{name} SHA-256", actual == expected, actual,
              f"{name} has SHA-256 {actual}, task.json publishes {expected}")  # fmt: skip
    for name, frozen in (frozen_hashes or {}).items():
        actual = sha256_hex(files[name])
        check(f"{name} as published at freezing", actual == frozen, frozen,
              f"{name} has SHA-256 {actual}, but the hash published at freezing is {frozen}: "
              "this is not the directory frozen before the seed existed")  # fmt: skip

    for key in ("task", "algorithm", "seed"):
        if key in task and task[key] != parameters.get(key):
            report.problems.append(
                f"task.json: {key} {task[key]!r} differs from parameters.{key} {parameters.get(key)!r}"
            )
    sources = task.get("seed_sources")
    try:
        seed = seed_from_sources(sources if isinstance(sources, list) else [])
    except ValueError as error:
        check("seed", False, str(error), f"seed sources: {error}")
    else:
        given = parameters.get("seed")
        check("seed", seed == given, f"{given} from {len(sources)} sources {sources}",
              f"the seed {given} is not the seed of the published sources ({seed})")  # fmt: skip

    try:
        revealed = parse_conflicts(files["conflicts.csv"]) if algorithm != ALGORITHM_V1 else []
        recomputed = draw(
            parameters, files["subjects.csv"], files["inspectors.csv"], files["previous.csv"], revealed
        )
    except ValueError as error:
        report.problems.append(f"cannot recompute the draw: {error}")
        return report
    if algorithm != ALGORITHM_V1:
        unmet = sorted(set(revealed) - set(recomputed.revealed))
        check("conflicts.csv", not unmet,
              f"{len(revealed):,} revealed, each matching a frozen token and met by the draw",
              f"conflicts.csv reveals {len(unmet)} conflict(s) the draw never met, first "
              f"{unmet[0].inspector_id} with {unmet[0].uscc}" if unmet else "")  # fmt: skip
    report.strata = recomputed.strata
    report.picks = len(recomputed.picks)
    report.short = sum(pick.short for pick in recomputed.picks)
    report.rejections = dict(Counter(rejection.reason for rejection in recomputed.rejections))
    ours = result_csv(recomputed)
    if ours == files["result.csv"]:
        report.checks.append(("result.csv", True, f"{report.picks:,} picks recomputed identically"))
    else:
        theirs = _published_counts(files["result.csv"])
        for colour, stratum in recomputed.strata.items():
            if theirs[colour] != stratum["k"]:
                report.problems.append(
                    f"stratum {colour}: result.csv has {theirs[colour]} picks, the recomputed draw {stratum['k']}"
                )
        report.checks.append(("result.csv", False, "differs from the recomputed draw"))
        report.problems.extend(_first_differences(files["result.csv"], ours))
    report.match = not report.problems
    return report


def verify(path: str | Path, frozen_hashes: dict[str, str] | None = None) -> Report:
    """Check a task's published files (folder or .zip): hashes (against task.json and, given, those
    published at freezing), seed, form, and the draw itself."""
    try:
        files = read_published(path)
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        return Report(match=False, problems=[str(error)])
    return verify_files(files, frozen_hashes)


def _sha256_argument(value: str) -> str:
    value = value.strip().lower()
    if not _HEX64.fullmatch(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a SHA-256 (64 hex characters)")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="verify_draw.py",
        description="Re-compute a 双随机 draw from its published files and say whether it matches.",
    )
    parser.add_argument(
        "path", nargs="?", help="folder or .zip holding task.json, the three directories and result.csv"
    )
    parser.add_argument(
        "--sample", nargs=3, metavar=("SEED", "N", "K"), help="print rivest_sample(SEED, N, K)"
    )
    for name in FILES:
        stem = name.removesuffix(".csv")
        parser.add_argument(
            f"--expect-{stem}-sha256", type=_sha256_argument, metavar="HEX",
            help=f"the SHA-256 of {name} as published at freezing (from the task's public page)",
        )  # fmt: skip
    args = parser.parse_args(argv)
    if args.sample:
        seed, n, k = args.sample
        try:
            positions = rivest_sample(seed, int(n), int(k))
        except ValueError as error:
            parser.error(str(error))
        print("\n".join(map(str, positions)))
        return 0
    if not args.path:
        parser.error("give the folder or zip of a task's published files (or --sample SEED N K)")
    expected = {
        name: getattr(args, f"expect_{name.removesuffix('.csv')}_sha256")
        for name in FILES
        if getattr(args, f"expect_{name.removesuffix('.csv')}_sha256")
    }
    report = verify(args.path, expected)
    print(report.summary())
    return 0 if report.match else 1


if __name__ == "__main__":
    sys.exit(main())
