"""Schemathesis against the API's own OpenAPI document, read from the application as a developer reads
it: every operation, with requests generated from the schema (valid and invalid ones, other methods,
missing keys), sent through the project's WSGI application with a real institution key.

No answer may be a server error; every answer must be one the document describes (status, content
type, headers, body); a request the document calls invalid must be refused. Schemathesis's one other
check, that every request the document allows is accepted, cannot hold for this API and is left
out: a code with a wrong check character, or an unknown use of a joint-punishment check, fits any
schema and is rightly a 400.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from disclosure.services.api_keys import api_key_issue

SCHEMA_PATH = "/api/v1/schema"
APP = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, APP)


@pytest.fixture(autouse=True)
def served_in_this_transaction(db, settings):
    """The WSGI application as a server runs it, inside this test's transaction: Django closes the
    database connection after each request, which would end the transaction (its test client keeps
    it open the same way). No per-key limit cuts the generated calls short."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"institution": "1000000/minute"},
    }
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key(db) -> str:
    return api_key_issue("南昌测试银行")[1]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same requests on every run: a failure repeats
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented(case, key):
    # The generated token becomes the real key; a case without one tests the refusal of a missing key.
    if "Authorization" in (case.headers or {}):
        case.headers["Authorization"] = f"Bearer {key}"
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
