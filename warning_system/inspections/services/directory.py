"""The inspectors directory and the city's inspection policy: administrative writes, each audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.classification.models import Colour

from .. import selectors
from ..models import (
    InspectionPolicy,
    Inspector,
)
from .base import MIN_INSPECTORS, InspectionError

# --------------------------------------------------------------------------- inspectors directory


def inspector_save(*, inspector: Inspector | None, department_id: str, user, data: dict) -> Inspector:
    """Add or change an inspector of `department_id` (department leaders). Conflicts stay internal:
    the trail records how many, not which."""
    fields = ("name", "badge_number", "qualifications", "active", "conflicts", "staff")

    def snapshot(obj: Inspector) -> dict:
        return {"name": obj.name, "badge_number": obj.badge_number, "qualifications": list(obj.qualifications),
                "active": obj.active, "conflicts": len(obj.conflicts), "staff": obj.staff_id}  # fmt: skip

    with transaction.atomic():
        badge = data["badge_number"].strip()
        clash = Inspector.objects.filter(badge_number=badge)
        if inspector is not None:
            clash = clash.exclude(pk=inspector.pk)
        if clash.exists():
            raise InspectionError(_("执法证号 %(badge)s 已在名录中。") % {"badge": badge})
        if (
            inspector is not None
            and badge != inspector.badge_number
            and selectors.badge_frozen(inspector.badge_number)
        ):
            raise InspectionError(
                _("执法证号 %(badge)s 已出现在冻结的检查人员名录文件中，不能修改。")
                % {"badge": inspector.badge_number}
            )
        before = snapshot(inspector) if inspector is not None else None
        inspector = inspector or Inspector(department_id=department_id)
        for name in fields:
            if name in data:
                setattr(inspector, name, data[name])
        inspector.badge_number = badge
        inspector.conflicts = sorted(set(inspector.conflicts))
        inspector.updated_by, inspector.updated_at = user, timezone.now()
        inspector.save()
        audit_record(action=Action.INSPECTOR_CHANGE, actor=user, department_id=inspector.department_id,
                     obj=inspector, before=before, after=snapshot(inspector))  # fmt: skip
    return inspector


# --------------------------------------------------------------------------- policy


def policy_save(
    *, user, ratios: dict, inspectors_per_subject: int, result_workdays: int, note: str
) -> InspectionPolicy:
    """A new version of the policy (administrators), with a mandatory note; the previous versions stay.
    Audited as a rules change (before and after)."""
    note = (note or "").strip()
    if not note:
        raise InspectionError(_("修改政策须说明理由。"))
    if (inspectors_per_subject or 0) < MIN_INSPECTORS:
        raise InspectionError(_("每户至少须由 2 名检查人员检查。"))
    if set(ratios) != set(Colour.values) or any(not 0 <= float(v) <= 1 for v in ratios.values()):
        raise InspectionError(_("须为绿、黄、橙、红四种颜色各设定 0 至 100% 的抽查比例。"))
    if not 1 <= result_workdays <= 200:
        raise InspectionError(_("结果录入期限须为 1 至 200 个工作日。"))
    with transaction.atomic():
        InspectionPolicy.objects.select_for_update().order_by("-version").first()
        before = selectors.current_policy()
        policy = InspectionPolicy.objects.create(
            version=before.version + 1, ratios={c: float(ratios[c]) for c in Colour.values},
            inspectors_per_subject=inspectors_per_subject, result_workdays=result_workdays, note=note, author=user,
        )  # fmt: skip

        def snapshot(p: InspectionPolicy) -> dict:
            return {"version": p.version, "ratios": p.ratios, "inspectors_per_subject": p.inspectors_per_subject,
                    "result_workdays": p.result_workdays}  # fmt: skip

        audit_record(action=Action.POLICY_CHANGE, actor=user, obj=policy, before=snapshot(before),
                     after={**snapshot(policy), "note": note})  # fmt: skip
    return policy
