from django.contrib import admin

from .models import InspectionTask, Inspector


@admin.register(Inspector)
class InspectorAdmin(admin.ModelAdmin):
    list_display = ("badge_number", "name", "department", "active")
    list_filter = ("department", "active")
    search_fields = ("badge_number", "name")
    readonly_fields = ("updated_by", "updated_at")


@admin.register(InspectionTask)
class InspectionTaskAdmin(admin.ModelAdmin):
    """Read-only: every step is a workspace action with its audit entry."""

    list_display = ("number", "name", "lead_department", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("number", "name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
