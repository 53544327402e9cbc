"""TOTP enrolment and verification (django-otp), each outcome in the audit trail: the workspace and the
enterprises' side share it."""

from __future__ import annotations

import base64

import django_otp
import segno
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being enrolled (one per user, kept across page reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


@transaction.atomic
def device_confirm(*, request, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(token):
        audit_record(action=Action.LOGIN_FAILED, actor=request.user, after={"factor": "totp_enrol"})
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    audit_record(action=Action.LOGIN, actor=request.user, after={"factor": "totp_enrolled"})
    return True


@transaction.atomic
def verify(*, request, token: str) -> bool:
    device = django_otp.match_token(request.user, token)
    if device is None:
        audit_record(action=Action.LOGIN_FAILED, actor=request.user, after={"factor": "totp"})
        return False
    django_otp.login(request, device)
    audit_record(action=Action.LOGIN, actor=request.user, after={"factor": "totp"})
    return True
