"""Admin of the linked area. Rules are edited in the workspace (where each change is audited);
here everything is read-only, for the system administrator's inspection."""

from django.contrib import admin

from supervision.models import InboxItem, KeySupervision, KeySupervisionAlert, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("department", "name", "kinds", "active", "updated_at", "updated_by")
    list_filter = ("active", "department")
    list_select_related = ("department", "updated_by")
    search_fields = ("name",)


@admin.register(InboxItem)
class InboxItemAdmin(ReadOnlyAdmin):
    list_display = ("department", "kind", "record_id", "source_department", "subject_id", "received_at",
                    "read_at", "acknowledged_at")  # fmt: skip
    list_filter = ("kind", "department")
    list_select_related = ("department", "source_department")
    search_fields = ("record_id", "subject__uscc")
    date_hierarchy = "received_at"
    raw_id_fields = ("subject",)


@admin.register(KeySupervision)
class KeySupervisionAdmin(ReadOnlyAdmin):
    list_display = ("department", "subject_id", "starts_on", "ends_on", "ended_at", "created_by")
    list_filter = ("department",)
    list_select_related = ("department", "created_by")
    search_fields = ("subject__uscc",)
    raw_id_fields = ("subject",)


@admin.register(KeySupervisionAlert)
class KeySupervisionAlertAdmin(ReadOnlyAdmin):
    list_display = (
        "key_supervision",
        "kind",
        "record_id",
        "source_department",
        "raised_at",
        "acknowledged_at",
    )
    list_filter = ("kind",)
    list_select_related = ("key_supervision", "source_department")
    search_fields = ("record_id",)
