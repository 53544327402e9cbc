"""The authenticator devices in the admin site: an unknown device is not found, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", ["config", "qrcode"])
def test_an_unknown_devices_page_is_not_found(admin_client, view):
    unknown = 99_999_999
    assert admin_client.get(reverse(f"admin:otp_totp_totpdevice_{view}", args=[unknown])).status_code == 404


def test_a_known_devices_configuration_still_shows(admin_client, admin_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=admin_user)
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 200


def test_the_action_cleaning_up_expired_access_attempts_works(admin_client, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt
    from django.utils import timezone

    attempt = {"user_agent": "test", "ip_address": "10.0.0.1", "http_accept": "*/*", "path_info": "/",
               "get_data": "", "post_data": "", "failures_since_start": 1}  # fmt: skip
    old = AccessAttempt.objects.create(username="old", **attempt)
    recent = AccessAttempt.objects.create(username="recent", **attempt)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=1))
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "cleanup_expired_attempts", "_selected_action": [recent.pk]},
    )
    assert response.status_code == 302
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent"]
