"""GET /metrics: Prometheus metrics of the system's own, for the city's IT office.

Computed at scrape time from the tables and the shared cache (prometheus_client's custom collector),
so every gunicorn worker answers the same figures: per-process counters would show whichever worker
the scrape reached. Not public: only addresses in METRICS_ALLOWED_IPS (addresses or networks) or a
request with `Authorization: Bearer <METRICS_TOKEN>`; anyone else gets 403. What each metric means
and example alert rules: docs/monitoring.md.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from warning_system import standby
from warning_system.audit.context import client_address

from . import counters, selectors


@lru_cache(maxsize=8)
def _networks(allowed: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in allowed)


def allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.METRICS_ALLOWED_IPS)))


class SystemCollector:
    """Every metric of docs/monitoring.md, read when Prometheus scrapes."""

    def collect(self):
        yield from self._records()
        yield from self._colours()
        yield from self._refusals()
        yield from self._standbys()

    def _records(self):
        stored = CounterMetricFamily(
            "ws_records_stored",
            "Records stored (inserted or updated) by ingest runs",
            labels=["department", "kind"],
        )
        quarantined = CounterMetricFamily(
            "ws_records_quarantined",
            "Records sent to the quarantine by ingest runs",
            labels=["department", "kind"],
        )
        for row in selectors.records_by_department_and_kind():
            labels = [row["department__code"], row["kind"] or "unknown"]
            stored.add_metric(labels, row["stored"] or 0)
            quarantined.add_metric(labels, row["quarantined"] or 0)
        open_ = GaugeMetricFamily(
            "ws_quarantine_open", "Quarantined records not yet resolved", labels=["department", "kind"]
        )
        for row in selectors.open_quarantine_by_department_and_kind():
            open_.add_metric([row["department__code"], row["kind"]], row["open"])
        runs = CounterMetricFamily(
            "ws_ingest_runs", "Ingest runs by outcome", labels=["department", "status"]
        )
        for row in selectors.runs_by_department_and_status():
            runs.add_metric([row["department__code"] or "none", row["status"]], row["runs"])
        last = GaugeMetricFamily(
            "ws_ingest_last_success_timestamp_seconds",
            "When each department's newest successful ingest run finished",
            labels=["department"],
        )
        for code, moment in sorted(selectors.last_ingest_by_department().items()):
            last.add_metric([code], moment.timestamp())
        yield from (stored, quarantined, open_, runs, last)

    def _colours(self):
        yield GaugeMetricFamily(
            "ws_evaluation_backlog", "Subjects marked in the evaluation outbox, waiting for a drain",
            value=selectors.evaluation_backlog(),
        )  # fmt: skip
        last_drain = counters.read()["last_drain"]
        if last_drain is not None:
            yield GaugeMetricFamily(
                "ws_evaluation_last_drain_timestamp_seconds", "When the evaluation outbox was last drained",
                value=float(last_drain),
            )  # fmt: skip
        verification = selectors.latest_verification()
        if verification is not None:
            yield GaugeMetricFamily(
                "ws_colour_verification_differing",
                "Subjects whose published colour differed from the recomputed one at the last watchdog run",
                value=verification.differing,
            )
            yield GaugeMetricFamily(
                "ws_colour_verification_timestamp_seconds", "When the last colour watchdog run started",
                value=verification.started_at.timestamp(),
            )  # fmt: skip

    def _refusals(self):
        found = counters.read()
        refused = CounterMetricFamily(
            "ws_http_refused", "Requests answered 429 (rate limits)", labels=["area"]
        )
        for area, count in found["refused"].items():
            refused.add_metric([area], count)
        yield refused
        yield CounterMetricFamily(
            "ws_login_failures", "Failed workspace and admin logins", value=found["login_failures"]
        )

    def _standbys(self):
        usable = GaugeMetricFamily(
            "ws_standby_usable", "1 while a standby serves public reads", labels=["standby"]
        )
        lag = GaugeMetricFamily("ws_standby_lag_seconds", "How far a standby is behind", labels=["standby"])
        for state in standby.states():
            usable.add_metric([state.alias], 1 if state.usable else 0)
            if state.lag is not None:
                lag.add_metric([state.alias], state.lag)
        yield usable
        yield lag


_registry = CollectorRegistry(auto_describe=False)
_registry.register(SystemCollector())


@require_safe
def metrics(request):
    if not allowed(request):
        return JsonResponse(
            {"error": {"code": "forbidden", "message": "metrics are served to the monitoring system only"}},
            status=403,
        )
    return HttpResponse(generate_latest(_registry), content_type=CONTENT_TYPE_LATEST)
