"""Forked worker processes and the database: each child opens connections of its own."""

from __future__ import annotations

import contextlib

from django.db import connections


def drop_inherited_connections() -> None:
    """Run first in a forked child: forget the database connections inherited from the parent,
    without closing them.

    Their sockets are the parent's: a query here would interleave two processes' messages on one
    socket (PostgreSQL: "lost synchronization with server"), and closing one would end the
    parent's session. The parent closes its connections before forking, but only those its
    current context sees: under Playwright's sync API (the browser tests) Django keeps the main
    thread's connections in a context variable, and the thread-local ones opened earlier stay
    open and reach the child. psycopg never finishes a connection in a process other than the one
    that opened it, so the objects dropped here end quietly; the child connects on first use.
    """
    for alias in connections:
        with contextlib.suppress(AttributeError):  # never used in the parent
            del connections[alias]
