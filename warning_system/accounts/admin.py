from django.contrib import admin

from warning_system.accounts.models import StaffProfile


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "role")
    list_filter = ("role", "department")
    search_fields = ("user__username", "user__first_name")
    autocomplete_fields = ()
