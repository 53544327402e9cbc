"""GET /health/: what the city's IT office and its load balancer watch, as JSON.

Built on django-health-check (its checks run side by side, each within a time budget, and a check
that crashes reports a generic error instead of its exception). The answer is 503 only when this
instance cannot serve: the primary database or Redis is down. A lagging standby (reads then go to
the primary), a backlog nobody drains or a department silent for days are reported as warnings
with 200: taking web instances out of the balancer would not help any of them.

It reveals nothing private: statuses, counts, ages in seconds and department codes (public in the
feed contract). Error texts are fixed sentences, never a driver's message with a host name.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

from warning_system import standby

from . import counters, selectors

# A backlog older than this since the last drain means no drain runs (beat drains every minute).
DRAIN_STALE_SECONDS = 300
# A department silent this long is named in a warning (alerts per department: docs/monitoring.md).
INGEST_STALE_SECONDS = 48 * 3600


def _closing_connections(run):
    """Sync checks run in the executor's threads: close the connections they opened there, which no
    request_finished would ever close."""

    def wrapped(self):
        try:
            return run(self)
        finally:
            connections.close_all()

    return wrapped


@dataclasses.dataclass
class Check(HealthCheck):
    name: ClassVar[str] = ""
    details: dict = dataclasses.field(default_factory=dict, repr=False)


@dataclasses.dataclass
class PrimaryDatabase(Check):
    name: ClassVar[str] = "database"

    @_closing_connections
    def run(self) -> None:
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            raise ServiceUnavailable("the primary database does not answer") from error


@dataclasses.dataclass
class Redis(Check):
    name: ClassVar[str] = "redis"

    def run(self) -> None:
        if not settings.REDIS_URL:
            self.details["configured"] = False
            return
        try:
            cache.set("health:probe", 1, timeout=10)
            if cache.get("health:probe") != 1:
                raise ServiceUnavailable("the cache did not keep a value")
        except ServiceUnavailable:
            raise
        except Exception as error:
            raise ServiceUnavailable("Redis does not answer") from error


@dataclasses.dataclass
class Standbys(Check):
    name: ClassVar[str] = "standbys"

    @_closing_connections
    def run(self) -> None:
        found = standby.states()
        self.details["standbys"] = {
            s.alias: {"usable": s.usable, "lag_seconds": None if s.lag is None else round(s.lag, 3),
                      **({"reason": s.reason} if s.reason else {})}
            for s in found
        }  # fmt: skip
        self.details["max_lag_seconds"] = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        unusable = [s.alias for s in found if not s.usable]
        if unusable:
            raise ServiceWarning(f"reads fall back to the primary: {', '.join(unusable)} not usable")


@dataclasses.dataclass
class EvaluationBacklog(Check):
    name: ClassVar[str] = "evaluation_backlog"

    @_closing_connections
    def run(self) -> None:
        backlog = selectors.evaluation_backlog()
        last = counters.read()["last_drain"]
        age = None if last is None else round(time.time() - float(last), 1)
        self.details.update(waiting=backlog, seconds_since_last_drain=age)
        if backlog and (age is None or age > DRAIN_STALE_SECONDS):
            raise ServiceWarning("subjects wait for evaluation and no drain ran recently")


@dataclasses.dataclass
class Ingest(Check):
    name: ClassVar[str] = "ingest"

    @_closing_connections
    def run(self) -> None:
        now = timezone.now()
        ages = {
            code: round((now - last).total_seconds())
            for code, last in selectors.last_ingest_by_department().items()
        }
        self.details["seconds_since_last_success"] = dict(sorted(ages.items()))
        silent = sorted(code for code, age in ages.items() if age > INGEST_STALE_SECONDS)
        if silent:
            raise ServiceWarning(f"no successful ingest for 48 hours: {', '.join(silent)}")


# Without these this instance cannot serve; anything else failing is a warning.
CRITICAL = frozenset({"database", "redis"})


class HealthView(View):
    """Always JSON: {"status": "ok" | "warning" | "unavailable", "checks": {name: {...}}}.

    A synchronous view: django-health-check's own view is async, which a WSGI server runs through
    async_to_sync, and that refuses a thread where an event loop already runs. The checks still run
    side by side, each within its time budget, in an event loop of their own on a thread of their own."""

    http_method_names = ["get", "head"]
    checks = (PrimaryDatabase, Redis, Standbys, EvaluationBacklog, Ingest)

    async def _results(self, checks: list) -> list:
        return await asyncio.gather(*(check.get_result() for check in checks))

    @method_decorator(never_cache)
    def get(self, request, *args, **kwargs):
        checks = [check() for check in self.checks]
        with ThreadPoolExecutor(max_workers=1) as pool:
            results = pool.submit(asyncio.run, self._results(checks)).result()
        report = {}
        unavailable = warning = False
        for result in results:
            entry = {"status": "ok", **result.check.details}
            if result.error is not None and (
                isinstance(result.error, ServiceWarning) or result.check.name not in CRITICAL
            ):
                entry.update(status="warning", message=result.error.message)
                warning = True
            elif result.error is not None:
                entry.update(status="unavailable", message=result.error.message)
                unavailable = True
            entry["seconds"] = round(result.time_taken, 3)
            report[result.check.name] = entry
        status = "unavailable" if unavailable else "warning" if warning else "ok"
        return JsonResponse({"status": status, "checks": report}, status=503 if unavailable else 200)
