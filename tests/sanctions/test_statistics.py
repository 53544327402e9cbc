"""The statistics of 联合惩戒: distinct enterprises disqualified per use and year (from reported
outcomes that applied a restriction), checks per use and outcome, per asker, and the public figures."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from tests.sanctions import world
from warning_system.sanctions import selectors, services
from warning_system.sanctions.models import JointCheck
from warning_system.sanctions.services import Requester

pytestmark = pytest.mark.django_db

LAST_YEAR = date(timezone.localdate().year - 1, 6, 1)


def check_and_report(uscc: str, use: str, action: str, asker: Requester) -> JointCheck:
    check = services.subject_check(uscc=uscc, use=use, requester=asker).check
    return services.outcome_report(check=check, action=action, requester=asker)


@pytest.fixture
def reported(reference_data, asker):
    """Last year: A refused a bid twice (two checks), B refused a bid. This year: A refused a bid and
    credit, C checked and not refused, D checked and never answered."""
    a, b, c, d = world.red(), world.red(), world.red(), world.orange()
    with time_machine.travel(LAST_YEAR):
        check_and_report(a, "bidding", "bid_rejected", asker)
        check_and_report(a, "bidding", "bid_rejected", asker)
        check_and_report(b, "bidding", "bid_rejected", asker)
    check_and_report(a, "bidding", "bid_rejected", asker)
    check_and_report(a, "financing", "credit_denied", asker)
    check_and_report(c, "honour", "none", asker)
    services.subject_check(uscc=d, use="procurement", requester=asker)
    return a, b, c, d


def test_disqualified_counts_distinct_subjects_per_use_and_year(reported):
    rows = {row.year: row.counts for row in selectors.disqualified_by_year()}
    assert rows == {
        timezone.localdate().year: {"bidding": 1, "financing": 1},
        LAST_YEAR.year: {"bidding": 2},
    }


def test_disqualified_rows_come_newest_year_first_with_a_cell_per_use(reported):
    rows = selectors.disqualified_by_year()
    assert [row.year for row in rows] == [timezone.localdate().year, LAST_YEAR.year]
    assert rows[0].cells == [0, 1, 0, 0, 1, 0, 0]


def test_checks_per_use_count_outcomes_answers_and_restrictions(reported):
    by_use = {row.use: row for row in selectors.checks_by_use(JointCheck.objects.all())}
    assert (by_use["bidding"].restricted, by_use["bidding"].applied) == (4, 4)
    assert (by_use["honour"].restricted, by_use["honour"].reported, by_use["honour"].applied) == (1, 1, 0)
    assert (by_use["procurement"].total, by_use["procurement"].reported) == (1, 0)
    assert by_use["listing"].total == 0


def test_checks_per_asker(reported):
    bank = Requester.of_institution(institution_id=1, label="南昌银行", api_key_id=None)
    services.subject_check(uscc=reported[0], use="financing", requester=bank)
    rows = {row.label: (row.checks, row.restricted, row.applied) for row in selectors.checks_by_requester(
        JointCheck.objects.all())}  # fmt: skip
    assert rows == {"南昌市市场监督管理局": (7, 7, 5), "南昌银行": (1, 1, 0)}


def test_the_statistics_are_one_query_each(reported, django_assert_num_queries):
    selectors.uses_in_effect()  # the columns: the catalogue in force, read once and cached
    with django_assert_num_queries(1):
        selectors.disqualified_by_year()
    with django_assert_num_queries(1):
        selectors.checks_by_use(JointCheck.objects.all())
    with django_assert_num_queries(1):
        selectors.checks_by_requester(JointCheck.objects.all())


def test_the_public_statistics_page_shows_the_figures_without_names(client, reported):
    page = client.get("/statistics").content.decode()
    section = page[page.index('id="joint-punishment"') :]
    assert f'<th scope="row">{LAST_YEAR.year}</th>' in section
    assert "招标投标" in section
    names = JointCheck.objects.values_list("subject_name", flat=True)
    assert not any(name in section for name in names)
