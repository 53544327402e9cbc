"""Known answers of the published draw (warning_system/inspections/verify_draw.py, docs/rules.md §6).

Citizens re-run published draws with their own copy of the verifier, years later: the sampler and the
draw must give exactly these picks for these inputs, forever. The vectors were computed with the
published formula written out word for word (`1 + int(sha256(f"{seed},{i}").hexdigest(), 16) % n`,
repeats skipped); a new algorithm gets a new version name, never a change of this one.
"""

import pytest

from warning_system.inspections import verify_draw as vd

SEED = vd.seed_from_sources(["4821", "2026-11-07 体彩排列五 0 3 8 1 6"])

SAMPLER_VECTORS = [
    ("0", 1000, 3, [905, 573, 160]),
    ("0", 1000, 10, [905, 573, 160, 798, 801, 785, 558, 738, 614, 970]),
    ("1", 1, 1, [1]),
    ("abc", 7, 7, [3, 5, 2, 4, 6, 1, 7]),
    ("SSJ202600001", 20, 5, [7, 4, 8, 1, 5]),
    (SEED + ":green", 843_500, 8, [73126, 22655, 779534, 582466, 188212, 414987, 262467, 649068]),
    (SEED + ":yellow", 40, 2, [3, 5]),
    ("0", 2**64 + 13, 3, [17835094421445823730, 1342053057480179958, 8710284198889837246]),
]


def test_the_seed_of_the_announced_sources():
    assert SEED == "03f324f3eca2a6c770eb8111db21d6809e471b6787e948fe63b90b457b9a0858"


@pytest.mark.parametrize(("seed", "n", "k", "picks"), SAMPLER_VECTORS, ids=lambda v: str(v)[:12])
def test_the_sampler_gives_the_known_picks(seed, n, k, picks):
    assert vd.rivest_sample(seed, n, k) == picks


def directory() -> bytes:
    """60 green, 20 yellow, 5 orange and 2 red subjects, numbered in that order."""
    rows, number = [], 0
    for colour, count in (("green", 60), ("yellow", 20), ("orange", 5), ("red", 2)):
        for _ in range(count):
            number += 1
            rows.append((f"91360100MA{number:07d}X", colour))
    return vd.subjects_csv(rows)


INSPECTORS = [vd.Inspector(f"I{i:03d}", f"检查员{i}", "SCJG", ("general",), frozenset()) for i in range(1, 7)]

# Default ratios: green ceil(60 × 2 %) = 2, yellow ceil(20 × 5 %) = 1, orange ceil(5 × 20 %) = 1, red all 2.
KNOWN_RESULT = """colour,order,position,uscc,inspectors,short
green,1,46,91360100MA0000046X,I006;I003,0
green,2,35,91360100MA0000035X,I001;I004,0
yellow,1,3,91360100MA0000063X,I001;I004,0
orange,1,2,91360100MA0000082X,I003;I005,0
red,1,1,91360100MA0000086X,I005;I006,0
red,2,2,91360100MA0000087X,I004;I006,0
"""


def test_a_whole_draw_gives_the_known_result():
    parameters = {
        "task": "SSJ202600001",
        "seed": SEED,
        "algorithm": vd.ALGORITHM,
        "ratios": {"green": 0.02, "yellow": 0.05, "orange": 0.2, "red": 1.0},
        "inspectors_per_subject": 2,
        "qualifications": [],
        "departments": ["SCJG"],
    }
    subjects = directory()
    assert vd.sha256_hex(subjects) == "efce9b742c4ac502c6c8a4fe28ee0e793c5a6af6335ef33244ed64bd4cd08930"

    drawn = vd.draw(parameters, subjects, vd.inspectors_csv(INSPECTORS), vd.previous_csv([]), [])

    assert vd.result_csv(drawn).decode() == KNOWN_RESULT
