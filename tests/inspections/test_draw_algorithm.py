"""The published draw algorithm (warning_system/inspections/verify_draw.py, docs/rules.md §6): sampler, strata, inspectors.

Pure Python: no database, no Django."""

import hashlib
import json
import math
from decimal import Decimal

import pytest

from warning_system.inspections import verify_draw as vd

SOURCES = ["witnesses at the public session: 4821", "lottery 2025-03-04: 07 13 21 24 30 33"]
SEED = vd.seed_from_sources(SOURCES)


def uscc(i: int) -> str:
    return f"91360100MA{i:07d}X"


def parameters(**changes) -> dict:
    return {
        "task": "SJ-2025-0001",
        "seed": SEED,
        "algorithm": vd.ALGORITHM,
        "ratios": dict(vd.DEFAULT_RATIOS),
        "inspectors_per_subject": 2,
        "qualifications": [],
        "departments": ["SCJG"],
        **changes,
    }


def inspector(
    number: int, department: str = "SCJG", qualifications=("general",), conflicts=()
) -> vd.Inspector:
    inspector_id = f"I{number:03d}"
    declared = [vd.Conflict(inspector_id, subject, salt_of(inspector_id, subject)) for subject in conflicts]
    DECLARED.update((conflict.token, conflict) for conflict in declared)
    tokens = frozenset(conflict.token for conflict in declared)
    return vd.Inspector(inspector_id, f"检查员{number}", department, tuple(qualifications), tokens)


# Token → the conflict (with its salt) behind it: what the city knows and passes to the draw.
DECLARED: dict[str, vd.Conflict] = {}


def salt_of(inspector_id: str, subject: str) -> str:
    return hashlib.sha256(f"salt {inspector_id} {subject}".encode()).hexdigest()[:32]


def directory(counts: dict[str, int]) -> bytes:
    """Subjects numbered in blocks per colour, e.g. {"green": 120, "red": 5}."""
    rows, start = [], 0
    for colour, count in counts.items():
        rows += [(uscc(start + i), colour) for i in range(count)]
        start += count
    return vd.subjects_csv(rows)


def run(params=None, subjects=None, inspectors=None, previous=()) -> vd.Draw:
    inspectors = inspectors if inspectors is not None else [inspector(n) for n in range(1, 9)]
    return vd.draw(
        params or parameters(),
        subjects if subjects is not None else directory({"green": 120, "yellow": 40, "orange": 7, "red": 5}),
        vd.inspectors_csv(inspectors),
        vd.previous_csv(previous),
        [DECLARED[token] for person in inspectors for token in person.conflicts],
    )


def literal_rivest(seed: str, n: int, k: int) -> list[int]:
    """The published formula, word for word (hexdigest, int(…, 16)), as an independent reference."""
    drawn, i = [], 0
    while len(drawn) < k:
        i += 1
        position = 1 + int(hashlib.sha256(f"{seed},{i}".encode()).hexdigest(), 16) % n
        if position not in drawn:
            drawn.append(position)
    return drawn


# --- the sampler -----------------------------------------------------------------------------------


def test_rivest_sample_gives_the_published_vector_for_seed_0_and_1000():
    assert vd.rivest_sample("0", 1000, 3) == [905, 573, 160]


@pytest.mark.parametrize(("seed", "n", "k"), [("0", 1000, 20), ("abc", 7, 7), (SEED + ":green", 843_500, 50)])
def test_rivest_sample_is_the_literal_formula_with_repeats_skipped(seed, n, k):
    assert vd.rivest_sample(seed, n, k) == literal_rivest(seed, n, k)


def test_rivest_sample_is_deterministic():
    assert vd.rivest_sample("task 7", 5000, 100) == vd.rivest_sample("task 7", 5000, 100)


def test_rivest_sample_returns_k_distinct_positions_between_1_and_n():
    positions = vd.rivest_sample("distinct", 30, 30)
    assert sorted(positions) == list(range(1, 31))


def test_rivest_sample_refuses_more_positions_than_n():
    with pytest.raises(ValueError, match="cannot draw 4 distinct positions out of 3"):
        vd.rivest_sample("0", 3, 4)


def test_rivest_sample_first_positions_are_uniform_by_chi_square():
    # 6,000 fixed seeds, the first 3 positions each, out of n = 50: 18,000 draws, 360 expected per cell.
    # The seeds are fixed, so the statistic is one number (38.4) and the test cannot flake.
    # Threshold 85.35 = chi-square quantile 0.999 with 49 degrees of freedom: a uniform sampler passes
    # it with 99.9 % probability, while a real bias fails it by far (an off-by-one that never yields
    # n gives 414 on these seeds).
    n, counts = 50, [0] * 50
    for s in range(6000):
        for position in vd.rivest_sample(f"chi-square-{s}", n, 3):
            counts[position - 1] += 1
    expected = sum(counts) / n
    statistic = sum((count - expected) ** 2 / expected for count in counts)
    assert statistic < 85.35


# --- the seed and the canonical files --------------------------------------------------------------


def test_seed_is_the_sha256_of_the_stripped_sources_joined_by_newline():
    expected = hashlib.sha256(b"4821\n07 13 21").hexdigest()
    assert vd.seed_from_sources([" 4821 ", "07 13 21\t"]) == expected


def test_seed_depends_on_the_order_of_the_sources():
    assert vd.seed_from_sources(["a", "b"]) != vd.seed_from_sources(["b", "a"])


def test_seed_needs_at_least_two_sources_so_the_system_never_picks_it_alone():
    with pytest.raises(ValueError, match="at least two announced sources"):
        vd.seed_from_sources(["only the system's number"])


def test_subjects_csv_is_sorted_by_uscc_under_its_header():
    assert vd.subjects_csv([(uscc(2), "red"), (uscc(1), "green")]) == (
        f"uscc,colour\n{uscc(1)},green\n{uscc(2)},red\n".encode()
    )


def test_subjects_csv_refuses_a_subject_listed_twice():
    with pytest.raises(ValueError, match="listed twice"):
        vd.subjects_csv([(uscc(1), "green"), (uscc(1), "red")])


def test_inspectors_csv_sorts_inspectors_qualifications_and_conflicts():
    data = vd.inspectors_csv([inspector(2, qualifications=("food", "drugs")), inspector(1)])
    assert data.decode().splitlines() == [
        "id,name,department,qualifications,conflicts",
        "I001,检查员1,SCJG,general,",
        "I002,检查员2,SCJG,drugs;food,",
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("B,green\nA,green\n", "not in canonical order"),
        ("A,green\nA,red\n", "not in canonical order or repeated"),
        ("A,green\nB,purple\n", "line 3"),
        ("a1,green\n", "line 2"),
        ("A\ngreen,B,red\n", "line 2"),  # right fields, wrong separators
        (",green\n", "line 2"),
        ("A,green", "must end with a newline"),
    ],
)
def test_a_subjects_file_out_of_canonical_form_is_refused(body, message):
    with pytest.raises(ValueError, match=message):
        vd.parse_subjects(f"uscc,colour\n{body}".encode())


def test_an_inspectors_file_without_its_final_newline_is_refused():
    data = vd.inspectors_csv([inspector(1)])[:-1]
    with pytest.raises(ValueError, match="every line must end with"):
        vd.parse_inspectors(data)


# --- strata ----------------------------------------------------------------------------------------


def test_stratum_sizes_are_n_times_ratio_rounded_up():
    result = run(subjects=directory({"green": 101, "yellow": 41, "orange": 7, "red": 3}))
    assert {colour: stratum["k"] for colour, stratum in result.strata.items()} == {
        "green": 3,  # 2.02
        "yellow": 3,  # 2.05
        "orange": 2,  # 1.4
        "red": 3,
    }


def test_stratum_size_is_exact_where_floating_point_is_not():
    assert math.ceil(100 * 0.07) == 8  # the trap
    assert vd.stratum_size(100, 0.07) == 7
    assert vd.stratum_size(100, "0.07") == 7


def test_a_stratum_is_drawn_at_the_sampler_positions_of_its_colour_in_uscc_order():
    result = run()
    greens = [uscc(i) for i in range(120)]
    picks = [pick for pick in result.picks if pick.colour == "green"]
    assert [pick.position for pick in picks] == vd.rivest_sample(f"{SEED}:green", 120, 3)
    assert [pick.uscc for pick in picks] == [greens[pick.position - 1] for pick in picks]


def test_a_stratum_at_ratio_one_is_drawn_whole_in_uscc_order():
    result = run()
    reds = [(pick.position, pick.uscc) for pick in result.picks if pick.colour == "red"]
    assert reds == [(i + 1, uscc(167 + i)) for i in range(5)]


def test_an_empty_stratum_draws_nothing():
    result = run(subjects=directory({"green": 50}))
    assert result.strata["red"] == {"N": 0, "k": 0, "ratio": 1.0}


def test_the_draw_is_deterministic():
    assert vd.result_csv(run()) == vd.result_csv(run())


def test_a_different_seed_draws_differently():
    other = vd.seed_from_sources(["witnesses at the public session: 4822", SOURCES[1]])
    assert vd.result_csv(run(parameters(seed=other))) != vd.result_csv(run())


# --- parameters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"inspectors_per_subject": 1}, "at least 2 inspectors per subject"),
        ({"ratios": {"purple": 0.1}}, "unknown colour 'purple'"),
        ({"ratios": {"green": 1.5}}, "between 0 and 1"),
        ({"ratios": {"green": -0.01}}, "between 0 and 1"),
        ({"algorithm": "mt19937"}, "unknown algorithm 'mt19937'"),
        ({"seed": "42"}, "64-hex-character"),
        ({"departments": []}, "at least one department"),
        ({"colour": "red"}, "unknown parameter"),
    ],
)
def test_bad_parameters_are_refused_with_a_clear_message(changes, message):
    with pytest.raises(ValueError, match=message):
        run(parameters(**changes))


def test_missing_ratios_take_the_city_defaults():
    result = run(parameters(ratios={"green": 0.5}))
    assert result.parameters["ratios"] == {"green": 0.5, "yellow": 0.05, "orange": 0.2, "red": 1.0}


# --- inspectors ------------------------------------------------------------------------------------


def test_every_subject_gets_two_distinct_inspectors():
    result = run()
    assert all(len(set(pick.inspectors)) == 2 and not pick.short for pick in result.picks)


def test_inspectors_follow_the_sampler_over_the_pool_in_id_order():
    result = run()
    pick = result.picks[0]
    pool = [f"I{n:03d}" for n in range(1, 9)]
    expected = [pool[p - 1] for p in vd.rivest_sample(f"{SEED}:inspectors:{pick.uscc}", 8, 2)]
    assert list(pick.inspectors) == expected


def test_an_inspector_never_inspects_a_subject_of_a_declared_conflict():
    reds = [uscc(167 + i) for i in range(5)]
    result = run(inspectors=[inspector(1, conflicts=reds), inspector(2), inspector(3)])
    assert all("I001" not in pick.inspectors for pick in result.picks if pick.colour == "red")
    assert any("I001" in pick.inspectors for pick in result.picks if pick.colour != "red")


def test_a_conflict_refusal_is_logged_with_its_reason():
    reds = [uscc(167 + i) for i in range(5)]
    result = run(inspectors=[inspector(1, conflicts=reds), inspector(2), inspector(3)])
    refused = {(r.uscc, r.inspector_id) for r in result.rejections if r.reason == "conflict"}
    assert refused and refused <= {(red, "I001") for red in reds}


def test_an_inspector_never_inspects_the_same_subject_in_two_consecutive_tasks():
    reds = [uscc(167 + i) for i in range(5)]
    result = run(
        inspectors=[inspector(1), inspector(2), inspector(3)], previous=[("I002", red) for red in reds]
    )
    assert all("I002" not in pick.inspectors for pick in result.picks if pick.colour == "red")
    assert {r.reason for r in result.rejections if r.inspector_id == "I002"} == {"consecutive"}


def test_only_inspectors_with_a_required_qualification_are_drawn():
    staff = [
        inspector(1, qualifications=("fire",)),
        *(inspector(n, qualifications=("food",)) for n in (2, 3, 4)),
    ]
    result = run(parameters(qualifications=["food", "drugs"]), inspectors=staff)
    assert all("I001" not in pick.inspectors for pick in result.picks)


def test_an_unqualified_inspector_is_logged_once_without_a_subject():
    staff = [
        inspector(1, qualifications=("fire",)),
        *(inspector(n, qualifications=("food",)) for n in (2, 3, 4)),
    ]
    result = run(parameters(qualifications=["food"]), inspectors=staff)
    assert [(r.uscc, r.inspector_id, r.reason) for r in result.rejections] == [("", "I001", "unqualified")]


def test_inspectors_of_other_departments_are_not_drawn():
    staff = [inspector(1, department="SWJ"), inspector(2), inspector(3)]
    result = run(inspectors=staff)
    assert all(set(pick.inspectors) == {"I002", "I003"} for pick in result.picks)


def test_a_joint_task_gives_every_subject_inspectors_of_two_departments():
    staff = [*(inspector(n, department="SCJG") for n in range(1, 10)), inspector(10, department="YJJ")]
    result = run(parameters(departments=["SCJG", "YJJ"]), inspectors=staff)
    assert all("I010" in pick.inspectors for pick in result.picks)
    assert {r.reason for r in result.rejections} == {"same_department"}


def test_a_joint_task_falls_back_to_one_department_when_the_other_is_conflicted():
    red = uscc(167)
    staff = [
        *(inspector(n, department="SCJG") for n in range(1, 5)),
        inspector(5, department="YJJ", conflicts=[red]),
    ]
    result = run(parameters(departments=["SCJG", "YJJ"]), inspectors=staff)
    pick = next(pick for pick in result.picks if pick.uscc == red)
    assert len(pick.inspectors) == 2 and "I005" not in pick.inspectors and not pick.short


def test_a_subject_without_enough_eligible_inspectors_is_kept_and_marked_short():
    red = uscc(167)
    result = run(inspectors=[inspector(1), inspector(2, conflicts=[red])])
    pick = next(pick for pick in result.picks if pick.uscc == red)
    assert (pick.inspectors, pick.short) == (("I001",), True)
    assert f"red,1,1,{red},I001,1" in vd.result_csv(result).decode().splitlines()


def test_a_pool_smaller_than_the_inspectors_per_subject_is_refused():
    with pytest.raises(ValueError, match="only 2 qualified inspector"):
        run(parameters(inspectors_per_subject=3), inspectors=[inspector(1), inspector(2)])


# --- publication -----------------------------------------------------------------------------------


def test_the_manifest_publishes_parameters_seed_sources_and_the_three_hashes():
    subjects, staff, previous = (
        directory({"green": 10}),
        vd.inspectors_csv([inspector(1)]),
        vd.previous_csv([]),
    )
    content = vd.manifest(parameters(), subjects, staff, previous, SOURCES)
    assert (content["seed"], content["seed_sources"], content["algorithm"]) == (SEED, SOURCES, vd.ALGORITHM)
    assert content["files"]["subjects.csv"] == {
        "sha256": vd.sha256_hex(subjects),
        "bytes": len(subjects),
        "rows": 10,
    }
    assert content["files"]["inspectors.csv"]["sha256"] == vd.sha256_hex(staff)


def test_the_frozen_manifest_has_no_seed_yet():
    params = {key: value for key, value in parameters().items() if key != "seed"}
    content = vd.manifest(params, directory({"green": 1}), vd.inspectors_csv([]), vd.previous_csv([]), [])
    assert content["seed"] is None and content["parameters"]["seed"] is None


def test_the_manifest_refuses_a_seed_that_is_not_the_seed_of_its_sources():
    with pytest.raises(ValueError, match="is not the seed of the sources"):
        vd.manifest(
            parameters(), directory({"green": 1}), vd.inspectors_csv([]), vd.previous_csv([]), ["1", "2"]
        )


def test_a_decimal_ratio_is_published_as_its_exact_text():
    subjects = directory({"green": 100})
    staff, previous = vd.inspectors_csv([inspector(1), inspector(2)]), vd.previous_csv([])
    content = vd.manifest(parameters(ratios={"green": Decimal("0.07")}), subjects, staff, previous, SOURCES)
    assert json.loads(vd.manifest_json(content))["parameters"]["ratios"]["green"] == "0.07"
    assert vd.draw(content["parameters"], subjects, staff, previous).strata["green"]["k"] == 7


def test_the_manifest_refuses_a_directory_out_of_canonical_form():
    unsorted = f"uscc,colour\n{uscc(2)},green\n{uscc(1)},green\n".encode()
    with pytest.raises(ValueError, match="not in canonical order"):
        vd.manifest(parameters(), unsorted, vd.inspectors_csv([]), vd.previous_csv([]), SOURCES)
