"""How an enterprise proves who it is before it gets an account: one small interface.

The default needs no outside service: the registration authority issues a one-time activation code
(printed on the 双告知 告知书, or handed over at the counter), and whoever holds it may open the one
account of that enterprise. A city that later joins a national e-licence or a unified identity
platform writes another `EnterpriseIdentity` and names it in ENTERPRISE_IDENTITY; nothing else changes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from warning_system.accounts.models import ActivationCode
from warning_system.registry.codes import compact_code

# No 0/O, 1/I/L: the code is read off paper and typed by hand.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


class IdentityError(Exception):
    """The proof was refused; the message is safe to show (it never says which part was wrong)."""


class EnterpriseIdentity(Protocol):
    def confirm(self, *, uscc: str, proof: str, user) -> None:
        """Raise IdentityError unless `proof` shows the person speaks for `uscc`; consume the proof
        (in the caller's transaction) so that it cannot open a second account."""


def code_hash(code: str) -> str:
    """Keyed with SECRET_KEY: a copy of the table alone does not let anyone test guesses offline."""
    normal = "".join(code.split()).replace("-", "").upper()
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def code_expiry():
    return timezone.now() + timedelta(days=settings.ENTERPRISE_ACTIVATION_DAYS)


class ActivationCodeIdentity:
    """The default: a code issued by the registration authority, expiring, single use, stored hashed."""

    def confirm(self, *, uscc: str, proof: str, user) -> None:
        with transaction.atomic():
            found = (
                ActivationCode.objects.select_for_update()
                .filter(code_hash=code_hash(proof), subject_id=compact_code(uscc))
                .first()
            )
            if found is None or found.used_at is not None or found.expires_at <= timezone.now():
                raise IdentityError("激活码无效、已使用或已过期，请向登记机关重新申领")
            found.used_at = timezone.now()
            found.used_by = user
            found.save(update_fields=["used_at", "used_by"])


def identity() -> EnterpriseIdentity:
    return import_string(settings.ENTERPRISE_IDENTITY)()
