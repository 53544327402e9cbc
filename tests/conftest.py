"""Project-wide fixtures. Browser tests drive Debian's Chromium through Playwright (never a
browser Playwright downloads itself); without Chromium they skip, saying why."""

import os
import shutil

import pytest

# live_server and Playwright's sync API share the test thread, which runs an event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.skip("Debian chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The city's users read Chinese: ask for it, as their browsers do (LocaleMiddleware listens).
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture(autouse=True, scope="session")
def tasks_run_in_process():
    """Tasks run in the test process even where REDIS_URL names a broker: no worker consumes it
    here (bench/classify measures the worker path)."""
    from warning_system.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = eager


# Tables a test that empties the database (a live server's flush, a TRUNCATE) must not leave empty for
# the tests after it: what the migrations seeded, read once when the test database is made.
SEEDED_BY_MIGRATIONS_EXCLUDED = {
    "contenttypes",
    "auth",
    "sessions",
    "admin",
    "axes",
    "otp_totp",
    "otp_static",
}


@pytest.fixture(scope="session")
def migration_seeds(django_db_setup, django_db_blocker) -> list[tuple[type, str]]:
    """Each model the migrations gave rows (default rulesets, catalogues, policies), with those rows."""
    from django.apps import apps
    from django.core import serializers

    seeds = []
    with django_db_blocker.unblock():
        for model in apps.get_models():
            meta = model._meta
            if meta.app_label in SEEDED_BY_MIGRATIONS_EXCLUDED or not meta.managed or meta.proxy:
                continue
            if model.objects.exists():
                seeds.append((model, serializers.serialize("json", model.objects.all())))
    return seeds


@pytest.fixture(autouse=True)
def seeded_rows_present(request):
    """Every database test starts with the migrations' seed rows, whatever an earlier test emptied."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        return
    from django.core import serializers
    from django.core.management.color import no_style
    from django.db import connection

    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    for model, rows in request.getfixturevalue("migration_seeds"):
        if not model.objects.exists():
            for row in serializers.deserialize("json", rows):
                row.save()
            # The flush restarted the table's sequence: move it past the rows put back.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(statement)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Factories give every regulator a password: PBKDF2's million iterations would cost ~0.3 s
    each, which the permission matrix's hundreds of logins turn into minutes. What is tested is
    who may do what, not the hasher (Django's own tests cover it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with an empty cache of its own (rate-limit counters, page fragments), in
    memory even where REDIS_URL names a server, and no process-local copy of the measures catalogue."""
    from django.core.cache import cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "chrome": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "chrome"},
    }
    from warning_system.sanctions.selectors import forget_local_measures

    cache.clear()
    forget_local_measures()
    yield
    cache.clear()
    forget_local_measures()


@pytest.fixture
def admin_client(client, admin_user):
    """Django's admin_client, past the TOTP step the admin site requires."""
    from tests.auth import otp_verify

    client.force_login(admin_user)
    otp_verify(client, admin_user)
    return client


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """Browser tests empty the tables with TRUNCATE; the audit trail allows it only where this is set."""
    from django.db import connections

    options = connections["default"].settings_dict.setdefault("OPTIONS", {})
    options["options"] = (options.get("options", "") + " -c audit.allow_truncate=on").strip()


@pytest.fixture(autouse=True)
def no_audit_anchor_file(settings):
    """Anchoring in a test never appends to the developer's var/audit-anchors.jsonl."""
    settings.AUDIT_ANCHOR_FILE = None


@pytest.fixture
def reference_data(db):
    """Departments, districts and the post-licence catalogue, as `load_reference_data` loads them."""
    from warning_system.registry.services import reference_data_load

    reference_data_load()


@pytest.fixture
def push_records(reference_data):
    """Push records of one kind as SCJG through the real pipeline, without running what their
    commit schedules (no drain of the evaluation outbox): as if the process died right after."""
    import json

    from collectors.parsers import parse_push_body
    from collectors.services import batch_ingest
    from warning_system.registry.models import Department

    department = Department.objects.get(code="SCJG")

    def push(kind: str, records: list[dict]):
        items, _ = parse_push_body(json.dumps(records, ensure_ascii=False).encode(), "application/json", kind)
        return batch_ingest(department=department, kind=kind, items=items, channel="push")

    return push
