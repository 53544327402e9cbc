"""Reads of objections: the policy in force, an enterprise's and a department's objections, and the
records the public page marks "异议处理中"."""

from __future__ import annotations

from django.db.models import QuerySet

from warning_system.objections.models import DEFAULT_POLICY, OPEN_STATUSES, Objection, ObjectionPolicy


def current_policy() -> ObjectionPolicy:
    """The newest version; the defaults (unsaved, version 0) while none is stored."""
    return ObjectionPolicy.objects.order_by("-version").first() or ObjectionPolicy(
        version=0, note="系统默认值", **DEFAULT_POLICY
    )


def objections() -> QuerySet[Objection]:
    return Objection.objects.select_related("subject", "department", "concluded_by").prefetch_related(
        "evidence"
    )


def subject_objections(uscc: str) -> QuerySet[Objection]:
    return objections().filter(subject_id=uscc)


def department_objections(department_id: str) -> QuerySet[Objection]:
    return (
        objections().filter(department_id=department_id).order_by("status", "conclude_due", "-submitted_at")
    )


def disputed_records(uscc: str) -> set[str]:
    """ "kind:department:record_id" of the subject's records under an open objection (one query)."""
    rows = Objection.objects.filter(subject_id=uscc, status__in=OPEN_STATUSES)
    return {f"{kind}:{department}:{record_id}" for kind, department, record_id in
            rows.values_list("kind", "department_id", "record_id")}  # fmt: skip


def open_record_pks(uscc: str) -> dict[tuple[str, int], Objection]:
    return {
        (o.kind, o.record_pk): o for o in Objection.objects.filter(subject_id=uscc, status__in=OPEN_STATUSES)
    }
