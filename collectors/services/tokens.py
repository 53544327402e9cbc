"""Department push tokens: the plain token is shown once; only its hash is stored."""

from __future__ import annotations

from django.utils import timezone

from warning_system.registry.models import Department

from .. import selectors
from ..models import DepartmentToken, hash_token


def department_token_issue(*, department: Department) -> str:
    """A new push token for the department; the plain token is returned once and never stored."""
    token = DepartmentToken.new_token()
    DepartmentToken.objects.create(department=department, token_hash=hash_token(token), prefix=token[:10])
    return token


def department_token_authenticate(*, authorization: str) -> Department | None:
    """The department whose live token the `Authorization` header carries (None: missing, wrong or
    revoked); the token's last use is stamped, for the admin to see which tokens are still in use."""
    token = selectors.department_token_for(authorization)
    if token is None:
        return None
    DepartmentToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.department
