"""The published verifier: `python3 warning_system/inspections/verify_draw.py <folder|zip>` re-computes a draw.

Pure Python: no database, no Django; the command line runs under the system's python3."""

import ast
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from warning_system.inspections import verify_draw as vd

VERIFIER = Path(vd.__file__).resolve()
SOURCES = ["witnesses at the public session: 4821", "lottery 2025-03-04: 07 13 21 24 30 33"]
SYSTEM_PYTHON = shutil.which("python3", path="/usr/local/bin:/usr/bin:/bin") or sys.executable


def uscc(i: int) -> str:
    return f"91360100MA{i:07d}X"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A joint task's published files: 300 subjects, 10 inspectors of two departments, a previous task."""
    rows = [(uscc(i), ("green", "green", "green", "yellow", "orange", "red")[i % 6]) for i in range(300)]
    conflicts = [vd.Conflict(f"I{n:03d}", uscc(n * 6 - 1), f"{n:032x}") for n in range(1, 11)]
    staff = [
        vd.Inspector(
            f"I{n:03d}",
            f"检查员{n}",
            "SCJG" if n <= 6 else "YJJ",
            ("general",) if n != 10 else ("fire",),
            frozenset({conflicts[n - 1].token}),
        )
        for n in range(1, 11)
    ]
    params = {
        "task": "SJ-2025-0001",
        "algorithm": vd.ALGORITHM,
        "ratios": {"green": 0.02, "yellow": 0.05, "orange": 0.2, "red": 1.0},
        "inspectors_per_subject": 2,
        "qualifications": ["general"],
        "departments": ["SCJG", "YJJ"],
    }
    subjects, inspectors = vd.subjects_csv(rows), vd.inspectors_csv(staff)
    previous = vd.previous_csv([("I001", uscc(5)), ("I007", uscc(11))])
    task = vd.manifest(params, subjects, inspectors, previous, SOURCES)
    drawn = vd.draw(task["parameters"], subjects, inspectors, previous, conflicts)
    files = {
        "task.json": vd.manifest_json(task),
        "subjects.csv": subjects,
        "inspectors.csv": inspectors,
        "previous.csv": previous,
        "result.csv": vd.result_csv(drawn),
        "conflicts.csv": vd.conflicts_csv(drawn.revealed),
    }
    target = tmp_path / "SJ-2025-0001"
    target.mkdir()
    for name, data in files.items():
        (target / name).write_bytes(data)
    return target


def edit_task(folder: Path, change) -> None:
    task = json.loads((folder / "task.json").read_text(encoding="utf-8"))
    change(task)
    (folder / "task.json").write_text(json.dumps(task, ensure_ascii=False), encoding="utf-8")


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def zip_of(folder: Path, *, prefix: str) -> Path:
    archive = folder.parent / "published.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(folder.iterdir()):
            bundle.write(path, prefix + path.name)
    return archive


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    # -I: isolated mode, neither the project nor its venv on the path, so a project import would fail.
    return subprocess.run([SYSTEM_PYTHON, "-I", str(VERIFIER), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


# --- agreeing --------------------------------------------------------------------------------------


def test_the_verifier_matches_an_untouched_folder(folder):
    report = vd.verify(folder)
    assert report.match, report.problems


def test_the_verifier_matches_a_zip_with_the_files_in_a_folder(folder):
    assert vd.verify(zip_of(folder, prefix="SJ-2025-0001/")).match


def test_the_verifier_matches_a_zip_with_the_files_at_its_root(folder):
    assert vd.verify(zip_of(folder, prefix="")).match


def test_the_verifier_accepts_task_json_in_any_json_layout(folder):
    edit_task(folder, lambda task: None)  # rewritten compactly, keys in another order
    assert vd.verify(folder).match


def test_the_report_shows_the_strata_hashes_and_counts(folder):
    summary = vd.verify(folder).summary()
    assert (
        "stratum red" in summary
        and "subjects.csv SHA-256" in summary
        and summary.endswith(
            "MATCH: the published result is exactly the draw recomputed from the published files."
        )
    )


# --- disagreeing -----------------------------------------------------------------------------------


def test_a_changed_subject_row_is_a_mismatch_of_the_subjects_hash(folder):
    replace_in(folder / "subjects.csv", f"{uscc(0)},green", f"{uscc(0)},red")
    report = vd.verify(folder)
    assert not report.match
    assert report.problems[0].startswith("subjects.csv has SHA-256")


def test_a_changed_subject_row_with_a_forged_hash_still_mismatches_on_the_result(folder):
    replace_in(folder / "subjects.csv", f"{uscc(0)},green", f"{uscc(0)},red")
    forged = vd.sha256_hex((folder / "subjects.csv").read_bytes())
    edit_task(folder, lambda task: task["files"]["subjects.csv"].update(sha256=forged))
    report = vd.verify(folder)
    assert not report.match
    assert "stratum red: result.csv has 50 picks, the recomputed draw 51" in report.problems


def test_a_changed_inspector_is_a_mismatch_of_the_inspectors_hash(folder):
    replace_in(folder / "inspectors.csv", "检查员3", "检查员33")
    report = vd.verify(folder)
    assert not report.match
    assert report.problems[0].startswith("inspectors.csv has SHA-256")


def test_a_changed_seed_is_a_mismatch_that_names_the_seed(folder):
    other = vd.seed_from_sources(["another", "seed"])
    edit_task(folder, lambda task: (task.update(seed=other), task["parameters"].update(seed=other)))
    report = vd.verify(folder)
    assert not report.match
    assert f"the seed {other} is not the seed of the published sources" in report.problems[0]
    assert any(problem.startswith("result.csv line") for problem in report.problems)


def test_a_changed_seed_source_is_a_mismatch_of_the_seed(folder):
    edit_task(
        folder, lambda task: task["seed_sources"].__setitem__(0, "witnesses at the public session: 4822")
    )
    report = vd.verify(folder)
    assert not report.match
    assert "is not the seed of the published sources" in report.problems[0]


def test_a_changed_parameter_is_a_mismatch_of_the_result(folder):
    edit_task(folder, lambda task: task["parameters"]["ratios"].update(green=0.05))
    report = vd.verify(folder)
    assert not report.match
    assert report.problems[0] == "stratum green: result.csv has 3 picks, the recomputed draw 8"


def test_a_changed_result_row_is_a_mismatch_that_quotes_the_line(folder):
    lines = (folder / "result.csv").read_text(encoding="utf-8").splitlines()
    colour, order, position, subject, inspectors, short = lines[1].split(",")
    lines[1] = ",".join((colour, order, position, subject, inspectors.replace(";", ";X"), short))
    (folder / "result.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = vd.verify(folder)
    assert not report.match
    assert report.problems == [
        f"result.csv line 2: published {lines[1]!r}, recomputed {lines[1].replace(';X', ';')!r}"
    ]


def test_a_missing_file_is_a_mismatch_that_names_it(folder):
    (folder / "result.csv").unlink()
    assert vd.verify(folder).problems == ["missing file(s): result.csv"]


def test_an_unknown_algorithm_is_a_mismatch(folder):
    edit_task(folder, lambda task: (task.update(algorithm="v0"), task["parameters"].update(algorithm="v0")))
    report = vd.verify(folder)
    assert not report.match
    assert "unknown algorithm 'v0'" in report.problems[-1]


# --- the command line, under the system's python3 --------------------------------------------------


def test_the_verifier_imports_only_the_standard_library():
    tree = ast.parse(VERIFIER.read_text(encoding="utf-8"))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert modules <= set(sys.stdlib_module_names) | {"__future__"}


def test_the_command_exits_0_and_prints_match_for_an_untouched_folder(folder, tmp_path):
    completed = run_cli(str(folder), cwd=tmp_path)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert completed.stdout.splitlines()[-1].startswith("MATCH")


def test_the_command_exits_1_and_prints_mismatch_for_a_changed_zip(folder, tmp_path):
    replace_in(folder / "inspectors.csv", "检查员3", "检查员33")
    completed = run_cli(str(zip_of(folder, prefix="")), cwd=tmp_path)
    assert completed.returncode == 1
    assert "MISMATCH: inspectors.csv has SHA-256" in completed.stdout


def test_the_command_prints_the_bare_sampler(tmp_path):
    completed = run_cli("--sample", "0", "1000", "3", cwd=tmp_path)
    assert (completed.returncode, completed.stdout) == (0, "905\n573\n160\n")


def test_the_command_exits_2_without_a_folder(tmp_path):
    assert run_cli(cwd=tmp_path).returncode == 2


# --- conflicts (rivest-sha256-v2): salted tokens, only the conflicts the draw met revealed -----------


def test_the_published_inspectors_directory_holds_no_unsalted_token(folder):
    """Hashing every (inspector, subject) pair, as anyone could with version 1, finds nothing."""
    text = (folder / "inspectors.csv").read_text(encoding="utf-8")
    usccs = [line.split(",")[0] for line in (folder / "subjects.csv").read_text().splitlines()[1:]]
    guesses = {vd.conflict_token_v1(f"I{n:03d}", subject) for n in range(1, 11) for subject in usccs}
    assert not any(guess in text for guess in guesses)


def test_conflicts_csv_reveals_only_the_conflicts_the_draw_met(folder):
    revealed = vd.parse_conflicts((folder / "conflicts.csv").read_bytes())
    report = vd.verify(folder)
    assert revealed and len(revealed) == report.rejections["conflict"] < 10


def test_a_conflict_revealed_with_a_wrong_salt_is_a_mismatch(folder):
    text = (folder / "conflicts.csv").read_text(encoding="utf-8")
    inspector_id, subject, salt = text.splitlines()[1].split(",")
    replace_in(folder / "conflicts.csv", f"{subject},{salt}", f"{subject},{'0' * 32}")
    report = vd.verify(folder)
    assert not report.match
    assert (
        "its token is not among that inspector's conflicts in the frozen inspectors.csv"
        in report.problems[-1]
    )


def test_a_hidden_conflict_that_the_draw_met_is_a_mismatch(folder):
    lines = (folder / "conflicts.csv").read_text(encoding="utf-8").splitlines()
    (folder / "conflicts.csv").write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
    report = vd.verify(folder)
    assert not report.match
    assert any(problem.startswith("result.csv line") for problem in report.problems)


def test_a_revealed_conflict_the_draw_never_met_is_a_mismatch(folder):
    """I010 lacks the task's qualification: never a candidate, so its conflict must stay opaque."""
    subject = uscc(10 * 6 - 1)
    lines = (folder / "conflicts.csv").read_text(encoding="utf-8").splitlines()
    lines = sorted([*lines[1:], f"I010,{subject},{10:032x}"])
    (folder / "conflicts.csv").write_text(
        "\n".join(["inspector_id,uscc,salt", *lines]) + "\n", encoding="utf-8"
    )
    report = vd.verify(folder)
    assert not report.match
    assert report.problems == [
        f"conflicts.csv reveals 1 conflict(s) the draw never met, first I010 with {subject}"
    ]


def test_a_missing_conflicts_file_is_a_mismatch_that_names_it(folder):
    (folder / "conflicts.csv").unlink()
    assert vd.verify(folder).problems == ["missing file(s): conflicts.csv"]


def test_a_version_1_bundle_with_unsalted_tokens_still_verifies(tmp_path):
    rows = [(uscc(i), ("green", "red")[i % 2]) for i in range(40)]
    staff = [
        vd.Inspector(f"I{n:03d}", f"检查员{n}", "SCJG", ("general",),
                     frozenset({vd.conflict_token_v1(f"I{n:03d}", uscc(2 * n + 1))}))
        for n in range(1, 5)
    ]  # fmt: skip
    params = {"task": "SJ-2024-0009", "algorithm": vd.ALGORITHM_V1, "ratios": {"green": 0.1, "red": 1},
              "inspectors_per_subject": 2, "departments": ["SCJG"]}  # fmt: skip
    subjects, inspectors, previous = vd.subjects_csv(rows), vd.inspectors_csv(staff), vd.previous_csv([])
    task = vd.manifest(params, subjects, inspectors, previous, SOURCES)
    drawn = vd.draw(task["parameters"], subjects, inspectors, previous)
    files = {"task.json": vd.manifest_json(task), "subjects.csv": subjects, "inspectors.csv": inspectors,
             "previous.csv": previous, "result.csv": vd.result_csv(drawn)}  # fmt: skip
    report = vd.verify_files(files)
    assert report.match, report.problems
    assert report.algorithm == vd.ALGORITHM_V1 and report.rejections.get("conflict")


# --- the hashes published at freezing ------------------------------------------------------------------


def frozen_hashes(folder: Path) -> dict[str, str]:
    return {name: vd.sha256_hex((folder / name).read_bytes()) for name in vd.FILES}


def test_the_hashes_published_at_freezing_are_checked_and_reported(folder):
    report = vd.verify(folder, frozen_hashes(folder))
    assert report.match, report.problems
    assert (
        "subjects.csv as published at freezing",
        True,
        frozen_hashes(folder)["subjects.csv"],
    ) in report.checks


def test_a_consistent_bundle_with_a_replaced_directory_mismatches_the_hash_of_freezing(folder):
    """Replace the directory AND forge task.json and the result: only the hash of freezing can tell."""
    published_at_freezing = frozen_hashes(folder)
    replace_in(folder / "subjects.csv", f"{uscc(0)},green", f"{uscc(0)},red")
    task = json.loads((folder / "task.json").read_text(encoding="utf-8"))
    subjects = (folder / "subjects.csv").read_bytes()
    task["files"]["subjects.csv"]["sha256"] = vd.sha256_hex(subjects)
    (folder / "task.json").write_text(json.dumps(task), encoding="utf-8")
    conflicts = vd.parse_conflicts((folder / "conflicts.csv").read_bytes())
    files = {name: (folder / name).read_bytes() for name in vd.FILES}
    redrawn = vd.draw(task["parameters"], *(files[name] for name in vd.FILES), conflicts)
    (folder / "result.csv").write_bytes(vd.result_csv(redrawn))
    (folder / "conflicts.csv").write_bytes(vd.conflicts_csv(redrawn.revealed))
    assert vd.verify(folder).match  # the files agree with each other…
    report = vd.verify(folder, published_at_freezing)  # …but not with what was published at freezing
    assert not report.match
    assert report.problems == [
        f"subjects.csv has SHA-256 {vd.sha256_hex(subjects)}, but the hash published at freezing is "
        f"{published_at_freezing['subjects.csv']}: this is not the directory frozen before the seed existed"
    ]


def test_the_command_checks_the_hashes_of_freezing(folder, tmp_path):
    hashes = frozen_hashes(folder)
    options = ["--expect-subjects-sha256", hashes["subjects.csv"], "--expect-inspectors-sha256", "f" * 64]
    completed = run_cli(str(folder), *options, cwd=tmp_path)
    assert completed.returncode == 1
    assert "MISMATCH: inspectors.csv has SHA-256" in completed.stdout
    assert "but the hash published at freezing is " + "f" * 64 in completed.stdout


def test_the_command_exits_2_for_a_hash_that_is_not_sha256(folder, tmp_path):
    completed = run_cli(str(folder), "--expect-subjects-sha256", "abc", cwd=tmp_path)
    assert completed.returncode == 2
    assert "is not a SHA-256" in completed.stderr
