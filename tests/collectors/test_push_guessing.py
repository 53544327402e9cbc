"""Guessing department push tokens: an address that sends CREDENTIAL_FAILURE_LIMIT wrong tokens in a
minute is refused every token until the minute ends (429, Retry-After, the push API's error shape)."""

import json
from types import SimpleNamespace

import pytest

from collectors.services import department_token_issue
from tests.factories import make_uscc, penalty
from warning_system import ratelimit
from warning_system.registry.models import Department

pytestmark = pytest.mark.django_db

WINDOW_START = 30_000_000 * 60  # a minute boundary
ATTACKER, DEPARTMENT = "203.0.113.9", "10.20.0.5"


@pytest.fixture
def clock(monkeypatch, settings):
    """A fixed clock 15 s into a minute; ten failures a minute allowed."""
    settings.CREDENTIAL_FAILURE_LIMIT = "10/minute"
    settings.NUM_PROXIES = 0
    state = SimpleNamespace(now=WINDOW_START + 15)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: state.now))
    return state


@pytest.fixture
def token(reference_data) -> str:
    return department_token_issue(department=Department.objects.get(code="SCJG"))


def push(client, token: str, address: str = ATTACKER):
    body = json.dumps([penalty(make_uscc(), "P1")], ensure_ascii=False)
    return client.post(
        "/api/v1/feeds/penalty", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}",
        REMOTE_ADDR=address,
    )  # fmt: skip


def guess(client, times: int) -> list[int]:
    return [push(client, f"dt_guess{n:04d}").status_code for n in range(times)]


def test_wrong_tokens_from_one_address_get_429_after_the_first_ten(client, clock):
    assert guess(client, 30) == [401] * 10 + [429] * 20


def test_the_refusal_says_when_to_retry_in_the_push_apis_error_shape(client, clock):
    guess(client, 10)

    response = push(client, "dt_another_guess")

    assert response["Retry-After"] == "45"
    assert response.json()["error"]["code"] == "rate_limited"


def test_a_right_token_from_the_refused_address_is_refused_too(client, clock, token):
    guess(client, 10)

    assert push(client, token).status_code == 429


def test_a_right_token_from_another_address_still_pushes(client, clock, token):
    guess(client, 30)

    assert push(client, token, address=DEPARTMENT).status_code == 200
