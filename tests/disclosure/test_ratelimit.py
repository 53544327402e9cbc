"""disclosure.ratelimit: a fixed window per client address on the anonymous portal."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory

from disclosure import ratelimit
from warning_system import ratelimit as counters

pytestmark = pytest.mark.django_db

WINDOW_START = 30_000_000 * 60  # a minute boundary
NOW = WINDOW_START + 15.3  # 44.7 s left in the window


@pytest.fixture
def clock(monkeypatch):
    """The limiter's clock, fixed (and movable) so a test never straddles a window boundary."""
    state = SimpleNamespace(now=NOW)
    monkeypatch.setattr(counters, "time", SimpleNamespace(time=lambda: state.now))
    return state


@pytest.fixture
def three_a_minute(settings, clock):
    settings.PUBLIC_RATE_LIMIT = "3/minute"
    settings.NUM_PROXIES = 0
    return clock


def visit(client, path="/search", **meta):
    return client.get(path, **{"REMOTE_ADDR": "198.51.100.7", **meta})


# --------------------------------------------------------------------------- the middleware


def test_the_fourth_request_of_a_client_in_a_window_is_refused(client, three_a_minute):
    statuses = [visit(client).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_a_refused_request_says_when_to_retry(client, three_a_minute):
    for _ in range(3):
        visit(client)

    response = visit(client)

    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Retry-After"] == "45"


def test_a_refused_request_explains_itself_in_chinese(client, three_a_minute):
    for _ in range(3):
        visit(client)

    body = visit(client).content.decode()

    assert "访问过于频繁" in body
    assert "请于 45 秒后再试" in body


def test_another_client_address_is_not_limited(client, three_a_minute):
    for _ in range(4):
        visit(client)

    assert visit(client, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_the_count_starts_again_in_the_next_window(client, three_a_minute):
    for _ in range(4):
        visit(client)

    three_a_minute.now = WINDOW_START + 60

    assert visit(client).status_code == 200


@pytest.mark.parametrize("path", ["/static/css/site.css", "/api/v1/search?q=赣江", "/admin/login/"])
def test_exempt_paths_are_neither_limited_nor_counted(client, three_a_minute, path):
    exempt = [visit(client, path).status_code for _ in range(5)]

    portal = [visit(client).status_code for _ in range(3)]

    assert 429 not in exempt
    assert portal == [200, 200, 200]


def test_x_forwarded_for_is_ignored_without_trusted_proxies(client, three_a_minute):
    for n in range(3):
        visit(client, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert visit(client, HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(client, three_a_minute, settings):
    settings.NUM_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(3):
        visit(client, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy)

    assert visit(client, HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy).status_code == 200
    assert visit(client, HTTP_X_FORWARDED_FOR="192.0.2.1", **proxy).status_code == 429


# --------------------------------------------------------------------------- client_address


def request_from(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_proxies_the_client_is_the_remote_address(settings):
    settings.NUM_PROXIES = 0

    assert ratelimit.client_address(request_from("10.0.0.1", "192.0.2.1")) == "10.0.0.1"


def test_with_one_proxy_the_client_is_the_address_it_appended(settings):
    settings.NUM_PROXIES = 1

    # The client wrote the first entry itself; our proxy appended the address it saw.
    assert ratelimit.client_address(request_from("10.0.0.1", "6.6.6.6, 192.0.2.1")) == "192.0.2.1"


def test_with_two_proxies_the_client_is_the_address_the_outer_one_appended(settings):
    settings.NUM_PROXIES = 2

    assert ratelimit.client_address(request_from("10.0.0.2", "6.6.6.6, 192.0.2.1, 10.0.0.1")) == "192.0.2.1"


def test_with_a_proxy_but_no_forwarded_header_the_client_is_the_remote_address(settings):
    settings.NUM_PROXIES = 1

    assert ratelimit.client_address(request_from("10.0.0.1")) == "10.0.0.1"


# --------------------------------------------------------------------------- parse_rate, hit


@pytest.mark.parametrize(
    ("rate", "parsed"),
    [
        ("10/second", (10, 1)),
        ("100/hour", (100, 3600)),
        ("120/minute", (120, 60)),
        ("5000/day", (5000, 86400)),
    ],
)
def test_parse_rate_reads_count_and_period(rate, parsed):
    assert ratelimit.parse_rate(rate) == parsed


def test_hit_allows_up_to_the_limit_and_then_gives_the_seconds_left_rounded_up():
    answers = [ratelimit.hit("198.51.100.7", 2, 60, now=NOW) for _ in range(3)]

    assert answers == [0, 0, 45]


def test_hit_at_the_start_of_a_window_asks_to_wait_the_whole_window():
    ratelimit.hit("198.51.100.7", 1, 60, now=WINDOW_START)

    assert ratelimit.hit("198.51.100.7", 1, 60, now=WINDOW_START) == 60


def test_hit_counts_each_key_separately():
    ratelimit.hit("198.51.100.7", 1, 60, now=NOW)

    assert ratelimit.hit("198.51.100.8", 1, 60, now=NOW) == 0
