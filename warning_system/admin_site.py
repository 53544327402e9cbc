"""The admin site is for system administrators only, after the workspace login and its TOTP step."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def admin_view(self, view, cacheable=False):
        """Django's, with two guards against what answered 500: an empty `_to_field` is refused as any
        field Django does not allow (400; the change and delete pages looked up a field named ""), and
        an add page ignores date-times in its query string (see `_unfillable_fields`)."""
        protected = super().admin_view(view, cacheable)
        unfilled = _unfillable_fields(view)

        def inner(request, *args, **kwargs):
            if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
                raise DisallowedModelAdminToField("an empty _to_field")
            if unfilled & set(request.GET):
                request.GET = request.GET.copy()
                for name in unfilled:
                    request.GET.pop(name, None)
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("supervision:login"))
        if request.user.is_staff and not request.user.is_verified():
            return redirect(f"{reverse('supervision:otp_verify')}?next={next_url}")
        raise PermissionDenied("not a system administrator")


def _unfillable_fields(view) -> set[str]:
    """Fields an add page cannot take from its query string. An add page fills its form from the query
    (`?name=…`), but a date-time shows as two inputs that expect a datetime, and a string there failed
    (Django's ticket #9739): such a value is dropped, so the field starts empty."""
    model_admin = getattr(view, "__self__", None)
    if getattr(view, "__name__", "") != "add_view" or not isinstance(model_admin, admin.ModelAdmin):
        return set()
    return {f.name for f in model_admin.model._meta.concrete_fields if isinstance(f, models.DateTimeField)}


def install() -> None:
    """Swap the class of the default site every app registers with (django-otp's documented way)."""
    admin.site.__class__ = VerifiedAdminSite
