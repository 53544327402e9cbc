"""The trail in the admin site: to read, never to add, change or delete (PostgreSQL refuses anyway)."""

from django.contrib import admin

from warning_system.audit.models import AuditAnchor, AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_name", "department_id", "action", "subject_uscc", "object_type",
                    "object_id", "client_address")  # fmt: skip
    list_filter = ("action",)
    search_fields = ("=actor_name", "=subject_uscc", "=department_id", "=request_id")
    show_full_result_count = False
    actions = None


@admin.register(AuditAnchor)
class AuditAnchorAdmin(ReadOnlyAdmin):
    list_display = ("at", "seq", "hash", "created_at")
    actions = None
