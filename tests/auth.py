"""Logging a test client in as a regulator, second factor included where it is required."""

from django_otp.plugins.otp_totp.models import TOTPDevice


def otp_verify(client, user) -> None:
    """What passing the TOTP step leaves in the session (django-otp's session key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()


def log_in(client, staff) -> None:
    """Log `client` in as the StaffProfile `staff`, as a fully verified user."""
    client.force_login(staff.user)
    if staff.role == "admin":
        otp_verify(client, staff.user)
