"""Department push tokens: the plain token is shown once; only its hash is stored."""

from __future__ import annotations

from warning_system.registry.models import Department

from ..models import DepartmentToken, hash_token


def department_token_issue(*, department: Department) -> str:
    """A new push token for the department; the plain token is returned once and never stored."""
    token = DepartmentToken.new_token()
    DepartmentToken.objects.create(department=department, token_hash=hash_token(token), prefix=token[:10])
    return token
