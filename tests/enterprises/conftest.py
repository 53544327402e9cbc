"""Fixtures of the enterprises' side: a yellow subject with a fine it may apply to repair, its
account, and a second enterprise to prove neither reaches the other."""

import pytest
from django.test import Client

from tests.factories import StaffFactory
from tests.supervision.feeds import days_ago, fine, push, register, stored
from warning_system.accounts.services import activation_code_issue, enterprise_activate
from warning_system.classification.models import SubjectColour
from warning_system.registry.models import Department
from warning_system.registry.services import reference_data_load

PASSWORD = "Qiye-pass-2026"


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    return settings.EVIDENCE_ROOT


@pytest.fixture
def reference_data(db):
    reference_data_load()


@pytest.fixture
def staff_of(reference_data):
    def make(department_code: str, role: str = "staff"):
        return StaffFactory(department=Department.objects.get(code=department_code), role=role)

    return make


def yellow_subject(record_id: str) -> str:
    """Registered by SCJG, yellow for an ordinary SCJG fine decided 200 days ago (repairable after 6 months)."""
    uscc = register()
    push("SCJG", "penalty", [fine(uscc, record_id, decided_on=days_ago(200))])
    assert SubjectColour.objects.get(subject_id=uscc).colour == "yellow"
    return uscc


def open_account(uscc: str, username: str):
    code = activation_code_issue(uscc=uscc)
    return enterprise_activate(uscc=uscc, code=code, username=username, password=PASSWORD)


@pytest.fixture
def yellow(reference_data) -> str:
    return yellow_subject("CF-OLD")


@pytest.fixture
def account(yellow):
    return open_account(yellow, "qiye_a")


@pytest.fixture
def other_account(reference_data):
    return open_account(yellow_subject("CF-B"), "qiye_b")


@pytest.fixture
def enterprise_client(account) -> Client:
    client = Client()
    client.force_login(account.user)
    return client


@pytest.fixture
def record(yellow):
    return stored("penalty", "SCJG", "CF-OLD")
