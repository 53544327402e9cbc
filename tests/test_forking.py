"""A forked worker never talks over a database connection its parent opened."""

import multiprocessing

import pytest
from django.db import connection

from warning_system.forking import drop_inherited_connections


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_forked_worker_opens_its_own_connection_and_the_parents_keeps_working():
    parent = backend_pid()  # open in the parent across the fork

    with multiprocessing.get_context("fork").Pool(1, initializer=drop_inherited_connections) as pool:
        child = pool.apply(backend_pid)

    assert child != parent
    assert backend_pid() == parent
