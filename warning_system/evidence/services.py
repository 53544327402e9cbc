"""Storing evidence: the kind is decided by the file's first bytes, never by its name or the
browser's word; the size is limited; the bytes go to EVIDENCE_ROOT under their hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings
from django.db import transaction

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.evidence.models import EvidenceFile

# Magic numbers of the accepted kinds: PDF, JPEG, PNG.
MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
MAX_FILES = 5


class EvidenceError(Exception):
    """A file refused; the message says why."""


def sniff(head: bytes) -> str | None:
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def storage_path(sha256: str) -> Path:
    return Path(settings.EVIDENCE_ROOT) / sha256[:2] / sha256


def evidence_check(*, upload) -> str:
    """The file's content type, or EvidenceError (too large, empty, or not a PDF/JPEG/PNG)."""
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise EvidenceError(f"文件“{upload.name}”超过 {settings.EVIDENCE_MAX_BYTES // (1024 * 1024)} MB")
    if upload.size == 0:
        raise EvidenceError(f"文件“{upload.name}”为空")
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind is None:
        raise EvidenceError(f"文件“{upload.name}”不是 PDF、JPEG 或 PNG 文件")
    return kind


def evidence_store(*, upload, subject_uscc: str, actor, repair=None, objection=None) -> EvidenceFile:
    """Write the bytes (once per content) and the row with its audit entry, in the caller's transaction."""
    content_type = evidence_check(upload=upload)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    sha256 = digest.hexdigest()
    path = storage_path(sha256)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        upload.seek(0)
        with partial.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        partial.replace(path)
    with transaction.atomic():
        stored = EvidenceFile.objects.create(
            subject_id=subject_uscc, repair=repair, objection=objection, name=Path(upload.name).name[:200],
            content_type=content_type, size=upload.size, sha256=sha256, uploaded_by=actor,
        )  # fmt: skip
        audit_record(
            action=Action.EVIDENCE_UPLOAD, actor=actor, department_id="", subject_uscc=subject_uscc, obj=stored,
            after={"name": stored.name, "sha256": sha256, "size": stored.size, "repair": repair.pk if repair else None,
                   "objection": objection.pk if objection else None},
        )  # fmt: skip
    return stored


def evidence_read(*, evidence: EvidenceFile, reader, department_id: str = "") -> Path:
    """The file's path, after recording who read it (the caller has checked that they may)."""
    audit_record(
        action=Action.EVIDENCE_READ, actor=reader, department_id=department_id, subject_uscc=evidence.subject_id,
        obj=evidence, after={"name": evidence.name},
    )  # fmt: skip
    return storage_path(evidence.sha256)
