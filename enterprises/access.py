"""Who may use the enterprise's pages: an enterprise account, and only for its own subject.

Every view takes the subject from the logged-in account (`request.enterprise`), never from the URL:
there is no parameter an enterprise could change to reach another's page. Objects named in a URL
(an application, a file) are looked up within the account's subject, so another's is a 404.
A regulator's account is not an enterprise's: 403, audited like every denial.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from warning_system.accounts.selectors import enterprise_account
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record

# Set at login when the account has a confirmed authenticator: then every page wants the code.
OTP_ENROLLED = "enterprise_otp_enrolled"


def enterprise_view(view_func):
    """Log in as an enterprise (and pass TOTP once enrolled); sets `request.enterprise`."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("enterprises:login"))
        account = enterprise_account(request.user)
        if account is None:
            raise PermissionDenied("not an enterprise's account")
        if request.session.get(OTP_ENROLLED) and not request.user.is_verified():
            return redirect(f"{reverse('enterprises:otp_verify')}?next={request.get_full_path()}")
        request.enterprise = account
        return view_func(request, *args, **kwargs)

    return wrapper


class EnterpriseDenialAuditMiddleware:
    """Every 403 under /enterprise/ enters the audit trail, as the workspace's do."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied) and request.path.startswith("/enterprise/"):
            user = request.user if request.user.is_authenticated else None
            audit_record(
                action=Action.DENIED, actor=user, department_id="",
                after={"path": request.path[:300], "method": request.method, "reason": str(exception)[:300]},
            )  # fmt: skip
        return None
