"""A small demo city as `make run` builds it (reference data, demo staff, a generated city collected
through the inbox, colours, the month's assessment, then `seed_demo`): once per test module that
imports the `demo_city` fixture, in a transaction rolled back at the module's end (each test runs in
a savepoint inside it). Helpers only, no tests here."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from warning_system.registry.services import reference_data_load

SUBJECTS = 400


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", "--force", "--joint-checks", "40", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    quiet = io.StringIO()
    inbox = tmp_path_factory.mktemp("demo") / "inbox"
    with django_db_blocker.unblock(), transaction.atomic():
        reference_data_load()
        call_command("create_demo_staff", "--force", stdout=quiet)
        call_command("generate_city", "--subjects", str(SUBJECTS), "--seed", "2020", "--out", str(inbox),
                     "--workers", "1", stdout=quiet)  # fmt: skip
        call_command("collect_inbox", "--inbox", str(inbox), "--workers", "1", stdout=quiet)
        call_command("classify", "--all", stdout=quiet)
        call_command("assess_departments", "--month", "current", stdout=quiet)
        call_command("dual_advance", "--sweep", stdout=quiet)
        seed_demo()
        yield
        transaction.set_rollback(True)
