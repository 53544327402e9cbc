"""The admin site is for system administrators only, after the workspace login and its TOTP step."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def admin_view(self, view, cacheable=False):
        """Django's, refusing an empty `_to_field` as it refuses any field it does not allow (400): the
        change and delete pages let "" through and looked up a field of that name, a 500."""
        protected = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
                raise DisallowedModelAdminToField("an empty _to_field")
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("supervision:login"))
        if request.user.is_staff and not request.user.is_verified():
            return redirect(f"{reverse('supervision:otp_verify')}?next={next_url}")
        raise PermissionDenied("not a system administrator")


def install() -> None:
    """Swap the class of the default site every app registers with (django-otp's documented way)."""
    admin.site.__class__ = VerifiedAdminSite
