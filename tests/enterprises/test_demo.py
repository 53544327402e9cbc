"""manage.py create_demo_enterprise: an account for a yellow subject with a repairable record, and an
activation code for another."""

from io import StringIO

import pytest
from django.core.management import call_command

from tests.enterprises.conftest import yellow_subject
from warning_system.accounts.models import EnterpriseAccount
from warning_system.accounts.services import enterprise_activate


@pytest.fixture
def two_yellow(reference_data):
    return sorted([yellow_subject("CF-DEMO-1"), yellow_subject("CF-DEMO-2")])


def run() -> str:
    out = StringIO()
    call_command("create_demo_enterprise", stdout=out)
    return out.getvalue()


def test_it_opens_the_demo_account_for_a_repairable_yellow_subject(two_yellow):
    run()
    account = EnterpriseAccount.objects.get(user__username="qiye_demo")
    assert (account.subject_id, account.user.check_password("demo-2026")) == (two_yellow[0], True)


def test_the_code_it_prints_opens_the_other_subjects_account(two_yellow):
    line = next(line for line in run().splitlines() if line.startswith("激活码"))
    code = line.split("：")[0].split()[1]
    assert enterprise_activate(uscc=two_yellow[1], code=code, username="qiye2", password="Qiye-pass-2026")


def test_running_it_again_keeps_the_account(two_yellow):
    run()
    run()
    assert EnterpriseAccount.objects.filter(user__username="qiye_demo").count() == 1
