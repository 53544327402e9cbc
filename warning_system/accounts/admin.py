from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin
from django.shortcuts import get_object_or_404
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as OtpTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from warning_system.accounts.models import ActivationCode, EnterpriseAccount, StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "role")
    list_filter = ("role", "department")
    search_fields = ("user__username", "user__first_name")
    autocomplete_fields = ()


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(admin.ModelAdmin):
    """Opened only by activation; deleting one (an enterprise that changed hands) frees its USCC for a new code."""

    list_display = ("user", "subject", "activated_at")
    search_fields = ("user__username", "subject__uscc")
    raw_id_fields = ("user", "subject")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActivationCode)
class ActivationCodeAdmin(admin.ModelAdmin):
    """Read only: codes are issued in the workspace (only their hash is here)."""

    list_display = ("subject", "department", "issued_by", "issued_at", "expires_at", "used_at")
    search_fields = ("subject__uscc",)
    exclude = ("code_hash",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class TOTPDeviceAdmin(OtpTOTPDeviceAdmin):
    """django-otp's own, except that an unknown device is a 404: its configuration and QR-code pages
    look the device up unguarded, so any other number answered 500."""

    def config_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().config_view(request, pk)

    def qrcode_view(self, request, pk):
        get_object_or_404(TOTPDevice, pk=pk)
        return super().qrcode_view(request, pk)


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, TOTPDeviceAdmin)


class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' own, except that its action works: the cool-off threshold it computes reads the
    time axes stamps on a request it has seen, and it never sees an admin page's, so the action failed."""

    @admin.action(description=AxesAccessAttemptAdmin.cleanup_expired_attempts.short_description)
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AccessAttemptAdmin)
