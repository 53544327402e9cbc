"""A session-level PostgreSQL advisory lock on a connection of its own.

Django's connections are closed before a whole-city pass forks its workers; a lock taken on
one of them would silently go with it. This lock lives on its own connection, so it is held
exactly as long as the `with` block runs, and the server frees it if the process dies.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections


@contextmanager
def advisory_lock(name: str, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[bool]:
    """Try to take the lock `name` (never waits); yields whether it was taken."""
    params = connections[using].get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        held = conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [name]).fetchone()[0]
        try:
            yield held
        finally:
            if held:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", [name])
