"""Who may do what in the workspace, checked on the server for every view and action.

Roles: staff act on their department's queues; department leaders also manage its settings
and read its audit trail; system administrators (TOTP required) see every department.
A denial is a 403 and enters the audit trail.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from warning_system.accounts.models import Role, StaffProfile
from warning_system.accounts.selectors import staff_profile
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

ALL_ROLES = frozenset(Role.values)
LEADERS = frozenset({Role.LEADER, Role.ADMIN})
ADMINS = frozenset({Role.ADMIN})


def workspace_view(view=None, *, roles: frozenset[str] = ALL_ROLES):
    """Log in, belong to a department, pass TOTP if an administrator (or enrolled), hold one of `roles`.

    Sets `request.staff` (the StaffProfile) for the view.
    """

    def decorate(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            profile = staff_profile(request.user)
            if profile is None:
                raise PermissionDenied("not a regulator's account")
            if not request.user.is_verified() and (profile.is_admin or request.session.get(OTP_ENROLLED)):
                return redirect(f"{_otp_url(request.user)}?next={request.get_full_path()}")
            if profile.role not in roles:
                raise PermissionDenied(f"role {profile.role} may not use this page")
            request.staff = profile
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


# Set at login for a user with a confirmed authenticator: TOTP is required of administrators and of
# anyone who enrolled one of their own, without a device query on every page.
OTP_ENROLLED = "otp_enrolled"


def _otp_url(user) -> str:
    from django.urls import reverse
    from django_otp import user_has_device

    return reverse("supervision:otp_verify" if user_has_device(user) else "supervision:otp_setup")


def sees_department(staff: StaffProfile, department_id: str | None) -> bool:
    return staff.is_admin or department_id == staff.department_id


def require_department(staff: StaffProfile, department_id: str | None) -> None:
    """Raise 403 unless the object belongs to the user's department (administrators see all)."""
    if not sees_department(staff, department_id):
        raise PermissionDenied(f"object of department {department_id}")


def require_own_department(staff: StaffProfile, department_id: str | None) -> None:
    """Raise 403 unless the object belongs to the user's own department, administrators included:
    an administrator looks into another department's work but does not act on it (the audit trail
    would record the department's step as taken by an outsider)."""
    if department_id != staff.department_id:
        raise PermissionDenied(f"acting on an object of department {department_id}")


class DenialAuditMiddleware:
    """Record every 403 of the workspace (and the admin site) in the audit trail."""

    WATCHED = ("/supervision/", "/admin/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and request.path.startswith(self.WATCHED):
            user = request.user if request.user.is_authenticated else None
            audit_record(
                action=Action.DENIED,
                actor=user,
                department_id=None if user else "",
                after={"path": request.path[:300], "method": request.method, "reason": str(exception)[:300]},
            )
        return None
