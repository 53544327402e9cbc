"""Personal numbers written into free text and name fields, in random spellings, survive on no public
surface: the subject page, search, lists and their CSV, the API, the batch check (HTML, CSV, XLSX),
the credit report (HTML and PDF), watchlist events and the public 双随机 pages; and a search for such a
number finds nothing.

Property-based: hypothesis writes the numbers (see tests/registry/test_redaction.py) into the
records of a small city, which goes through the real collectors; every surface is then read."""

import io
import itertools
import re
import unicodedata
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from collectors.services import collect_inbox
from disclosure.models import Institution
from disclosure.services.api_keys import api_key_issue
from disclosure.services.monitoring import watchlist_create, watchlist_subjects_add
from tests.collectors.conftest import write_jsonl
from tests.factories import make_uscc, penalty, registration
from tests.inspections.world import InspectorFactory, leader
from tests.inspections.world import published as published_task
from tests.registry.test_redaction import texts_with_a_number
from warning_system.registry.services import reference_data_load

pytestmark = pytest.mark.django_db

_RUN = re.compile(r"[0-9](?:[ \-./()·]{0,3}[0-9])*(?:[ \-./()·]{0,3}[Xx])?")
_batches = itertools.count(1)


def digit_runs(text: str) -> set[str]:
    """Every run of digits in the text, its separators taken out, as the redaction reads them."""
    folded = unicodedata.normalize("NFKC", text)
    return {re.sub(r"[^0-9Xx]", "", m.group()) for m in _RUN.finditer(folded)}


def survivors(numbers: list[str], text: str) -> list[str]:
    runs = digit_runs(text)
    return [n for n in numbers if any(n in run for run in runs)]


def body(response) -> str:
    content = (
        b"".join(response.streaming_content) if hasattr(response, "streaming_content") else response.content
    )
    return content.decode("utf-8-sig", errors="replace")


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def plant(tmp_path, cases: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """A subject whose registration's legal representative and whose penalties' free text carry the
    numbers; returns its USCC and the numbers."""
    batch = next(_batches)
    uscc = make_uscc()
    numbers = [number for number, _ in cases]
    inbox = tmp_path / f"inbox-{batch}"
    write_jsonl(inbox / "SCJG" / "registration_20261101080000.jsonl",
                [registration(uscc, name=f"南昌探针{batch}贸易有限公司", legal_representative=f"李探四 {cases[0][1]}",
                              business_scope=f"日用百货；联系 {cases[1][1]}")])  # fmt: skip
    write_jsonl(
        inbox / "SCJG" / "penalty_20261102090000.jsonl",
        [penalty(uscc, f"PR-{batch}-{i}", decided_on=(timezone.localdate() - timedelta(days=30)).isoformat(),
                 violation_facts=f"经查，{text}", remark=text, legal_representative=f"李探四{text}")
         for i, (_, text) in enumerate(cases)],
    )  # fmt: skip
    report = collect_inbox(inbox)
    assert report["totals"]["quarantined"] == 0, report
    return uscc, numbers


def public_surfaces(client, uscc: str, api: dict) -> dict[str, str]:
    out = {
        "subject": body(client.get(f"/subjects/{uscc}")),
        "search by name": body(client.get("/search", {"q": "探针"})),
        "list": body(client.get("/lists/yellow")),
        "list csv": body(client.get("/lists/yellow.csv")),
        "batch": body(client.post("/check", {"codes": uscc})),
        "batch csv": body(client.post("/check/download", {"codes": uscc, "format": "csv"})),
        "batch xlsx": xlsx_text(client.post("/check/download", {"codes": uscc, "format": "xlsx"}).content),
        "api subject": body(client.get(f"/api/v1/subjects/{uscc}", **api)),
        "api search": body(client.get("/api/v1/search", {"q": "探针"}, **api)),
        "api events": body(client.get("/api/v1/events", **api)),
    }
    issued = client.post(f"/subjects/{uscc}/report")
    number = issued["Location"].rstrip("/").rsplit("/", 1)[-1]
    out["report"] = body(client.get(issued["Location"]))
    out["report pdf"] = pdf_text(client.get(f"/reports/{number}.pdf").content)
    return out


@pytest.fixture
def institution_api(db):
    reference_data_load()
    _, key = api_key_issue("南昌农商银行")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases=st.lists(texts_with_a_number(), min_size=6, max_size=6))
def test_no_personal_number_survives_on_any_public_surface(client, tmp_path, institution_api, cases):
    uscc, numbers = plant(tmp_path, cases)
    watchlist = watchlist_create(Institution.objects.get(name="南昌农商银行"), f"监测{uscc}")
    watchlist_subjects_add(watchlist, [uscc])
    surfaces = public_surfaces(client, uscc, institution_api)
    assert "探针" in surfaces["subject"] and "李探四" in surfaces["subject"]  # the page did show the records
    leaks = {name: survivors(numbers, text) for name, text in surfaces.items() if survivors(numbers, text)}
    assert leaks == {}


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck))
@given(cases=st.lists(texts_with_a_number(), min_size=2, max_size=2))
def test_a_search_for_a_personal_number_finds_nothing(client, tmp_path, institution_api, cases):
    uscc, numbers = plant(tmp_path, cases)
    for number in numbers:
        assert uscc not in body(client.get("/search", {"q": number}))
        assert uscc not in body(client.get("/api/v1/search", {"q": number}, **institution_api))


def test_the_public_inspection_pages_carry_no_number_a_result_note_held(client, tmp_path, institution_api):
    InspectorFactory.create_batch(3)
    uscc, numbers = plant(
        tmp_path, [("13800001111", "电话 138 0000 1111"), ("360102198502275482", "3601021985 02275482")]
    )
    task = published_task(leader().user)
    pages = body(client.get("/inspections/")) + body(client.get(f"/inspections/{task.number}/"))
    pages += "".join(
        body(client.get(f"/inspections/{task.number}/files/{n}")) for n in ("subjects.csv", "result.csv")
    )
    assert survivors(numbers, pages) == []
