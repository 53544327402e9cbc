from django.contrib import admin

from .models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    list_display = ("name", "task", "last_run_at", "last_finished_at", "runs", "last_error")
    readonly_fields = ("name", "task", "last_run_at", "last_finished_at", "runs", "last_error")

    def has_add_permission(self, request):
        return False
