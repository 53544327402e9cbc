"""The authenticator devices in the admin site: an unknown device is not found, never a server error."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_an_unknown_devices_page_is_not_found(admin_client, page):
    unknown = 99_999_999
    assert admin_client.get(reverse(f"admin:otp_totp_totpdevice_{page}", args=[unknown])).status_code == 404


def test_a_known_devices_configuration_still_shows(admin_client, admin_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=admin_user)
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_config", args=[device.pk])).status_code == 200
