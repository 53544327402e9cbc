"""Reads of the collectors."""

from django.utils import timezone

from warning_system.registry.models import Department

from .models import DepartmentToken, PullSource, hash_token


def department_for_token(authorization: str) -> Department | None:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    found = (
        DepartmentToken.objects.select_related("department")
        .filter(token_hash=hash_token(token.strip()), revoked_at__isnull=True)
        .first()
    )
    if found is None:
        return None
    DepartmentToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found.department


def due_pull_sources(now=None) -> list[PullSource]:
    return [
        s
        for s in PullSource.objects.select_related("department").filter(status=PullSource.Status.ACTIVE)
        if s.is_due(now)
    ]
