"""Logging in to the workspace: lockout, the TOTP step for administrators, sessions, denials."""

from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.auth import log_in
from warning_system.audit.models import Action, AuditEntry

LOGIN = "/supervision/login/"


def post_login(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def current_token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get("/supervision/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_a_regulator_logs_in_and_sees_the_department_home(client, staff_of):
    staff = staff_of("SCJG")
    response = post_login(client, staff.user.username, "pass")
    assert response.status_code == 302
    page = client.get("/supervision/")
    assert page.status_code == 200
    assert staff.department.name in page.content.decode()


def test_the_login_and_its_address_enter_the_audit_trail(client, staff_of):
    staff = staff_of("SCJG")
    post_login(client, staff.user.username, "pass", address="10.1.2.3")
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert (entry.actor_name, entry.department_id, entry.client_address) == (
        staff.user.username,
        "SCJG",
        "10.1.2.3",
    )
    assert entry.request_id


def test_a_failed_login_enters_the_audit_trail_with_the_name_tried(client, staff_of):
    staff = staff_of("SCJG")
    post_login(client, staff.user.username, "wrong")
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.after == {"username": staff.user.username}


def test_repeated_failures_lock_the_user_out_from_that_address(client, staff_of):
    staff = staff_of("SCJG")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, staff.user.username, "wrong")
    response = post_login(client, staff.user.username, "pass")
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_keyed_on_user_and_address_not_the_whole_office(client, staff_of):
    staff = staff_of("SCJG")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, staff.user.username, "wrong", address="10.0.0.1")
    response = post_login(client, staff.user.username, "pass", address="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.user.pk)


def test_a_session_expires_after_idle_minutes_and_with_the_browser():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_an_administrator_without_an_authenticator_must_enrol_one(client, staff_of):
    admin = staff_of("SCJG", role="admin")
    post_login(client, admin.user.username, "pass")
    response = client.get("/supervision/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("supervision:otp_setup"))


def test_enrolling_with_a_correct_code_lets_the_administrator_in(client, staff_of):
    admin = staff_of("SCJG", role="admin")
    post_login(client, admin.user.username, "pass")
    page = client.get(reverse("supervision:otp_setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=admin.user, confirmed=False)
    response = client.post(reverse("supervision:otp_setup"), {"token": current_token(device)})
    assert response.status_code == 302
    assert client.get("/supervision/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_code_keeps_the_administrator_out_and_is_recorded(client, staff_of):
    admin = staff_of("SCJG", role="admin")
    TOTPDevice.objects.create(user=admin.user, name="phone", confirmed=True)
    post_login(client, admin.user.username, "pass")
    response = client.post(reverse("supervision:otp_verify"), {"token": "000000"})
    assert response.status_code == 200
    assert client.get("/supervision/").status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGIN_FAILED, actor_name=admin.user.username).exists()


def test_the_admin_site_needs_the_second_factor_too(client, staff_of):
    admin = staff_of("SCJG", role="admin")
    client.force_login(admin.user)
    response = client.get("/admin/")
    assert response.status_code == 302
    log_in(client, admin)
    assert client.get("/admin/").status_code == 200


def test_an_account_without_a_department_is_denied_and_the_denial_recorded(client, django_user_model, db):
    user = django_user_model.objects.create_user("outsider", password="pass")
    client.force_login(user)
    response = client.get("/supervision/")
    assert response.status_code == 403
    denial = AuditEntry.objects.get(action=Action.DENIED)
    assert denial.actor_name == "outsider" and denial.after["path"] == "/supervision/"


def test_logging_out_ends_the_session_and_is_recorded(client, staff_of):
    staff = staff_of("SCJG")
    log_in(client, staff)
    client.post("/supervision/logout/")
    assert client.get("/supervision/").status_code == 302
    assert AuditEntry.objects.filter(action=Action.LOGOUT, actor_name=staff.user.username).exists()


def test_a_regulator_who_enrolled_an_authenticator_must_use_it(client, staff_of):
    staff = staff_of("SCJG")
    TOTPDevice.objects.create(user=staff.user, name="phone", confirmed=True)
    post_login(client, staff.user.username, "pass")

    response = client.get("/supervision/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("supervision:otp_verify"))


def test_a_regulator_without_an_authenticator_is_offered_one(client, staff_of):
    staff = staff_of("SCJG")
    post_login(client, staff.user.username, "pass")

    assert reverse("supervision:otp_setup") in client.get("/supervision/").content.decode()
