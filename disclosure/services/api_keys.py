"""API keys of institutions: issued once in plain text, stored only as their SHA-256.

A key reads `wsk_<prefix>_<secret>`: the prefix names a key (to revoke it, in the admin) without
revealing it; the secret carries the strength. Lookup is by the digest of the whole key, through a
unique index, so a request never compares secrets itself.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import ApiKey, Institution, InstitutionKind

KEY_PREFIX = "wsk"
PREFIX_LENGTH = 8
SECRET_LENGTH = 32
# Letters and digits only: URL-safe, and "_" stays a separator.
_ALPHABET = string.ascii_letters + string.digits
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits
KEY_PATTERN = re.compile(rf"^{KEY_PREFIX}_([a-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9]{{{SECRET_LENGTH}}})$")
# last_used_at is written at most this often per key: not a database write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _new_key() -> tuple[str, str]:
    prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
    secret = "".join(secrets.choice(_ALPHABET) for _ in range(SECRET_LENGTH))
    return prefix, f"{KEY_PREFIX}_{prefix}_{secret}"


def api_key_issue(institution_name: str, kind: str = InstitutionKind.BANK) -> tuple[Institution, str]:
    """A new key for the institution (created if new); the plain key is returned once, never stored."""
    name = " ".join(institution_name.split())
    if not name:
        raise ValueError("机构名称不能为空")
    if kind not in InstitutionKind.values:
        raise ValueError(f"未知的机构类型“{kind}”，可选：{'、'.join(InstitutionKind.values)}")
    institution, _ = Institution.objects.get_or_create(name=name, defaults={"kind": kind})
    for _attempt in range(5):
        prefix, key = _new_key()
        try:
            with transaction.atomic():
                ApiKey.objects.create(institution=institution, prefix=prefix, digest=key_digest(key))
        except IntegrityError:  # a prefix already taken: draw again
            continue
        return institution, key
    raise RuntimeError("could not draw an unused API key prefix")


def _prefix_of(value: str) -> str:
    """The prefix from a prefix, `wsk_<prefix>` or a whole key."""
    parts = value.strip().split("_")
    if len(parts) >= 2 and parts[0] == KEY_PREFIX:
        return parts[1]
    return parts[0]


def api_key_revoke(prefix: str) -> bool:
    """Revoke the key with this prefix; False when there is no such key or it was revoked already."""
    updated = ApiKey.objects.filter(prefix=_prefix_of(prefix), revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return updated > 0


def institution_for_key(key: str) -> tuple[Institution, ApiKey] | None:
    """The institution holding this key, if the key is valid and not revoked."""
    key = (key or "").strip()
    if not KEY_PATTERN.match(key):
        return None
    api_key = (
        ApiKey.objects.select_related("institution")
        .filter(digest=key_digest(key), revoked_at__isnull=True)
        .first()
    )
    if api_key is None:
        return None
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
    return api_key.institution, api_key
