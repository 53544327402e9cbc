"""The departments' steps on a notification: claim, return, feedback, close, and the audited view
of the personal fields."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from supervision.models import (
    DualFeedback,
    DualNotification,
    DualStatus,
    DualStep,
    DualStepKind,
)
from supervision.selectors import dual as selectors
from warning_system.accounts.models import StaffProfile
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry.models import PRIVATE_MODELS

from .base import (
    DualActionError,
    _state,
)

# --------------------------------------------------------------------------- departments' steps


def _locked(notification_id: int) -> DualNotification:
    notification = DualNotification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None:
        raise DualNotification.DoesNotExist(notification_id)
    return notification


def _require_view(staff: StaffProfile, notification: DualNotification) -> None:
    if not selectors.may_view(staff, notification):
        raise PermissionDenied(
            f"dual notification {notification.pk} of department {notification.department_id}"
        )


def _status_error(notification: DualNotification, verb: str) -> DualActionError:
    return DualActionError(
        _("该事项当前为“%(status)s”，不能%(verb)s。")
        % {"status": notification.get_status_display(), "verb": verb}
    )


def _save_step(
    notification: DualNotification,
    *,
    staff: StaffProfile,
    step: str,
    action: str,
    before: dict,
    note: str = "",
    fields: list[str],
    extra: dict | None = None,
) -> None:
    notification.updated_at = timezone.now()
    notification.save(update_fields=[*fields, "updated_at"])
    DualStep.objects.create(
        notification=notification,
        step=step,
        department_id=staff.department_id,
        actor_name=staff.user.get_username(),
        at=notification.updated_at,
        note=note,
    )
    audit_record(
        action=action,
        actor=staff.user,
        department_id=staff.department_id,
        subject_uscc=notification.subject_id,
        obj=notification,
        before=before,
        after={**_state(notification), **(extra or {})},
    )


@transaction.atomic
def dual_notification_claim(*, notification_id: int, staff: StaffProfile) -> DualNotification:
    """认领: the competent department claims what was pushed to it; any department a pooled one."""
    n = _locked(notification_id)
    _require_view(staff, n)
    if n.status == DualStatus.PUSHED and staff.department_id != n.department_id:
        raise PermissionDenied(f"dual notification {n.pk} was pushed to {n.department_id}")
    if not selectors.may_claim(staff, n):
        raise _status_error(n, _("认领"))
    before = _state(n)
    n.status = DualStatus.CLAIMED
    n.claimed_by_id = staff.department_id
    n.claimed_at = timezone.now()
    note = _("从共享池认领") if before["status"] == DualStatus.POOLED else ""
    _save_step(n, staff=staff, step=DualStepKind.CLAIM, action=Action.CLAIM, before=before, note=note,
               fields=["status", "claimed_by", "claimed_at"])  # fmt: skip
    return n


@transaction.atomic
def dual_notification_return(*, notification_id: int, staff: StaffProfile, reason: str) -> DualNotification:
    """退回: not ours, with the reason; it goes to the shared pool at once."""
    n = _locked(notification_id)
    _require_view(staff, n)
    holder = n.claimed_by_id if n.status == DualStatus.CLAIMED else n.department_id
    if n.status in (DualStatus.PUSHED, DualStatus.CLAIMED) and staff.department_id != holder:
        raise PermissionDenied(f"dual notification {n.pk} is held by {holder}")
    if not selectors.may_return(staff, n):
        raise _status_error(n, _("退回"))
    reason = (reason or "").strip()
    if not reason:
        raise DualActionError(_("请填写退回理由。"))
    before = _state(n)
    now = timezone.now()
    n.status = DualStatus.POOLED
    n.returned_by_id = staff.department_id
    n.return_reason = reason
    n.pooled_at = now
    n.claimed_by_id = None
    n.claimed_at = None
    _save_step(n, staff=staff, step=DualStepKind.RETURN, action=Action.RETURN, before=before,
               note=_("退回并转入共享池。理由：%(reason)s") % {"reason": reason},
               fields=["status", "returned_by", "return_reason", "pooled_at", "claimed_by", "claimed_at"],
               extra={"reason": reason})  # fmt: skip
    return n


@transaction.atomic
def dual_notification_feedback(
    *, notification_id: int, staff: StaffProfile, choice: str, note: str = ""
) -> DualNotification:
    """The department's answer to the written notice (it may correct it until the case is closed)."""
    n = _locked(notification_id)
    _require_view(staff, n)
    if n.status in (DualStatus.OVERDUE, DualStatus.FEEDBACK) and staff.department_id != n.handler_id:
        raise PermissionDenied(f"dual notification {n.pk} is answered by {n.handler_id}")
    if not selectors.may_give_feedback(staff, n):
        raise _status_error(n, _("反馈"))
    if choice not in DualFeedback.values:
        raise DualActionError(_("请选择核查结果。"))
    note = (note or "").strip()
    if choice == DualFeedback.OTHER and not note:
        raise DualActionError(_("选择“其他”时请填写说明。"))
    before = {**_state(n), "feedback": n.feedback}
    n.status = DualStatus.FEEDBACK
    n.feedback = choice
    n.feedback_note = note
    n.feedback_department_id = staff.department_id
    n.feedback_by = staff.user
    n.feedback_at = timezone.now()
    label = DualFeedback(choice).label
    _save_step(n, staff=staff, step=DualStepKind.FEEDBACK, action=Action.FEEDBACK, before=before,
               note=f"{label}。{note}" if note else str(label),
               fields=["status", "feedback", "feedback_note", "feedback_department", "feedback_by", "feedback_at"],
               extra={"feedback": choice, "note": note})  # fmt: skip
    return n


@transaction.atomic
def dual_notification_close(*, notification_id: int, staff: StaffProfile, note: str = "") -> DualNotification:
    """办结: the handling department's leader (or an administrator) accepts the feedback."""
    n = _locked(notification_id)
    _require_view(staff, n)
    if n.status == DualStatus.FEEDBACK and not selectors.may_close(staff, n):
        raise PermissionDenied(f"closing dual notification {n.pk} is for the leaders of {n.handler_id}")
    if not selectors.may_close(staff, n):
        raise _status_error(n, _("办结"))
    before = _state(n)
    n.status = DualStatus.CLOSED
    n.closed_by = staff.user
    n.closed_at = timezone.now()
    note = (note or "").strip()
    _save_step(n, staff=staff, step=DualStepKind.CLOSE, action=Action.CLOSE, before=before, note=note,
               fields=["status", "closed_by", "closed_at"], extra={"note": note})  # fmt: skip
    return n


PERSONAL_FIELDS = ("legal_rep_id_number", "phone")


@transaction.atomic
def dual_personal_view(*, notification_id: int, staff: StaffProfile) -> dict[str, str]:
    """The registration's contact details for the competent department, each reading audited."""
    n = DualNotification.objects.filter(pk=notification_id).first()
    if n is None:
        raise DualNotification.DoesNotExist(notification_id)
    if not selectors.may_view_personal(staff, n):
        raise PermissionDenied(f"personal data of dual notification {n.pk}")
    personal = (
        PRIVATE_MODELS["registration"]
        .objects.filter(row_id=n.registration_id)
        .values_list("personal", flat=True)
        .first()
    ) or {}
    shown = {key: str(personal[key]) for key in PERSONAL_FIELDS if personal.get(key)}
    audit_record(
        action=Action.VIEW_PERSONAL,
        actor=staff.user,
        department_id=staff.department_id,
        subject_uscc=n.subject_id,
        obj=n,
        after={"fields": sorted(shown), "record": f"registration:{n.registration_id}"},
    )
    return shown
