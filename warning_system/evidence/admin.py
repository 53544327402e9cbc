from django.contrib import admin

from warning_system.evidence.models import EvidenceFile


@admin.register(EvidenceFile)
class EvidenceFileAdmin(admin.ModelAdmin):
    """Read only: the file itself is read in the workspace, where reading it is audited."""

    list_display = ("subject", "name", "content_type", "size", "uploaded_at")
    search_fields = ("subject__uscc", "name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
