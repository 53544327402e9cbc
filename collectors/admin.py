from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.registry.choices import QuarantineStatus
from warning_system.registry.models import QuarantinedRecord

from .models import DepartmentToken, PullCursor, PullSource
from .services import quarantined_reprocess


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


@admin.register(QuarantinedRecord)
class QuarantinedRecordAdmin(admin.ModelAdmin):
    """Fix the raw record here, save, then run "reprocess" on it."""

    list_display = (
        "id",
        "created_at",
        "department",
        "kind",
        "channel",
        "position",
        "record_id",
        "reasons",
        "status",
    )
    list_filter = ("status", "kind", "department", "channel")
    search_fields = ("record_id",)
    readonly_fields = (
        "run",
        "department",
        "kind",
        "channel",
        "position",
        "line",
        "reasons",
        "errors",
        "created_at",
        "resolved_at",
        "resolved_by_run",
        "status",
    )
    fields = ("raw", *readonly_fields)
    actions = ["reprocess", "dismiss"]

    def has_add_permission(self, request):
        return False  # only the collectors quarantine a record: one added here has no run nor position

    @admin.action(description=_("重新处理所选记录"))
    def reprocess(self, request, queryset):
        outcomes = quarantined_reprocess(list(queryset))
        fixed = sum(o.received - o.quarantined for o in outcomes.values())
        still = sum(o.quarantined for o in outcomes.values())
        self.message_user(
            request,
            _("已重新处理：%(fixed)d 条入库，%(still)d 条仍有错误。") % {"fixed": fixed, "still": still},
            messages.SUCCESS if not still else messages.WARNING,
        )

    @admin.action(description=_("忽略所选记录"))
    def dismiss(self, request, queryset):
        queryset.filter(status=QuarantineStatus.OPEN).update(
            status=QuarantineStatus.DISMISSED, resolved_at=timezone.now()
        )
