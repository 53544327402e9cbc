"""Password spraying against the workspace: a few guesses at each of many accounts from one address
lock that address, never the accounts elsewhere."""

import pytest

LOGIN = "/supervision/login/"
SPRAYER, OFFICE = "203.0.113.66", "10.0.0.2"
PASSWORD = "pass"  # StaffFactory's


def post_login(client, username, password, address):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def accounts(staff_of) -> list[str]:
    return [staff_of(code).user.username for code in ("SCJG", "SCJG", "WGLJ", "WGLJ", "JTJ", "WJW")]


def spray(client, usernames, tries_each: int = 4, address: str = SPRAYER) -> None:
    """Fewer wrong passwords per account than lock one account (AXES_FAILURE_LIMIT is 5)."""
    for username in usernames:
        for n in range(tries_each):
            post_login(client, username, f"guess-{n}", address)


def test_four_wrong_passwords_at_each_of_six_accounts_lock_the_address(client, accounts):
    spray(client, accounts)

    response = post_login(client, accounts[0], PASSWORD, SPRAYER)

    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_sprayed_accounts_still_log_in_from_another_address(client, accounts):
    spray(client, accounts)

    statuses = [post_login(client, username, PASSWORD, OFFICE).status_code for username in accounts]

    assert statuses == [302] * len(accounts)


def test_an_address_below_its_limit_is_not_locked(client, accounts):
    spray(client, accounts[:4])  # 16 failures, under AXES_ADDRESS_FAILURE_LIMIT

    assert post_login(client, accounts[0], PASSWORD, SPRAYER).status_code == 302


def test_logging_in_with_an_owned_account_keeps_the_failures_at_other_accounts(client, accounts):
    owned, *others = accounts
    spray(client, others[:4])  # 16
    assert post_login(client, owned, PASSWORD, SPRAYER).status_code == 302
    client.logout()

    spray(client, others[4:])  # 4 more: 20, AXES_ADDRESS_FAILURE_LIMIT

    assert post_login(client, owned, PASSWORD, SPRAYER).status_code == 429


def test_an_offices_own_typos_followed_by_logins_never_lock_its_address(client, staff_of):
    colleagues = [staff_of("SCJG").user.username for _ in range(12)]  # 24 typos from one office address

    for username in colleagues:
        spray(client, [username], tries_each=2, address=OFFICE)
        assert post_login(client, username, PASSWORD, OFFICE).status_code == 302
        client.logout()
