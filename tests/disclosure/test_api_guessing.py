"""Guessing API keys: an address that sends CREDENTIAL_FAILURE_LIMIT wrong keys in a minute is refused
every key until the minute ends, in the API's usual error shape, with Retry-After."""

from types import SimpleNamespace

import pytest

from disclosure.services.api_keys import api_key_issue
from warning_system import ratelimit

pytestmark = pytest.mark.django_db

API = "/api/v1/search"
WINDOW_START = 30_000_000 * 60  # a minute boundary
ATTACKER, BANK = "203.0.113.9", "198.51.100.20"


@pytest.fixture
def clock(monkeypatch, settings):
    """A fixed clock 15 s into a minute, so no test straddles a window; ten failures a minute allowed."""
    settings.CREDENTIAL_FAILURE_LIMIT = "10/minute"
    settings.NUM_PROXIES = 0
    state = SimpleNamespace(now=WINDOW_START + 15)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: state.now))
    return state


@pytest.fixture
def key() -> str:
    return api_key_issue("南昌测试银行")[1]


def call(client, key: str, address: str = ATTACKER):
    return client.get(API, {"q": "南昌"}, HTTP_AUTHORIZATION=f"Bearer {key}", REMOTE_ADDR=address)


def guess(client, times: int) -> list[int]:
    return [call(client, f"wsk_guess{n:04d}_{'x' * 32}").status_code for n in range(times)]


def test_300_wrong_keys_from_one_address_get_429_after_the_first_ten(client, clock):
    assert guess(client, 300) == [401] * 10 + [429] * 290


def test_the_refusal_is_the_apis_json_error_with_retry_after(client, clock):
    guess(client, 10)

    response = call(client, "wsk_another_guess")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "rate_limited"
    assert "无效 API 密钥过多" in response.json()["error"]["message"]
    assert response["Retry-After"] == "45"


def test_a_right_key_from_the_refused_address_is_refused_too(client, clock, key):
    guess(client, 10)

    assert call(client, key).status_code == 429


def test_a_right_key_from_another_address_still_works(client, clock, key):
    guess(client, 300)

    assert call(client, key, address=BANK).status_code == 200


def test_the_address_may_try_again_when_the_minute_ends(client, clock, key):
    guess(client, 10)
    clock.now += 45

    assert call(client, key).status_code == 200


def test_calls_without_a_key_are_not_counted_as_guesses(client, clock, key):
    for _ in range(20):
        client.get(API, {"q": "南昌"}, REMOTE_ADDR=ATTACKER)

    assert call(client, key).status_code == 200
