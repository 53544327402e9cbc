"""Public reads on PostgreSQL hot standbys (DATABASE_REPLICA_URLS), everything else on the primary.

The portal and the API are almost all reads, and the same few pages for everyone: a standby can
serve them while the primary keeps its cores for ingest and the colour engine. Which requests may
read from a standby is decided per request, never per query: `StandbyReadsMiddleware` marks the
safe (GET, HEAD) requests whose view belongs to a namespace of STANDBY_READ_NAMESPACES (the
portal, its API) and `StandbyRouter` reads the mark from a context variable. The workspace, the
admin, the departments' push channel, every write, every read inside a transaction and every read
after the request wrote stay on the primary, as do the tables of logins and sessions.

A standby is used only while it is close behind: its lag (`now() - pg_last_xact_replay_timestamp()`,
or none when it has replayed all it received and still streams, as on an idle primary) is measured
at most once a second per process and must stay within DATABASE_REPLICA_MAX_LAG_SECONDS. A standby
that lags, cannot be reached or fails mid-request is left for the primary; a safe request whose
query failed on a standby is answered again from the primary, so its visitor sees no error.

A visitor who just wrote (a credit report issued, a watchlist changed through the API) reads from
the primary for as long as a standby may lag: browsers carry a short cookie, API clients are
remembered by their key's digest in the shared cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import random
import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

PRIMARY = "default"
# Tables a visitor's own earlier request may have just written (sessions, logins, lockouts, TOTP):
# always read where they were written.
PRIMARY_ONLY_APPS = frozenset({"sessions", "auth", "axes", "otp_totp", "django_otp", "admin", "contenttypes"})
PIN_COOKIE = "ws_primary"
SAFE_METHODS = frozenset({"GET", "HEAD"})
# How long a measured state is trusted; an unreachable standby is asked again only after this long.
STATE_SECONDS = 1.0
DOWN_SECONDS = 5.0

_LAG_SQL = """
SELECT pg_is_in_recovery(),
       pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming'),
       extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()),
       extract(epoch FROM pg_last_xact_replay_timestamp()),
       extract(epoch FROM clock_timestamp())
"""


@dataclass(frozen=True)
class StandbyState:
    """One measurement of one standby. `as_of`: the moment (epoch seconds) up to which every commit
    of the primary is visible on it; None when it is not usable."""

    alias: str
    usable: bool
    lag: float | None
    as_of: float | None
    checked_at: float
    reason: str = ""


@dataclass
class RequestReads:
    """Where the current request reads: decided once, on its first read."""

    eligible: bool = False
    alias: str | None = None
    as_of: float | None = None
    wrote: bool = False
    failed: bool = False
    routed: int = 0  # reads sent to a standby (tests, the bench)


_reads: ContextVar[RequestReads | None] = ContextVar("standby_reads", default=None)
_states: dict[str, StandbyState] = {}


def aliases() -> list[str]:
    return list(getattr(settings, "STANDBY_DATABASES", ()))


def measure(alias: str) -> StandbyState:
    """Ask the standby how far behind it is (one query on its own connection)."""
    now = time.time()
    limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            in_recovery, caught_up, lag, replayed_at, server_now = cursor.fetchone()
    except DatabaseError as error:
        with contextlib.suppress(Exception):
            connections[alias].close()
        logger.warning("standby %s unreachable: %s", alias, type(error).__name__)
        return StandbyState(alias, False, None, None, now, "unreachable")
    if not in_recovery:
        # A promoted standby has its own history now: never read the primary's data from it.
        return StandbyState(alias, False, None, None, now, "not in recovery")
    if caught_up:
        return StandbyState(alias, True, 0.0, float(server_now), now)
    if lag is None:
        # Behind, and no transaction replayed since it started: how far is unknown.
        return StandbyState(alias, False, None, None, now, "lagging")
    lag = max(float(lag), 0.0)
    if lag > limit:
        return StandbyState(alias, False, lag, None, now, "lagging")
    return StandbyState(alias, True, lag, float(replayed_at), now)


def state(alias: str) -> StandbyState:
    """The standby's state as measured at most STATE_SECONDS ago in this process (DOWN_SECONDS for
    one that could not be reached: a host that times out is not waited for on every request)."""
    known = _states.get(alias)
    now = time.time()
    if known is not None:
        ttl = DOWN_SECONDS if known.reason == "unreachable" else STATE_SECONDS
        if now - known.checked_at < ttl:
            return known
    _states[alias] = fresh = measure(alias)
    return fresh


def mark_down(alias: str) -> None:
    _states[alias] = StandbyState(alias, False, None, None, time.time(), "unreachable")
    with contextlib.suppress(Exception):
        connections[alias].close()


def forget_states() -> None:
    _states.clear()


def states() -> list[StandbyState]:
    return [state(alias) for alias in aliases()]


def _choose() -> tuple[str, float | None]:
    usable = [s for s in (state(a) for a in aliases()) if s.usable]
    if not usable:
        return PRIMARY, None
    chosen = random.choice(usable)
    return chosen.alias, chosen.as_of


def current() -> RequestReads | None:
    return _reads.get()


def reads_as_of() -> float | None:
    """For caches filled from this request: the moment its data is current as of (epoch seconds), or
    None when it reads the primary (current now)."""
    reads = _reads.get()
    if reads is None or reads.alias in (None, PRIMARY):
        return None
    return reads.as_of


def read_alias() -> str:
    """Where the current request reads: a standby for a marked request (chosen on its first read),
    else the primary. Raw SQL of the portal asks here for its connection (`connections[read_alias()]`):
    the router sees only the ORM's queries."""
    reads = _reads.get()
    if reads is None or not reads.eligible or reads.wrote or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if reads.alias is None:
        reads.alias, reads.as_of = _choose()
    if reads.alias != PRIMARY:
        reads.routed += 1
    return reads.alias


class StandbyRouter:
    """Reads of a marked request go to a usable standby; every write, and every read in a transaction
    or after a write of the same request, to the primary."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return None
        alias = read_alias()
        return None if alias == PRIMARY else alias

    def db_for_write(self, model, **hints):
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db not in aliases()


def _namespace(request) -> str:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    return match.namespaces[0] if match.namespaces else ""


def _api_pin_key(request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    return "standby-pin:" + hashlib.sha256(header.encode("latin-1", "replace")).hexdigest()


def _pin_seconds() -> int:
    return int(settings.DATABASE_REPLICA_MAX_LAG_SECONDS + STATE_SECONDS) + 1


def _pinned(request) -> bool:
    if request.COOKIES.get(PIN_COOKIE):
        return True
    key = _api_pin_key(request)
    if key is None:
        return False
    try:
        return bool(cache.get(key))
    except Exception:  # the cache is down: the request is served all the same, from the primary
        return True


class StandbyReadsMiddleware:
    """Marks the portal's and the API's safe requests as readable from a standby (nothing to do, and
    nothing done, without DATABASE_REPLICA_URLS); answers such a request again from the primary when
    its standby failed under it; after an unsafe request, pins its visitor to the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not aliases():
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        eligible = safe and not _pinned(request) and _namespace(request) in settings.STANDBY_READ_NAMESPACES
        reads = RequestReads(eligible=eligible)
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
            if reads.failed:
                # The standby went away mid-request: a safe request is answered again, on the primary.
                logger.warning("standby %s failed mid-request; answered from the primary", reads.alias)
                mark_down(reads.alias)
                _reads.set(RequestReads(eligible=False))
                response = self.get_response(request)
        finally:
            _reads.reset(token)
        if not safe and _namespace(request) in settings.STANDBY_READ_NAMESPACES:
            seconds = _pin_seconds()
            response.set_cookie(PIN_COOKIE, "1", max_age=seconds, httponly=True, samesite="Lax")
            if key := _api_pin_key(request):
                with contextlib.suppress(Exception):
                    cache.set(key, 1, timeout=seconds)
        return response

    def process_exception(self, request, exception):
        reads = _reads.get()
        if (
            reads is not None
            and reads.eligible
            and reads.alias not in (None, PRIMARY)
            and isinstance(exception, OperationalError | InterfaceError)
        ):
            reads.failed = True
            # A stand-in: __call__ answers the request again from the primary instead.
            return HttpResponse(status=503)
        return None
