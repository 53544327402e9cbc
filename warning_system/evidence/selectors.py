"""Who may read a piece of evidence: the enterprise that uploaded it, and the deciding department."""

from warning_system.evidence.models import EvidenceFile


def evidence_of_subject(uscc: str, pk: int) -> EvidenceFile | None:
    return EvidenceFile.objects.select_related("repair", "objection").filter(pk=pk, subject_id=uscc).first()


def evidence_by_pk(pk: int) -> EvidenceFile | None:
    """For the workspace, which then checks that the file is its department's to read."""
    return EvidenceFile.objects.select_related("repair", "objection").filter(pk=pk).first()
