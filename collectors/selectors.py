"""Reads of the collectors."""

from .models import DepartmentToken, PullSource, hash_token


def department_token_for(authorization: str) -> DepartmentToken | None:
    """The live token an `Authorization: Bearer …` header names, with its department, or None."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return (
        DepartmentToken.objects.select_related("department")
        .filter(token_hash=hash_token(token.strip()), revoked_at__isnull=True)
        .first()
    )


def due_pull_sources(now=None) -> list[PullSource]:
    return [
        s
        for s in PullSource.objects.select_related("department").filter(status=PullSource.Status.ACTIVE)
        if s.is_due(now)
    ]
