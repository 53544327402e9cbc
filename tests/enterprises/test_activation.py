"""Enterprise accounts: a one-time activation code from the registration authority (expiring, single
use, stored hashed, audited), then a password Django's validators accept; one account per enterprise."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.auth import log_in
from tests.enterprises.conftest import PASSWORD
from warning_system.accounts.identity import code_hash
from warning_system.accounts.models import ActivationCode, EnterpriseAccount
from warning_system.accounts.services import ActivationError, activation_code_issue, enterprise_activate
from warning_system.audit.models import Action, AuditEntry


def activate(uscc, code, username="qiye", password=PASSWORD):
    return enterprise_activate(uscc=uscc, code=code, username=username, password=password)


def test_a_code_opens_the_enterprises_account(yellow):
    account = activate(yellow, activation_code_issue(uscc=yellow))
    assert (account.subject_id, account.user.check_password(PASSWORD)) == (yellow, True)


def test_a_code_works_once(yellow):
    code = activation_code_issue(uscc=yellow)
    activate(yellow, code)
    with pytest.raises(ActivationError):
        activate(yellow, code, username="second")


def test_an_expired_code_is_refused(yellow):
    code = activation_code_issue(uscc=yellow)
    ActivationCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ActivationError, match="过期"):
        activate(yellow, code)


def test_a_code_of_another_enterprise_is_refused(yellow, other_account):
    code = activation_code_issue(uscc=other_account.subject_id)
    with pytest.raises(ActivationError):
        activate(yellow, code)


def test_the_code_is_stored_only_as_a_keyed_hash(yellow):
    code = activation_code_issue(uscc=yellow)
    stored = ActivationCode.objects.get()
    assert (stored.code_hash == code_hash(code), code.replace("-", "") in stored.code_hash) == (True, False)


def test_a_code_typed_in_lower_case_without_hyphens_works(yellow):
    code = activation_code_issue(uscc=yellow)
    assert activate(yellow, code.replace("-", "").lower()).subject_id == yellow


def test_a_weak_password_is_refused_and_the_code_stays_usable(yellow):
    code = activation_code_issue(uscc=yellow)
    with pytest.raises(ActivationError):
        activate(yellow, code, password="12345678")
    assert activate(yellow, code).subject_id == yellow


def test_a_second_account_for_the_same_enterprise_is_refused(account):
    with pytest.raises(ActivationError, match="已开通"):
        activate(account.subject_id, activation_code_issue(uscc=account.subject_id), username="again")


def test_issuing_and_activating_are_audited(yellow):
    activate(yellow, activation_code_issue(uscc=yellow))
    actions = set(AuditEntry.objects.filter(subject_uscc=yellow).values_list("action", flat=True))
    assert {Action.ENTERPRISE_CODE, Action.ENTERPRISE_ACTIVATE} <= actions


def test_the_activation_page_opens_the_account(client, yellow):
    code = activation_code_issue(uscc=yellow)
    data = {
        "uscc": yellow,
        "code": code,
        "username": "qiye",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    response = client.post(reverse("enterprises:activate"), data)
    assert (response.status_code, EnterpriseAccount.objects.filter(subject_id=yellow).exists()) == (302, True)


def test_the_activation_page_says_why_a_code_is_refused(client, yellow):
    data = {
        "uscc": yellow,
        "code": "AAAA-BBBB-CCCC",
        "username": "q",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    response = client.post(reverse("enterprises:activate"), data)
    assert response.status_code == 400 and "激活码无效" in response.content.decode()


def test_registration_staff_issue_a_code_on_the_notice(client, staff_of, yellow):
    log_in(client, staff_of("SCJG"))
    response = client.post(reverse("supervision:dual_activation_code", args=[yellow]))
    code = response.context["activation_code"]
    assert ActivationCode.objects.filter(subject_id=yellow, code_hash=code_hash(code)).exists()


def test_another_department_cannot_issue_a_code(client, staff_of, yellow):
    log_in(client, staff_of("SWJ"))
    assert client.post(reverse("supervision:dual_activation_code", args=[yellow])).status_code == 403


def test_the_enterprise_logs_in_with_its_password(account):
    client = Client()
    response = client.post(reverse("enterprises:login"), {"username": "qiye_a", "password": PASSWORD})
    assert response.status_code == 302 and client.get(reverse("enterprises:home")).status_code == 200


def test_a_regulator_cannot_log_in_on_the_enterprise_side(staff_of, reference_data):
    staff = staff_of("SCJG")
    response = Client().post(
        reverse("enterprises:login"), {"username": staff.user.username, "password": "pass"}
    )
    assert response.status_code == 200 and response.context["form"].errors


def test_repeated_wrong_passwords_lock_the_account_as_in_the_workspace(settings, account):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("enterprises:login"), {"username": "qiye_a", "password": "wrong-one"})
    response = client.post(reverse("enterprises:login"), {"username": "qiye_a", "password": PASSWORD})
    assert response.status_code == 429
