from django.contrib import admin

from .models import DepartmentToken, PullCursor, PullSource


@admin.register(DepartmentToken)
class DepartmentTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py issue_department_token`; here they are only listed or revoked."""

    list_display = ("department", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("department", "prefix", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False


class PullCursorInline(admin.TabularInline):
    model = PullCursor
    extra = 0


@admin.register(PullSource)
class PullSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "base_url", "kinds", "interval_minutes", "status", "last_pulled_at")
    list_filter = ("status", "department")
    inlines = [PullCursorInline]
