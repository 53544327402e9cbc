"""Pull channel against a real local HTTP server: cursors, retries, auth failure."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from collectors.models import PullCursor, PullSource
from collectors.services import pull_session, pull_source
from tests.factories import make_uscc, penalty
from warning_system.registry.models import IngestRun, Penalty

pytestmark = pytest.mark.django_db


class FeedServer:
    """Serves pages of records; `script` says, per request, what status to answer."""

    def __init__(self, pages: list[list[dict]], script: list[int] | None = None):
        self.pages = pages
        self.script = list(script or [])
        self.requests: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
                outer.requests.append({"query": query, "auth": self.headers.get("Authorization")})
                status = outer.script.pop(0) if outer.script else 200
                if status != 200:
                    self.send_response(status)
                    self.send_header("Retry-After", "0")
                    self.end_headers()
                    return
                index = int(query.get("cursor", "0"))
                body = {
                    "records": outer.pages[index],
                    "next_cursor": str(index + 1),
                    "has_more": index + 1 < len(outer.pages),
                }
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def fast_retries(settings):
    settings.PULL_BACKOFF_FACTOR = 0
    settings.PULL_MAX_RETRIES = 3


def make_source(url, **kwargs):
    from warning_system.registry.models import Department

    return PullSource.objects.create(
        department=Department.objects.get(code="SCJG"),
        name="SCJG 接口",
        base_url=url,
        token="secret",
        kinds=["penalty"],
        page_size=2,
        **kwargs,
    )


def pages(n_pages):
    uscc = make_uscc()
    return [[penalty(uscc, f"P{p}-{i}") for i in range(2)] for p in range(n_pages)]


def test_pages_are_followed_by_cursor_with_the_token(reference_data, fast_retries):
    server = FeedServer(pages(3))
    try:
        (report,) = pull_source(make_source(server.url))
    finally:
        server.close()
    assert (report.pages, report.outcome.inserted, report.error) == (3, 6, None)
    assert [r["query"].get("cursor") for r in server.requests] == [None, "1", "2"]
    assert {r["auth"] for r in server.requests} == {"Bearer secret"}
    assert PullCursor.objects.get().cursor == "3"
    assert IngestRun.objects.get(channel="pull").inserted == 6


def test_transient_failures_are_retried(reference_data, fast_retries):
    server = FeedServer(pages(1), script=[429, 503])
    try:
        (report,) = pull_source(make_source(server.url))
    finally:
        server.close()
    assert (report.outcome.inserted, report.error) == (2, None)
    assert len(server.requests) == 3


def test_a_page_that_keeps_failing_leaves_the_cursor_after_the_last_stored_page(reference_data, fast_retries):
    server = FeedServer(pages(3), script=[200] + [500] * 10)
    try:
        (report,) = pull_source(make_source(server.url))
    finally:
        server.close()
    assert report.pages == 1 and "500" in report.error
    assert PullCursor.objects.get().cursor == "1"
    assert Penalty.objects.count() == 2
    assert PullSource.objects.get().status == PullSource.Status.ACTIVE


def test_the_next_pull_resumes_from_the_saved_cursor(reference_data, fast_retries):
    data = pages(3)
    server = FeedServer(data, script=[200] + [500] * 10)
    source = make_source(server.url)
    try:
        pull_source(source)
        server.script = []
        (report,) = pull_source(source)
    finally:
        server.close()
    assert server.requests[-2]["query"]["cursor"] == "1"
    assert Penalty.objects.count() == 6 and report.outcome.inserted == 4


def test_401_marks_the_source_failing(reference_data, fast_retries):
    server = FeedServer(pages(1), script=[401])
    try:
        (report,) = pull_source(make_source(server.url))
    finally:
        server.close()
    source = PullSource.objects.get()
    assert source.status == PullSource.Status.FAILING and "401" in source.last_error
    assert len(server.requests) == 1
    assert not source.is_due()


def test_the_session_backs_off_exponentially_with_a_cap(settings):
    from urllib3.response import HTTPResponse

    settings.PULL_BACKOFF_FACTOR = 1
    settings.PULL_BACKOFF_MAX_SECONDS = 8
    settings.PULL_MAX_RETRIES = 10
    retry = pull_session().get_adapter("http://x").max_retries
    backoffs = []
    for _ in range(6):
        retry = retry.increment(method="GET", url="/records", response=HTTPResponse(status=503))
        backoffs.append(retry.get_backoff_time())
    assert backoffs[1] < backoffs[2] < backoffs[3]
    assert max(backoffs) == backoffs[-1] == 8
    assert {429, 500, 502, 503, 504} <= set(retry.status_forcelist)


def test_a_pull_series_that_dies_keeps_the_counts_of_the_pages_it_committed(
    reference_data, fast_retries, monkeypatch
):
    from collectors.services import ingest_runs_close_dead, pull
    from collectors.services.runs import run_release

    calls = []
    real = pull.items_ingest

    def dies_on_the_second_page(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise MemoryError("the worker is killed here")
        return real(**kwargs)

    monkeypatch.setattr(pull, "items_ingest", dies_on_the_second_page)
    server = FeedServer(pages(3))
    try:
        with pytest.raises(MemoryError):
            pull_source(make_source(server.url))
    finally:
        server.close()
    run = IngestRun.objects.get(channel="pull")
    assert (run.status, run.inserted, run.received) == ("running", 2, 2)
    run_release(run)  # what the server does when the dead worker's connection goes
    assert ingest_runs_close_dead() == [run.pk]
    run.refresh_from_db()
    assert (run.status, run.inserted) == ("failed", 2)
