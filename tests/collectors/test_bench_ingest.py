"""bench/ingest/run.py: its own scratch database and folder, and a city generated once when asked."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_ingest_run", ROOT / "bench" / "ingest" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_database_and_the_folder_can_be_chosen(bench):
    defaults = bench.parse_args([])
    assert defaults.database == "bench_ingest"
    assert defaults.out == str(ROOT / "bench" / "out")
    assert not defaults.reuse_city
    chosen = bench.parse_args(["--database", "ws_ingest", "--out", "/tmp/elsewhere", "--reuse-city"])
    assert (chosen.database, chosen.out, chosen.reuse_city) == ("ws_ingest", "/tmp/elsewhere", True)


def test_a_kept_city_is_copied_into_a_fresh_inbox_instead_of_generated_again(bench, tmp_path, monkeypatch):
    generated = []

    def generate(env, *args, capture=False):
        generated.append(args)
        folder = Path(args[args.index("--out") + 1]) / "SCJG"
        folder.mkdir(parents=True)
        (folder / "penalty_20261101000000.csv").write_text("record_id\n", encoding="utf-8")

    monkeypatch.setattr(bench, "manage", generate)
    bench.prepare_inbox({}, tmp_path, 10, 1, reuse=True)
    (tmp_path / "inbox" / "SCJG" / "penalty_20261101000000.csv").unlink()  # as collect_inbox moves it
    bench.prepare_inbox({}, tmp_path, 10, 1, reuse=True)

    assert len(generated) == 1
    assert (tmp_path / "inbox" / "SCJG" / "penalty_20261101000000.csv").exists()
    assert (tmp_path / "city-10-1" / "SCJG" / "penalty_20261101000000.csv").exists()
    bench.prepare_inbox({}, tmp_path, 10, 1, reuse=False)
    assert len(generated) == 2
