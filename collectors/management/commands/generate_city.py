"""Write a demo city into an inbox folder: `python manage.py generate_city --subjects N --seed S --out DIR`."""

import json
import os
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from collectors.citygen import DEFAULT_MAX_RECORDS_PER_FILE, MAX_SUBJECTS, generate_city
from collectors.parsers import is_temporary, parse_file_name


class Command(BaseCommand):
    help = (
        "Generate a reproducible demo city (registrations and every department's feeds) into an inbox folder."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--subjects", type=int, required=True, help=f"number of subjects (1–{MAX_SUBJECTS})"
        )
        parser.add_argument("--seed", type=int, default=1, help="same seed, subjects and as-of: same bytes")
        parser.add_argument(
            "--out", required=True, help="inbox folder to write <department>/<kind>_… files into"
        )
        parser.add_argument(
            "--as-of", default=None, help="the day the colours are meant for (YYYY-MM-DD; default today)"
        )
        parser.add_argument(
            "--max-records-per-file",
            type=int,
            default=DEFAULT_MAX_RECORDS_PER_FILE,
            help=f"rotate files at this many records (default {DEFAULT_MAX_RECORDS_PER_FILE})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="generator processes (output is the same)",
        )
        parser.add_argument(
            "--force", action="store_true", help="write even if the folders hold unread feed files"
        )
        parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")

    def handle(
        self, *args, subjects, seed, out, as_of, max_records_per_file, workers, force, json, **options
    ):
        try:
            day = date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        if not 0 < subjects <= MAX_SUBJECTS:
            raise CommandError(f"--subjects must be between 1 and {MAX_SUBJECTS}")
        if max_records_per_file < 1:
            raise CommandError("--max-records-per-file must be positive")
        folder = Path(out)
        pending = _pending_feed_files(folder)
        if pending and not force:
            raise CommandError(
                f"{folder} already holds {len(pending)} unread feed files (e.g. {pending[0]}); "
                "use an empty folder, or --force to write beside them"
            )
        started = time.perf_counter()
        summary = generate_city(folder, subjects, seed, day, max_records_per_file, workers=workers)
        elapsed = time.perf_counter() - started
        if json:
            self.stdout.write(_json_dumps({**summary, "seconds": round(elapsed, 3)}))
            return
        colours = summary["target_colours"]
        shares = summary["target_colour_share"]
        bad = ", ".join(f"{reason} {n}" for reason, n in summary["bad_by_reason"].items() if n)
        versions = ", ".join(f"{k} {v}" for k, v in summary["versions"].items())
        self.stdout.write(
            f"{summary['subjects']} subjects, {summary['records']} records "
            f"({summary['records_per_subject']} per subject) in {summary['files']} files → {folder} "
            f"(as of {summary['as_of']}, seed {summary['seed']})"
        )
        self.stdout.write(
            "target colours: "
            + ", ".join(f"{c} {colours[c]} ({shares[c]:.2%})" for c in ("green", "yellow", "orange", "red"))
        )
        self.stdout.write(
            f"deliberately bad records: {summary['bad_records']} ({summary['bad_share']:.2%}): {bad}"
        )
        self.stdout.write(f"versions: {versions}; resent files {summary['resent_files']}")
        self.stdout.write(f"{elapsed:.1f} s, {summary['records'] / max(elapsed, 1e-9):,.0f} records/s")


def _pending_feed_files(folder: Path) -> list[str]:
    """Feed files waiting in department folders: a second city written beside them would mix in."""
    if not folder.is_dir():
        return []
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        for f in sorted(sub.iterdir()):
            if f.is_file() and not is_temporary(f.name) and parse_file_name(f.name):
                found.append(f"{sub.name}/{f.name}")
    return found


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
