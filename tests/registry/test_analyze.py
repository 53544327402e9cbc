"""After a load the planner gets fresh statistics, also when the tables are analysed in parallel."""

import time

import pytest
from django.db import connection

from warning_system.registry.loading import analyze_tables

WANTED = ("registry_penalty", "registry_license", "registry_subject")


def analyse_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT relname, analyze_count FROM pg_stat_user_tables")
        return dict(cursor.fetchall())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("parallel", [1, 2])
def test_the_kinds_tables_and_the_subjects_are_analysed(parallel):
    before = analyse_counts()

    analyze_tables({"penalty", "license"}, parallel=parallel)

    for _ in range(50):  # a closed connection's statistics reach the others a moment later
        after = analyse_counts()
        if all(after.get(t, 0) > before.get(t, 0) for t in WANTED):
            break
        time.sleep(0.1)
    assert [t for t in WANTED if after.get(t, 0) <= before.get(t, 0)] == []
