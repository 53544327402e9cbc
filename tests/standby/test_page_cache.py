"""A subject page read from a standby that has not yet replayed the change that made its version is
served but not stored (disclosure/page_cache.py): otherwise the change would stay hidden until the
body expires."""

import time

import pytest

from disclosure import page_cache
from tests.factories import make_uscc
from warning_system import standby


@pytest.fixture
def read_on_standby():
    def as_of(moment: float):
        return standby._reads.set(standby.RequestReads(eligible=True, alias="standby1", as_of=moment))

    return as_of


def test_a_page_read_from_a_standby_behind_its_version_is_not_stored(read_on_standby):
    uscc = make_uscc()
    page_cache.drop([uscc])
    stamp, _ = page_cache.lookup(uscc, "zh-hans")
    token = read_on_standby(time.time() - 10)
    try:
        page_cache.store(uscc, "zh-hans", stamp, {"html": "old"})
    finally:
        standby._reads.reset(token)
    assert page_cache.lookup(uscc, "zh-hans")[1] is None


def test_a_page_read_from_a_standby_past_its_version_is_stored(read_on_standby):
    uscc = make_uscc()
    page_cache.drop([uscc])
    stamp, _ = page_cache.lookup(uscc, "zh-hans")
    token = read_on_standby(time.time() + 1)
    try:
        page_cache.store(uscc, "zh-hans", stamp, {"html": "current"})
    finally:
        standby._reads.reset(token)
    assert page_cache.lookup(uscc, "zh-hans")[1] == {"html": "current"}


def test_a_page_read_from_the_primary_is_stored():
    uscc = make_uscc()
    page_cache.drop([uscc])
    stamp, _ = page_cache.lookup(uscc, "zh-hans")
    page_cache.store(uscc, "zh-hans", stamp, {"html": "current"})
    assert page_cache.lookup(uscc, "zh-hans")[1] == {"html": "current"}
