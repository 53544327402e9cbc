"""Monitoring: watchlists, events of watched subjects through the real ingest path, and signed
webhooks delivered to a real local HTTP server, retried with backoff."""

import json
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from collectors.services import collect_inbox
from disclosure import tasks
from disclosure.models import (
    DeliveryStatus,
    EventKind,
    Institution,
    MonitorEvent,
    WatchedSubject,
    WebhookDelivery,
)
from disclosure.selectors import monitoring as selectors
from disclosure.services import monitoring
from disclosure.services.monitoring import MonitoringError
from tests.collectors.conftest import write_jsonl
from tests.disclosure.conftest import PERSONAL
from tests.factories import make_uscc, penalty, wrong_check
from warning_system.classification.models import ColourChange
from warning_system.registry.models import RECORD_MODELS

SECRET = "s3cret-key-of-the-bank"


@pytest.fixture
def bank(db) -> Institution:
    return Institution.objects.create(name="南昌农商银行")


@pytest.fixture
def watchlist(bank):
    return monitoring.watchlist_create(bank, "授信客户")


def _transaction_start():
    """What SQL now() says in this test's transaction: the time every ingest in it stamps."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        return cursor.fetchone()[0]


@pytest.fixture
def loaded_yesterday(portal_city):
    """The city as if loaded a day ago, and watched since an hour ago: what comes next is news."""
    day = timedelta(days=1)
    for model in RECORD_MODELS.values():
        model.objects.update(received_at=F("received_at") - day, changed_at=F("changed_at") - day)
    ColourChange.objects.update(changed_at=F("changed_at") - day)
    return portal_city


def _watch(watchlist, usccs, *, since=None):
    """Watch from `since` (default: an hour before this test's transaction started)."""
    since = since or _transaction_start() - timedelta(hours=1)
    return monitoring.watchlist_subjects_add(watchlist, usccs, now=since)


def _ingest(tmp_path, django_capture_on_commit_callbacks, name: str, records: list[dict]) -> None:
    inbox = tmp_path / f"inbox-{name}"
    write_jsonl(inbox / "SCJG" / f"penalty_{name}.jsonl", records)
    # One capture runs the whole chain: the colour task's on_commit queues the watch task's.
    with django_capture_on_commit_callbacks(execute=True):
        collect_inbox(inbox)


def _events(institution, kind=None):
    events = MonitorEvent.objects.filter(institution=institution).order_by("id")
    return list(events.filter(kind=kind) if kind else events)


# --------------------------------------------------------------------------- watchlists


def test_create_watchlist_strips_its_name(bank):
    watchlist = monitoring.watchlist_create(bank, "  授信客户 ")
    assert watchlist.name == "授信客户"
    assert watchlist.institution == bank


def test_a_duplicate_watchlist_name_is_refused(bank, watchlist):
    with pytest.raises(MonitoringError) as refused:
        monitoring.watchlist_create(bank, "授信客户")
    assert refused.value.code == "name_taken"


def test_another_institution_may_use_the_same_name(watchlist):
    other = Institution.objects.create(name="赣州银行")
    assert monitoring.watchlist_create(other, "授信客户").institution == other


def test_an_empty_watchlist_name_is_refused(bank):
    with pytest.raises(MonitoringError) as refused:
        monitoring.watchlist_create(bank, "   ")
    assert refused.value.code == "name_required"


def test_add_subjects_accepts_codes_as_typed_and_reports_the_already_watched(watchlist):
    first, second = make_uscc(), make_uscc()
    monitoring.watchlist_subjects_add(watchlist, [first])
    result = monitoring.watchlist_subjects_add(watchlist, [f" {second.lower()} ", first, second])
    assert result.added == [second]
    assert result.already == [first]
    assert result.invalid == []
    assert sorted(watchlist.entries.values_list("uscc", flat=True)) == sorted([first, second])


def test_add_subjects_reports_invalid_codes_without_watching_them(watchlist):
    bad = wrong_check(make_uscc())
    result = monitoring.watchlist_subjects_add(watchlist, [bad, "12345", ""])
    assert result.invalid == [bad, "12345", ""]
    assert result.added == []
    assert not watchlist.entries.exists()


def test_a_valid_code_not_registered_yet_is_watched(watchlist):
    unknown = make_uscc()
    assert monitoring.watchlist_subjects_add(watchlist, [unknown]).added == [unknown]


def test_remove_subject_says_whether_it_was_watched(watchlist):
    uscc = make_uscc()
    monitoring.watchlist_subjects_add(watchlist, [uscc])
    assert monitoring.watchlist_subject_remove(watchlist, uscc.lower()) is True
    assert monitoring.watchlist_subject_remove(watchlist, uscc) is False
    assert not watchlist.entries.exists()


def test_delete_watchlist_removes_its_entries(watchlist):
    monitoring.watchlist_subjects_add(watchlist, [make_uscc()])
    monitoring.watchlist_delete(watchlist)
    assert not WatchedSubject.objects.exists()


def test_institution_watchlists_count_their_entries_in_one_query(bank, watchlist, django_assert_num_queries):
    monitoring.watchlist_subjects_add(watchlist, [make_uscc(), make_uscc()])
    monitoring.watchlist_create(bank, "采购供应商")
    with django_assert_num_queries(1):
        counts = {w.name: w.entry_count for w in selectors.institution_watchlists(bank)}
    assert counts == {"授信客户": 2, "采购供应商": 0}


# --------------------------------------------------------------------------- events


def test_a_new_penalty_of_a_watched_subject_makes_a_colour_change_and_a_record_event(
    loaded_yesterday, watchlist, tmp_path, django_capture_on_commit_callbacks
):
    city = loaded_yesterday
    _watch(watchlist, [city.green])
    _ingest(tmp_path, django_capture_on_commit_callbacks, "20261103090000",
            [penalty(city.green, "PG-3", decided_on=(timezone.localdate() - timedelta(days=3)).isoformat())])  # fmt: skip

    [change] = _events(watchlist.institution, EventKind.COLOUR_CHANGE)
    assert change.uscc == city.green
    assert change.payload["from"] == "green" and change.payload["to"] == "yellow"
    assert change.payload["subject_name"] == "南昌赣江绿色餐饮有限公司"
    assert change.payload["reasons"]
    [record] = _events(watchlist.institution, EventKind.NEW_RECORD)
    assert (record.payload["kind"], record.payload["record_id"]) == ("penalty", "PG-3")
    assert record.payload["department_name"] == "南昌市市场监督管理局"
    facts = {fact["field"]: fact["value"] for fact in record.payload["facts"]}
    assert facts["fine_amount"] == "1.5"


def test_a_subject_nobody_watches_makes_no_event(
    loaded_yesterday, watchlist, tmp_path, django_capture_on_commit_callbacks
):
    city = loaded_yesterday
    _watch(watchlist, [city.green])
    _ingest(tmp_path, django_capture_on_commit_callbacks, "20261103090000", [penalty(city.yellow, "PY-9")])
    assert not MonitorEvent.objects.exists()


def test_a_city_without_watchlists_queues_no_watch_task(
    loaded_yesterday, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.record_watch_events, "delay", lambda usccs: queued.append(usccs))
    _ingest(tmp_path, django_capture_on_commit_callbacks, "20261103090000",
            [penalty(loaded_yesterday.green, "PG-3")])  # fmt: skip
    assert queued == []


def test_the_watch_task_is_queued_with_the_watched_subjects_only(
    loaded_yesterday, watchlist, tmp_path, django_capture_on_commit_callbacks, monkeypatch
):
    city = loaded_yesterday
    _watch(watchlist, [city.green])
    queued = []
    monkeypatch.setattr(tasks.record_watch_events, "delay", lambda usccs: queued.append(usccs))
    _ingest(tmp_path, django_capture_on_commit_callbacks, "20261103090000",
            [penalty(city.green, "PG-3"), penalty(city.yellow, "PY-9")])  # fmt: skip
    assert queued == [[city.green]]


def test_records_from_before_the_subject_was_watched_make_no_event(loaded_yesterday, watchlist):
    _watch(watchlist, loaded_yesterday.registered)
    assert monitoring.watch_events_record(None) == 0


def test_recording_events_twice_adds_nothing(portal_city, watchlist):
    _watch(watchlist, portal_city.registered)
    assert monitoring.watch_events_record(None) > 0
    count = MonitorEvent.objects.count()
    assert monitoring.watch_events_record(None) == 0
    assert monitoring.watch_events_record(portal_city.registered) == 0
    assert MonitorEvent.objects.count() == count


def test_each_institution_watching_a_subject_gets_its_own_event(portal_city, watchlist):
    other = monitoring.watchlist_create(Institution.objects.create(name="赣州银行"), "客户")
    _watch(watchlist, [portal_city.yellow])
    _watch(other, [portal_city.yellow])
    monitoring.watch_events_record([portal_city.yellow])
    assert len(_events(watchlist.institution)) == len(_events(other.institution)) > 0


def test_an_updated_record_is_a_new_event(
    loaded_yesterday, watchlist, tmp_path, django_capture_on_commit_callbacks
):
    city = loaded_yesterday
    _watch(watchlist, [city.yellow])
    _ingest(tmp_path, django_capture_on_commit_callbacks, "20261103090000",
            [penalty(city.yellow, "PY-1", updated_at="2026-11-03T09:00:00", fine_amount="2")])  # fmt: skip
    [record] = _events(watchlist.institution, EventKind.NEW_RECORD)
    assert record.payload["record_id"] == "PY-1"
    assert {f["field"]: f["value"] for f in record.payload["facts"]}["fine_amount"] == "2"


def test_no_personal_data_in_any_payload(portal_city, watchlist):
    _watch(watchlist, [*portal_city.registered, portal_city.unregistered])
    monitoring.watch_events_record(None)
    payloads = json.dumps([e.payload for e in MonitorEvent.objects.all()], ensure_ascii=False)
    assert "PY-1" in payloads and "C0" in payloads  # the records that carried personal data are there
    for personal in PERSONAL:
        assert personal not in payloads


def test_a_warning_only_penalty_makes_no_record_event(portal_city, watchlist):
    _watch(watchlist, [portal_city.green])  # PG-1 is a warning, PG-2 out of its window
    monitoring.watch_events_record([portal_city.green])
    assert _events(watchlist.institution, EventKind.NEW_RECORD) == []
    assert [e.payload["to"] for e in _events(watchlist.institution)] == ["green"]


def test_a_watched_subject_not_registered_yet_gets_its_public_records(portal_city, watchlist):
    _watch(watchlist, [portal_city.unregistered])
    monitoring.watch_events_record_recent()
    [record] = _events(watchlist.institution)
    assert record.payload["record_id"] == "PU-1"
    assert record.payload["subject_name"] is None


def test_an_institution_with_a_webhook_gets_a_delivery_per_new_event(portal_city, watchlist):
    Institution.objects.filter(pk=watchlist.institution_id).update(webhook_url="http://127.0.0.1:9/hook")
    _watch(watchlist, [portal_city.yellow])
    created = monitoring.watch_events_record([portal_city.yellow])
    deliveries = WebhookDelivery.objects.filter(event__institution=watchlist.institution)
    assert deliveries.count() == created > 0
    assert set(deliveries.values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_the_feed_pages_oldest_first_and_only_shows_the_institutions_events(portal_city, watchlist):
    other = monitoring.watchlist_create(Institution.objects.create(name="赣州银行"), "客户")
    _watch(watchlist, portal_city.registered)
    _watch(other, [portal_city.red])
    monitoring.watch_events_record(None)
    mine = _events(watchlist.institution)
    first = selectors.feed(watchlist.institution, limit=2)
    rest = selectors.feed(watchlist.institution, after=first[-1].id, limit=1000)
    assert [e.id for e in first + rest] == [e.id for e in mine]
    assert all(e.institution_id == watchlist.institution_id for e in first + rest)


# --------------------------------------------------------------------------- webhooks


class HookServer:
    """A real HTTP endpoint on 127.0.0.1 answering `statuses` in turn (the last one repeated),
    remembering each request and whether its signature verified."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[dict] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.requests.append({
                    "headers": dict(self.headers),
                    "body": body,
                    "signed": monitoring.verify_signature(
                        SECRET, self.headers["X-Warning-Timestamp"], body, self.headers["X-Warning-Signature"]
                    ),
                })  # fmt: skip
                status = hook.statuses.pop(0) if len(hook.statuses) > 1 else hook.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def hook_server():
    servers = []

    def start(statuses: list[int]) -> HookServer:
        servers.append(HookServer(statuses))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _delivery(bank, url: str, *, due=None, source="colour:1") -> WebhookDelivery:
    Institution.objects.filter(pk=bank.pk).update(webhook_url=url, webhook_secret=SECRET)
    event = MonitorEvent.objects.create(
        institution=bank, uscc=make_uscc(), kind=EventKind.COLOUR_CHANGE, source=source,
        payload={"from": "green", "to": "yellow", "to_label": "黄色"}, occurred_at=timezone.now(),
    )  # fmt: skip
    return WebhookDelivery.objects.create(event=event, url=url, next_attempt_at=due or timezone.now())


def test_a_webhook_is_retried_with_backoff_until_delivered(bank, hook_server):
    server = hook_server([500, 500, 200])
    start = timezone.now()
    delivery = _delivery(bank, server.url, due=start)

    assert monitoring.webhook_deliver(delivery.pk, now=start).next_attempt_at == start + timedelta(seconds=30)
    assert monitoring.webhooks_deliver_due(now=start + timedelta(seconds=29)) == 0
    assert monitoring.webhooks_deliver_due(now=start + timedelta(seconds=30)) == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == start + timedelta(seconds=30 + 60)
    assert monitoring.webhooks_deliver_due(now=start + timedelta(seconds=90)) == 1

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.delivered_at == start + timedelta(seconds=90)
    assert delivery.attempts == 3
    assert list(delivery.log.values_list("status_code", flat=True)) == [500, 500, 200]
    assert [r["signed"] for r in server.requests] == [True, True, True]
    sent = json.loads(server.requests[-1]["body"])
    assert sent["id"] == delivery.event_id and sent["type"] == "colour_change"
    assert sent["data"]["to"] == "yellow"
    assert server.requests[-1]["headers"]["X-Warning-Event"] == str(delivery.event_id)
    assert server.requests[-1]["headers"]["Content-Type"] == "application/json"


def test_a_delivered_webhook_is_not_sent_again(bank, hook_server):
    server = hook_server([200])
    delivery = _delivery(bank, server.url)
    monitoring.webhook_deliver(delivery.pk)
    later = timezone.now() + timedelta(days=1)
    assert monitoring.webhook_deliver(delivery.pk, now=later).status == DeliveryStatus.DELIVERED
    assert monitoring.webhooks_deliver_due(now=later) == 0
    assert len(server.requests) == 1


def test_a_webhook_that_always_fails_is_given_up_after_the_max_attempts(bank, hook_server, settings):
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    server = hook_server([503])
    delivery = _delivery(bank, server.url)
    now = timezone.now()
    for _ in range(6):
        monitoring.webhooks_deliver_due(now=now)
        now += timedelta(hours=1)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 4
    assert delivery.log.count() == len(server.requests) == 4


def test_the_backoff_doubles_and_stops_at_an_hour():
    assert [monitoring.backoff(n).total_seconds() for n in (1, 2, 3, 7, 8)] == [30, 60, 120, 1920, 3600]


def test_an_unreachable_webhook_logs_the_error(bank):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    delivery = monitoring.webhook_deliver(_delivery(bank, f"http://127.0.0.1:{port}/hook").pk)
    [attempt] = delivery.log.all()
    assert attempt.status_code is None
    assert "ConnectionError" in attempt.error
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1


def test_deliver_due_skips_deliveries_not_yet_due(bank, hook_server):
    server = hook_server([200])
    now = timezone.now()
    due = _delivery(bank, server.url, due=now, source="colour:1")
    later = _delivery(bank, server.url, due=now + timedelta(minutes=5), source="colour:2")
    assert monitoring.webhooks_deliver_due(now=now) == 1
    assert len(server.requests) == 1
    assert WebhookDelivery.objects.get(pk=due.pk).status == DeliveryStatus.DELIVERED
    assert WebhookDelivery.objects.get(pk=later.pk).attempts == 0


def test_a_signature_verifies_and_a_tampered_body_does_not():
    body = b'{"id":1,"type":"colour_change"}'
    header = monitoring.sign(SECRET, 1767225600, body)
    assert header.startswith("sha256=")
    assert monitoring.verify_signature(SECRET, "1767225600", body, header)
    assert not monitoring.verify_signature(SECRET, "1767225600", body.replace(b"1", b"2"), header)
    assert not monitoring.verify_signature(SECRET, "1767225601", body, header)
    assert not monitoring.verify_signature("another secret", "1767225600", body, header)
