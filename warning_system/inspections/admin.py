from django.contrib import admin

from warning_system.demo.admin import DemoAdminMixin

from .models import InspectionTask, Inspector


class ReadOnlyAdmin(admin.ModelAdmin):
    """Looked at only: every change is a workspace action with its audit entry."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Inspector)
class InspectorAdmin(DemoAdminMixin, ReadOnlyAdmin):
    """Read-only: the directory is kept by department leaders in the workspace (audited, and a badge
    number in a frozen file never changes)."""

    list_display = ("badge_number", "name", "department", "active")
    list_filter = ("department", "active")
    search_fields = ("badge_number", "name")


@admin.register(InspectionTask)
class InspectionTaskAdmin(DemoAdminMixin, ReadOnlyAdmin):
    """Read-only: every step is a workspace action with its audit entry."""

    list_display = ("number", "name", "lead_department", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("number", "name")
