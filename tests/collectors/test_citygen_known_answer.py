"""The demo city's known answers: the same seed writes the same bytes, release after release.

Why: a city is reproduced from (subjects, seed, as-of, max records per file) alone — demos,
benchmarks and bug reports name a seed, not a copy of the files. Any change to the
generator's code that is not meant to change the city (a move, a split, a speed-up) must
leave every byte as it was; these digests were taken from the generator before it was split
into modules, and a change that means to alter the city must say so by updating them.

Each digest is a SHA-256 over every file's path relative to the inbox and its bytes, in path
order; one case also digests the summary and what the observer was told.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from collectors import citygen
from collectors.citygen import CityObserver, generate_city

SMALL_CITY = "7de68845344b9a96394beacff2313591249b5a2734cd1e27614a62d9b2f4c943"
ROTATED_CITY = "fdde2ddedf4d0558e7299fa737abd8c529169f5b55d95299759d185f6ffa4496"
SMALL_BLOCKS_CITY = "996ace511be94c5dbf3dcd98f21afc74a3d78b3ee095d33d84422bf8f47fdde9"
SMALL_BLOCKS_REPORT = "f01bfbac100c72cfb93e7e2701f2d0a8a82c282730161c1d7142b7fad887fcdc"


def inbox_digest(folder: Path) -> str:
    """SHA-256 over each file's relative path and bytes, in path order (a rename changes it too)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


class Transcript(CityObserver):
    """Everything the observer is told, in order."""

    def __init__(self):
        self.events: list = []

    def subject(self, info: dict) -> None:
        self.events.append(("subject", info))

    def bad_record(self, department, kind, record_id, updated_at, reason) -> None:
        self.events.append(("bad_record", department, kind, record_id, updated_at, reason))


def report_digest(summary: dict, transcript: Transcript) -> str:
    text = json.dumps([summary, transcript.events], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def test_small_city_from_the_command(tmp_path):
    out = tmp_path / "inbox"
    call_command(
        "generate_city", "--subjects", "300", "--seed", "7", "--as-of", "2026-11-30", "--out", str(out)
    )
    assert inbox_digest(out) == SMALL_CITY


@pytest.mark.parametrize("workers", ["1", "2"])
def test_rotated_city_of_two_blocks_whatever_the_workers(tmp_path, workers):
    """2,500 subjects are two blocks of the default size: with two workers a pool shares them."""
    out = tmp_path / "inbox"
    call_command(
        "generate_city",
        *("--subjects", "2500", "--seed", "11", "--as-of", "2025-03-01"),
        *("--max-records-per-file", "700", "--workers", workers, "--out", str(out)),
    )
    assert inbox_digest(out) == ROTATED_CITY


def test_small_blocks_city_with_its_summary_and_observer(tmp_path, monkeypatch):
    monkeypatch.setattr(citygen.city, "BLOCK_SUBJECTS", 120)
    transcript = Transcript()
    summary = generate_city(
        tmp_path / "inbox",
        400,
        5,
        date(2026, 11, 27),
        max_records_per_file=250,
        observer=transcript,
        workers=2,
    )
    assert inbox_digest(tmp_path / "inbox") == SMALL_BLOCKS_CITY
    assert report_digest(summary, transcript) == SMALL_BLOCKS_REPORT
