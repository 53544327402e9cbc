"""What every block of a city shares: reference data, weight tables and the feeds' styles.

Why: a block — in the parent or in a worker process — must draw exactly what any other
block would, so everything that is the same for the whole city is fixed once here, from
the seed alone, before the first subject: the streams' styles and columns, the code
permutations, the cumulative weights of districts, industries and subject types.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

from collectors.citygen.codes import CodePermutations
from collectors.citygen.colours import colour_offset
from collectors.citygen.industries import INDUSTRIES, SUBJECT_TYPES
from collectors.citygen.penalties import GENERAL_PENALTY_DEPTS
from collectors.citygen.places import Districts
from collectors.citygen.reference import load_catalog, load_departments, load_districts
from collectors.citygen.streams import stream_specs


def cumulative_shares(weights: Iterable[float]) -> list[float]:
    """Cumulative shares of the weights, the last exactly 1.0 (for a bisect draw)."""
    total = 0.0
    out = []
    ws = list(weights)
    s = sum(ws)
    for w in ws:
        total += w / s
        out.append(total)
    out[-1] = 1.0
    return out


class CitySetup:
    """The city-wide tables, all fixed by (subjects, seed, as_of)."""

    def __init__(self, subjects: int, seed: int, as_of: date):
        self.n = subjects
        self.seed = seed
        self.as_of = as_of
        self.today = as_of.toordinal()  # "today" in the city: the day its colours are meant for
        self.offset = colour_offset(seed)
        self.departments = load_departments()
        self.dept = {d.code: d for d in self.departments}
        self.districts = Districts(load_districts())
        self.catalog = load_catalog()
        rng = random.Random(f"citygen-setup-{seed}")
        self.district_cdf = cumulative_shares(self.districts.weights)
        self.enterprise_industry_cdf = cumulative_shares(i.enterprise_weight for i in INDUSTRIES)
        self.individual_industry_cdf = cumulative_shares(i.individual_weight for i in INDUSTRIES)
        self.type_names = tuple(name for name, _ in SUBJECT_TYPES)
        self.type_cdf = cumulative_shares(w for _, w in SUBJECT_TYPES)
        self.penalty_dept_cdf = cumulative_shares(w for _, w in GENERAL_PENALTY_DEPTS)
        # The first subjects show every industry and subject type, so a small city has every feed.
        self.showcase = [("enterprise", k) for k in range(len(INDUSTRIES))] + [
            ("farmer_cooperative", None),
            ("social_organization", None),
            ("public_institution", None),
            ("government_agency", None),
            ("individual_business", None),
            ("social_organization", None),
        ]
        # Affine permutations give every subject index its own code body, without remembering any.
        self.code_permutations = CodePermutations.draw(rng)
        self.keyword_index = [(kw, idx) for idx, e in enumerate(self.catalog) for kw in e.keywords]
        self.specs = stream_specs(rng, self.departments, as_of)
