"""The demo city: a reproducible city of subjects and the department feeds about them.

Why: the collectors, the colour rules (docs/rules.md §2), 双告知 and the public pages need a
realistic city to be built, demonstrated and load-tested against, and tests need one that
is the same for the same seed. The generator writes the inbox layout the collectors read
(`<out>/<department>/<kind>_<stamp>[_part].<csv|jsonl|xml>[.gz]`), in every format,
encoding, header style and value spelling the feed contract allows (docs/feeds.md §2).

Every subject is given a target colour (the Jiangxi 2020 mix) and gets records that trigger
exactly that colour as of `as_of`, besides benign records that trigger nothing. About 0.5 %
of records are deliberately bad, the way departments get records wrong.

Subjects are generated subject by subject in blocks (optionally in worker processes); each
block renders its records per (department, kind) and the parent appends them, in block
order, to per-feed writers that rotate files. Nothing is kept per subject, so memory does
not grow with the city, and the bytes depend only on (subjects, seed, as_of, max records per
file), never on the number of workers. Pure Python; no database.

The modules, from the whole to the parts:
- `city`: blocks, worker processes, files, the summary (`summary`); `city_setup`: what blocks share;
- `block`: one block of subjects and the helpers record families draw with;
- `subjects`, `codes`, `names`, `industries`, `people`, `places`: who each subject is, and where;
- `colours`, `planning`, `triggers`: which colour each subject is meant to have, and how it gets it;
- record families: `registrations`, `licences`, `annual_reports`, `inspections`, `complaints`,
  `penalties`, `listings`, `courts`, `debts`, `honours`, `versions`, and `bad_records`;
- `documents`: decision and licence numbers; `days`: calendar rules;
- output: `streams` (each feed's style), `spellings` (values), `rendering` (lines), `writers` (files);
- tables: `data/*.json` through `data`, and the registry's own reference data through `reference`.

`BLOCK_SUBJECTS` is read from `collectors.citygen.city` when a city runs: patch it there.
"""

from collectors.citygen.bad_records import BAD_REASONS as _BAD_REASONS
from collectors.citygen.city import (
    BLOCK_SUBJECTS,
    DEFAULT_MAX_RECORDS_PER_FILE,
    CityGenerator,
    CityObserver,
    generate_city,
)
from collectors.citygen.codes import MAX_SUBJECTS
from collectors.citygen.colours import COLOUR_MIX, COLOURS, target_colour_counts
from collectors.citygen.reference import load_catalog, load_departments, load_districts

__all__ = [
    "BLOCK_SUBJECTS",
    "COLOURS",
    "COLOUR_MIX",
    "DEFAULT_MAX_RECORDS_PER_FILE",
    "MAX_SUBJECTS",
    "_BAD_REASONS",
    "CityGenerator",
    "CityObserver",
    "generate_city",
    "load_catalog",
    "load_departments",
    "load_districts",
    "target_colour_counts",
]
