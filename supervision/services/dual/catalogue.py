"""The post-licence catalogue (后置审批目录): every change a numbered revision, audited."""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from supervision.models import (
    CatalogRevision,
)
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry.models import PostLicenceCatalogEntry

from .base import (
    CATALOGUE_LOCK,
    DualActionError,
)

# --------------------------------------------------------------------------- the catalogue


def _entry_dict(entry: PostLicenceCatalogEntry) -> dict:
    return {
        "id": entry.pk,
        "licence": entry.licence,
        "department": entry.department_id,
        "scope_keywords": list(entry.scope_keywords),
        "legal_basis": entry.legal_basis,
    }


def _catalogue_snapshot() -> list[dict]:
    return [
        _entry_dict(e) for e in PostLicenceCatalogEntry.objects.order_by("department_id", "licence", "id")
    ]


def _next_revision(*, author, note: str) -> CatalogRevision:
    latest = CatalogRevision.objects.order_by("-version").first()
    return CatalogRevision.objects.create(
        version=(latest.version + 1) if latest else 1,
        entries=_catalogue_snapshot(),
        author=author,
        note=note,
    )


def _catalogue_change(*, author, note: str, change) -> CatalogRevision:
    """Apply `change` (returns before, after) and keep the new version; version 1 is the catalogue
    as the reference data loaded it, kept before the first edit."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CATALOGUE_LOCK])
        if not CatalogRevision.objects.exists():
            _next_revision(author=None, note=_("初始目录（参考数据）"))
        before, after = change()
        revision = _next_revision(author=author, note=note)
        audit_record(
            action=Action.CATALOG_CHANGE,
            actor=author,
            obj=revision,
            before=before,
            after={**(after or {}), "version": revision.version, "note": note},
        )
    return revision


def catalogue_entry_save(
    *,
    entry_id: int | None,
    licence: str,
    department_id: str,
    scope_keywords: list[str],
    legal_basis: str,
    author,
    note: str = "",
) -> CatalogRevision:
    """Add (entry_id None) or edit an entry of the post-licence catalogue; a new version results."""
    keywords = list(dict.fromkeys(k.strip() for k in scope_keywords if k.strip()))
    if not keywords:
        raise DualActionError(_("请至少填写一个经营范围关键词。"))
    clash = PostLicenceCatalogEntry.objects.filter(licence=licence.strip(), department_id=department_id)
    if entry_id is not None:
        clash = clash.exclude(pk=entry_id)
    if clash.exists():
        raise DualActionError(_("该部门的此项许可已在目录中。"))

    def change():
        if entry_id is None:
            entry, before = PostLicenceCatalogEntry(), None
        else:
            entry = PostLicenceCatalogEntry.objects.select_for_update().get(pk=entry_id)
            before = _entry_dict(entry)
        entry.licence = licence.strip()
        entry.department_id = department_id
        entry.scope_keywords = keywords
        entry.legal_basis = legal_basis.strip()
        entry.save()
        return before, _entry_dict(entry)

    return _catalogue_change(author=author, note=note, change=change)


def catalogue_entry_delete(*, entry_id: int, author, note: str = "") -> CatalogRevision:
    """Remove an entry; notifications already pushed keep their snapshot of it."""

    def change():
        entry = PostLicenceCatalogEntry.objects.select_for_update().get(pk=entry_id)
        before = _entry_dict(entry)
        entry.delete()
        return before, None

    return _catalogue_change(author=author, note=note, change=change)
