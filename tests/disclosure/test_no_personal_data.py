"""No personal data on any public page, export or API response.

The city of `portal_city` carries personal data everywhere a department can put it: the legal
representative's ID number and phone in registrations, licences and penalties, complainants'
names and phones, an ID number and a phone pasted into a penalty's free text. Every public
response is scanned for strings that pass the resident-ID checksum (stdnum.cn.ric), for mobile
phone numbers, and for the planted values. A URL added to the portal without being scanned here
fails `test_every_public_route_is_scanned`.
"""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from collectors.services import collect_inbox
from disclosure.models import Institution
from disclosure.selectors.public import is_resident_id
from disclosure.services.api_keys import api_key_issue
from disclosure.services.monitoring import watchlist_create, watchlist_subjects_add
from tests.collectors.conftest import write_jsonl
from tests.disclosure.conftest import PERSONAL
from tests.factories import penalty
from tests.inspections.world import InspectorFactory, leader
from tests.inspections.world import published as published_task
from warning_system.inspections.services import result_record

pytestmark = pytest.mark.django_db

ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")

# Route names of the portal (namespace disclosure) and its API (disclosure:api) that are scanned.
SCANNED_ROUTES = {
    "disclosure:home", "disclosure:search", "disclosure:subject", "disclosure:issue-report",
    "disclosure:verify-report", "disclosure:report", "disclosure:report-pdf", "disclosure:colour-list",
    "disclosure:colour-list-csv", "disclosure:statistics", "disclosure:batch-check", "disclosure:batch-download",
    "disclosure:api:subject", "disclosure:api:search", "disclosure:api:check", "disclosure:api:watchlists",
    "disclosure:api:watchlist", "disclosure:api:watchlist-subjects", "disclosure:api:watched-subject",
    "disclosure:api:events", "disclosure:api:schema", "disclosure:api:index", "disclosure:api-docs",
    "disclosure:api-redoc", "disclosure:batch-result", "disclosure:colours",
    "disclosure:api:joint-checks", "disclosure:api:joint-check", "disclosure:api:joint-outcome",
    "disclosure:api:joint-uses",
    "disclosure:inspection-tasks", "disclosure:inspection-verifier", "disclosure:inspection-task",
    "disclosure:inspection-zip", "disclosure:inspection-file",
}  # fmt: skip


def personal_data_in(text: str) -> list[str]:
    found = [m for m in ID_CANDIDATE.findall(text) if is_resident_id(m)]
    found += MOBILE.findall(text)
    found += [p for p in PERSONAL if p in text]
    return found


def xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))


def route_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def test_every_public_route_is_scanned():
    public = {n for n in route_names() if n.startswith("disclosure:")}
    assert public - SCANNED_ROUTES == set()


def test_the_planted_personal_data_is_really_in_the_database(portal_city):
    """The scan below would prove nothing if the collectors had dropped the personal fields."""
    from warning_system.registry.models import RECORD_MODELS

    private = RECORD_MODELS["complaint"]._meta.get_field("private").related_model
    assert private.objects.filter(personal__complainant_phone="13912345678").exists()
    record = RECORD_MODELS["penalty"].objects.get(record_id="PY-1")
    assert personal_data_in(record.private.raw["violation_facts"])  # as received, for regulators
    assert not personal_data_in(record.violation_facts)  # the public column is redacted at ingest


@pytest.fixture
def responses(portal_city, client, tmp_path, django_capture_on_commit_callbacks):
    """Every public response of the portal and the API over the planted city, as text."""
    city = portal_city
    out: dict[str, str] = {}

    def page(label, response, status=200):
        assert response.status_code == status, (label, response.status_code)
        content = (
            response.content
            if not hasattr(response, "streaming_content")
            else b"".join(response.streaming_content)
        )
        out[label] = content.decode("utf-8-sig", errors="replace")
        return response

    page("home", client.get("/"))
    for q in ("赣江", "洪都", "法人3", city.red.lower()):
        page(f"search {q}", client.get("/search", {"q": q}))
    for uscc in city.registered:
        page(f"subject {uscc}", client.get(f"/subjects/{uscc}"))
    for colour in ("yellow", "orange", "red"):
        page(f"list {colour}", client.get(f"/lists/{colour}"))
        page(f"list {colour} csv", client.get(f"/lists/{colour}.csv"))
    page("statistics", client.get("/statistics"))
    codes = "\n".join([*city.registered, city.unregistered, "91360100MA00000000", "南昌洪都红色食品有限公司"])
    page("batch check", client.get("/check"))
    result = page("batch result", client.post("/check", {"codes": codes}))
    token = re.search(r"/check/results/([A-Za-z0-9_-]+)", result.content.decode()).group(1)
    page("batch result, not green", client.get(f"/check/results/{token}", {"show": "not-green"}))
    page("colours", client.get("/colours"))
    page("batch csv", client.post("/check/download", {"codes": codes, "format": "csv"}))
    xlsx = client.post("/check/download", {"codes": codes, "format": "xlsx"})
    assert xlsx.status_code == 200
    out["batch xlsx"] = xlsx_text(xlsx.content)
    for uscc in (city.yellow, city.red):
        issued = client.post(f"/subjects/{uscc}/report")
        assert issued.status_code == 302
        page(f"report {uscc}", client.get(issued["Location"]))
        number = issued["Location"].rstrip("/").rsplit("/", 1)[-1]
        page(f"verify {uscc}", client.get("/reports/verify", {"number": number}))
        pdf = client.get(f"/reports/{number}.pdf")
        assert pdf["Content-Type"] == "application/pdf"

    # 双随机: a task drawn over the city, published, one result entered with a note that stays internal.
    InspectorFactory.create_batch(3)
    task = published_task(leader().user)
    first = task.assignments.first()
    result_record(assignment=first, user=task.created_by, department_id="SCJG", inspected_on=timezone.localdate(),
                  result="corrected", note=f"联系人手机 {PERSONAL[1]}")  # fmt: skip
    page("inspections", client.get("/inspections/"))
    page("inspection task", client.get(f"/inspections/{task.number}/"))
    for name in ("task.json", "subjects.csv", "inspectors.csv", "previous.csv", "result.csv"):
        page(f"inspection {name}", client.get(f"/inspections/{task.number}/files/{name}"))
    archive = client.get(f"/inspections/{task.number}/files.zip")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        out["inspection zip"] = "".join(files.read(n).decode("utf-8") for n in files.namelist())
    page("inspection verifier", client.get("/inspections/verify_draw.py"))

    _, key = api_key_issue("南昌农商银行")
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    institution = Institution.objects.get(name="南昌农商银行")
    watchlist = watchlist_create(institution, "贷后监测")
    watchlist_subjects_add(watchlist, city.registered)
    # The database clock stands still inside the test's transaction: date the entries before it.
    watchlist.entries.update(added_at=timezone.now() - timedelta(days=1))
    # A new penalty with personal data in its free text, for a watched subject: a feed event.
    write_jsonl(
        tmp_path / "more" / "SCJG" / "penalty_20261120090000.jsonl",
        [
            penalty(
                city.green, "PG-NEW", violation_facts=f"法定代表人身份证 {PERSONAL[0]}，手机 {PERSONAL[1]}"
            )
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        collect_inbox(tmp_path / "more")
    for uscc in city.registered:
        page(f"api subject {uscc}", client.get(f"/api/v1/subjects/{uscc}", **api))
    page("api search", client.get("/api/v1/search", {"q": "洪都"}, **api))
    page("api check", client.post("/api/v1/check", {"codes": codes.split("\n")}, content_type="application/json",
                                  **api))  # fmt: skip
    page("api watchlists", client.get("/api/v1/watchlists", **api))
    page("api watchlist", client.get(f"/api/v1/watchlists/{watchlist.pk}", **api))
    page("api events", client.get("/api/v1/events", **api))
    joint = page("api joint check", client.post("/api/v1/joint-checks", {"uscc": city.red, "use": "financing"},
                                                content_type="application/json", **api), status=201)  # fmt: skip
    joint_url = f"/api/v1/joint-checks/{joint.json()['id']}"
    page("api joint outcome", client.post(f"{joint_url}/outcome", {"action": "credit_denied"},
                                          content_type="application/json", **api))  # fmt: skip
    page("api joint check by id", client.get(joint_url, **api))
    page("api joint checks", client.get("/api/v1/joint-checks", **api))
    page("api joint uses", client.get("/api/v1/joint-uses", **api))
    page("api schema", client.get("/api/v1/schema", {"format": "json"}))
    page("api index", client.get("/api/v1/"))
    page("api docs", client.get("/api/docs/"))
    page("api redoc", client.get("/api/redoc/"))
    return out


def test_no_public_response_carries_personal_data(responses):
    leaks = {label: personal_data_in(text) for label, text in responses.items() if personal_data_in(text)}
    assert leaks == {}


def test_the_scan_saw_the_records_it_guards(responses, portal_city):
    """The pages scanned do show the records that carry personal data in their private part."""
    assert "洪市监处罚〔2026〕PY-1号" in responses[f"subject {portal_city.yellow}"]
    assert "PG-NEW" in responses["api events"]
    assert "销售过期食品" in responses[f"subject {portal_city.yellow}"]
