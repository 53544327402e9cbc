"""The workspace home says whether the published colours are known to be true."""

import pytest

from tests.auth import log_in
from warning_system.classification.models import ColourVerification
from warning_system.registry.services import subjects_mark_for_evaluation

pytestmark = pytest.mark.django_db


def home(client, staff_of) -> str:
    log_in(client, staff_of("SCJG"))
    return client.get("/supervision/").content.decode()


def test_the_home_shows_the_last_verification_with_its_differences_and_fixes(client, staff_of):
    ColourVerification.objects.create(as_of="2026-12-05", evaluated=20000, differing=3, fixed=3)
    page = home(client, staff_of)
    assert "重新计算 20000 个主体" in page and "3 个主体不一致，已修正 3 个" in page


def test_the_home_says_all_agreed_when_nothing_differed(client, staff_of):
    ColourVerification.objects.create(as_of="2026-12-05", evaluated=500, differing=0)
    assert "全部一致" in home(client, staff_of)


def test_the_home_says_when_no_verification_has_run_yet(client, staff_of):
    assert "尚未运行颜色核验" in home(client, staff_of)


def test_the_home_counts_the_subjects_waiting_for_evaluation(client, staff_of):
    subjects_mark_for_evaluation(usccs=["91360102MA3AY4CL6J", "91360102MA3AY4CL7J"])
    assert "待重新评价颜色的主体：2 个" in home(client, staff_of)
