"""The admin site is for system administrators only, after the workspace login and its TOTP step."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.exceptions import DisallowedModelAdminToField
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import TO_FIELD_VAR
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse


class VerifiedAdminSite(admin.AdminSite):
    def has_permission(self, request) -> bool:
        return super().has_permission(request) and request.user.is_verified()

    def admin_view(self, view, cacheable=False):
        """Django's, with guards against requests that answered 500 (each guard says why)."""
        protected = super().admin_view(view, cacheable)
        model_admin = getattr(view, "__self__", None)
        model = model_admin.model if isinstance(model_admin, admin.ModelAdmin) else None
        name = getattr(view, "__name__", "")

        def inner(request, *args, **kwargs):
            _refuse_an_empty_to_field(request)
            if model is not None and name == "add_view":
                _drop_date_times_from_the_query(request, model)
            if model is not None and name == "changelist_view":
                _refuse_a_selection_of_no_key(request, model)
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        if not request.user.is_authenticated:
            return redirect_to_login(next_url, login_url=reverse("supervision:login"))
        if request.user.is_staff and not request.user.is_verified():
            return redirect(f"{reverse('supervision:otp_verify')}?next={next_url}")
        raise PermissionDenied("not a system administrator")


def _refuse_an_empty_to_field(request) -> None:
    """Refused as Django refuses any field it does not allow (400): the change and delete pages let ""
    through and looked up a field of that name."""
    if "" in (request.GET.get(TO_FIELD_VAR), request.POST.get(TO_FIELD_VAR)):
        raise DisallowedModelAdminToField("an empty _to_field")


def _drop_date_times_from_the_query(request, model) -> None:
    """An add page fills its form from the query string (`?name=…`), but a date-time shows as two
    inputs that expect a datetime, and a string there failed (Django's ticket #9739): such a value is
    dropped, so the field starts empty."""
    date_times = {f.name for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)}
    if date_times & set(request.GET):
        request.GET = request.GET.copy()
        for name in date_times:
            request.GET.pop(name, None)


def _refuse_a_selection_of_no_key(request, model) -> None:
    """An action on rows selected by keys their table cannot hold (a word for a date): Django filtered
    by them unchecked and failed; a form of ours never sends one, so it is a bad request (400)."""
    for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
        try:
            model._meta.pk.to_python(value)
        except ValidationError:
            raise BadRequest(f"{value!r} cannot be a key of {model._meta.label}") from None


def install() -> None:
    """Swap the class of the default site every app registers with (django-otp's documented way)."""
    admin.site.__class__ = VerifiedAdminSite
