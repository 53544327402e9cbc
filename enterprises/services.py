"""What an enterprise does on its own pages: apply for credit repair, dispute a record, with evidence."""

from __future__ import annotations

from django.db import transaction

from warning_system.accounts.models import EnterpriseAccount
from warning_system.classification.models import Applicant, RepairApplication
from warning_system.classification.services import RepairError, repair_application_check, repair_apply
from warning_system.evidence.services import EvidenceError, evidence_check, evidence_store
from warning_system.objections.services import ObjectionError, objection_check, objection_file


def enterprise_repair_apply(
    *, account: EnterpriseAccount, kind: str, record_pk: int, reason: str, files: list
) -> RepairApplication:
    """The enterprise's application for one of its own records, with its evidence, in one transaction
    (the core's `repair_apply` checks eligibility under the rules in force and audits it)."""
    record = repair_application_check(
        kind=kind, record_pk=record_pk, applicant=Applicant.SUBJECT, reason=reason
    )
    if record["subject_id"] != account.subject_id:
        raise RepairError("记录不存在")
    for upload in files:
        try:
            evidence_check(upload=upload)
        except EvidenceError as exc:
            raise RepairError(str(exc)) from exc
    with transaction.atomic():
        application = repair_apply(
            kind=kind, record_pk=record_pk, applicant=Applicant.SUBJECT, applicant_name=account.subject.name,
            reason=reason, actor=account.user,
        )  # fmt: skip
        for upload in files:
            evidence_store(
                upload=upload, subject_uscc=account.subject_id, actor=account.user, repair=application
            )
    return application


def enterprise_objection_file(
    *, account: EnterpriseAccount, kind: str, record_pk: int, reason: str, files: list
):
    """The enterprise disputes one of its own records, with its evidence, in one transaction."""
    objection_check(subject_uscc=account.subject_id, kind=kind, record_pk=record_pk, reason=reason)
    for upload in files:
        try:
            evidence_check(upload=upload)
        except EvidenceError as exc:
            raise ObjectionError(str(exc)) from exc
    with transaction.atomic():
        objection = objection_file(
            subject_uscc=account.subject_id, kind=kind, record_pk=record_pk, reason=reason, actor=account.user
        )
        for upload in files:
            evidence_store(
                upload=upload, subject_uscc=account.subject_id, actor=account.user, objection=objection
            )
    return objection
