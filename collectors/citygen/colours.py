"""Which colour each subject is meant to have: the Jiangxi 2020 mix, spread evenly over the city.

Why: the colour rules are demonstrated and load-tested on a city whose colour shares are
the province's published ones, in every prefix of the city too (a 300-subject demo still has
reds). A golden-ratio sequence gives that without remembering anything per subject, and the
counts of a city can be told without generating it.
"""

from __future__ import annotations

import math
import random

# Jiangxi 2020 colour mix; green is the rest (84.35 %).
COLOUR_MIX = {"red": 0.024, "orange": 0.016, "yellow": 0.1165}
COLOURS = ("green", "yellow", "orange", "red")
_GOLDEN = (math.sqrt(5) - 1) / 2
_RED_TO = COLOUR_MIX["red"]
_ORANGE_TO = _RED_TO + COLOUR_MIX["orange"]
_YELLOW_TO = _ORANGE_TO + COLOUR_MIX["yellow"]
GREEN_SHARE = 1 - _YELLOW_TO


def colour_offset(seed: int) -> float:
    """Where the seed's colour sequence starts (string seeds hash the same in every process)."""
    return random.Random(f"citygen-colour-{seed}").random()


def colour_for(index: int, offset: float) -> str:
    """Target colour of subject `index`: a golden-ratio sequence keeps every prefix near the mix."""
    u = (offset + index * _GOLDEN) % 1.0
    if u < _RED_TO:
        return "red"
    if u < _ORANGE_TO:
        return "orange"
    if u < _YELLOW_TO:
        return "yellow"
    return "green"


def target_colour_counts(subjects: int, seed: int) -> dict[str, int]:
    """The target colour counts of a city, without generating it (tests compare with the files)."""
    offset = colour_offset(seed)
    counts = dict.fromkeys(COLOURS, 0)
    for i in range(subjects):
        counts[colour_for(i, offset)] += 1
    return counts
