"""The city as a whole: blocks of subjects, worker processes, the files, the resent file.

Why: generation is CPU-bound and a city may have a million subjects, so blocks are
generated in worker processes when asked, within a bounded window (memory stays flat), and
the parent appends their lines to the files strictly in block order — so the bytes depend
only on (subjects, seed, as_of, max records per file), never on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import shutil
from collections import deque
from collections.abc import Iterator
from datetime import date
from itertools import islice
from pathlib import Path

from collectors.citygen.bad_records import BAD_REASONS
from collectors.citygen.block import Block
from collectors.citygen.city_setup import CitySetup
from collectors.citygen.codes import MAX_SUBJECTS
from collectors.citygen.colours import COLOURS
from collectors.citygen.summary import city_summary, file_entry
from collectors.citygen.writers import FileWriter

DEFAULT_MAX_RECORDS_PER_FILE = 50_000
# Subjects generated together (the unit of work of a worker process); read when a city runs,
# so a test may patch it here to make several blocks of a small city.
BLOCK_SUBJECTS = 2_000
_TALLIES = ("bad", "versions", "types", "statuses", "colours", "triggers", "identified_by")


class CityObserver:
    """Hooks for tests and tools: what each subject is meant to be, and which records are bad on purpose."""

    def subject(self, info: dict) -> None:  # noqa: B027 - optional hook
        """Called once per subject with its codes, type and target colour."""

    def bad_record(self, department: str, kind: str, record_id: str, updated_at: str, reason: str) -> None:  # noqa: B027
        """Called for each deliberately bad record (identified by record id and version)."""


_WORKER: tuple[CitySetup, bool] | None = None


def _init_worker(setup: CitySetup, collect: bool) -> None:
    global _WORKER
    _WORKER = (setup, collect)


def _run_block(index: int, lo: int, hi: int) -> dict:
    setup, collect = _WORKER
    return Block(setup, index, collect).run(lo, hi)


class CityGenerator:
    """Generates one city into `out`; `run()` writes the files and returns the summary.

    Subjects are generated in blocks of `BLOCK_SUBJECTS` (in worker processes when `workers` > 1)
    and their lines written in block order, so the files are the same for any number of workers
    and memory stays bounded by a few blocks.
    """

    def __init__(
        self,
        out: Path | str,
        subjects: int,
        seed: int,
        as_of: date | None = None,
        max_records_per_file: int = DEFAULT_MAX_RECORDS_PER_FILE,
        observer: CityObserver | None = None,
        workers: int = 1,
    ):
        if not 0 < subjects <= MAX_SUBJECTS:
            raise ValueError(f"subjects must be between 1 and {MAX_SUBJECTS}")
        if max_records_per_file < 1:
            raise ValueError("max_records_per_file must be positive")
        self.out = Path(out)
        self.setup = CitySetup(subjects, seed, as_of or date.today())
        self.max_per_file = max_records_per_file
        self.observer = observer
        self.workers = max(1, workers)
        self.files: list[dict] = []
        self.writers = {
            key: {
                role: FileWriter(self.out, spec, role, max_records_per_file, self._file_done)
                for role in ("main", "corrections")
            }
            for key, spec in self.setup.specs.items()
        }
        self.totals: dict = {
            "counts": {d.code: dict.fromkeys(d.kinds, 0) for d in self.setup.departments},
            "bad": {reason: 0 for reason, _ in BAD_REASONS},
            "versions": {},
            "types": {},
            "statuses": {},
            "colours": dict.fromkeys(COLOURS, 0),
            "triggers": {},
            "identified_by": {},
        }

    def run(self) -> dict:
        """Generate every block, close the files, resend one file, and return the summary."""
        self.out.mkdir(parents=True, exist_ok=True)
        n = self.setup.n
        blocks = [(b, lo, min(lo + BLOCK_SUBJECTS, n)) for b, lo in enumerate(range(0, n, BLOCK_SUBJECTS))]
        for result in self._results(blocks):
            self._consume(result)
        for roles in self.writers.values():
            roles["main"].close(always=True)
            roles["corrections"].close()
        resent_records = self._resend_one_file()
        return city_summary(self.setup, self.max_per_file, self.totals, self.files, resent_records)

    def _results(self, blocks: list[tuple[int, int, int]]) -> Iterator[dict]:
        """The blocks' results in block order: in this process, or from a pool of workers."""
        collect = self.observer is not None
        if self.workers == 1 or len(blocks) == 1:
            for index, lo, hi in blocks:
                yield Block(self.setup, index, collect).run(lo, hi)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, initializer=_init_worker, initargs=(self.setup, collect)) as pool:
            pending: deque = deque()
            todo = iter(blocks)
            for args in islice(todo, 2 * self.workers):  # a bounded window keeps memory flat
                pending.append(pool.apply_async(_run_block, args))
            while pending:
                result = pending.popleft().get()
                args = next(todo, None)
                if args is not None:
                    pending.append(pool.apply_async(_run_block, args))
                yield result

    def _consume(self, result: dict) -> None:
        """Append a block's lines to the files, add up its tallies, tell the observer."""
        for key, (main, corrections) in result["lines"].items():
            if main:
                self.writers[key]["main"].write_lines(main)
            if corrections:
                self.writers[key]["corrections"].write_lines(corrections)
        totals = self.totals
        for code, kinds in result["counts"].items():
            for kind, v in kinds.items():
                totals["counts"][code][kind] += v
        for name in _TALLIES:
            for k, v in result[name].items():
                totals[name][k] = totals[name].get(k, 0) + v
        if self.observer is not None:
            for info in result["subjects"]:
                self.observer.subject(info)
            for bad in result["bad_records"]:
                self.observer.bad_record(*bad)

    def _file_done(self, writer: FileWriter, path: Path, records: int) -> None:
        self.files.append(file_entry(self.out, writer.spec, writer.role, path, records))

    def _resend_one_file(self) -> int:
        """Departments sometimes drop the same file again: copy one small file under a later name."""
        candidates = [f for f in self.files if f["role"] == "main" and f["records"] > 0]
        if not candidates:
            return 0
        chosen = min(candidates, key=lambda f: (f["records"], f["path"]))
        src = self.out / chosen["path"]
        spec = self.setup.specs[chosen["department"], chosen["kind"]]
        ext = src.name[src.name.index(".") :]
        target = src.with_name(
            f"{chosen['kind']}_{spec.corrections_stamp[:8]}07{spec.stamp[10:]}_resent{ext}"
        )
        shutil.copyfile(src, target)
        self.files.append({**chosen, "path": target.relative_to(self.out).as_posix(), "role": "resent"})
        return chosen["records"]


def generate_city(
    out: Path | str,
    subjects: int,
    seed: int,
    as_of: date | None = None,
    max_records_per_file: int = DEFAULT_MAX_RECORDS_PER_FILE,
    observer: CityObserver | None = None,
    workers: int = 1,
) -> dict:
    """Write a demo city into `out` (the inbox layout) and return its summary."""
    return CityGenerator(out, subjects, seed, as_of, max_records_per_file, observer, workers).run()
