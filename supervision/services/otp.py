"""The workspace's second factor is the core's (warning_system.accounts.otp), shared with the enterprises."""

from warning_system.accounts.otp import (  # noqa: F401
    confirmed_device,
    device_confirm,
    pending_device,
    qr_svg,
    secret_text,
    verify,
)
