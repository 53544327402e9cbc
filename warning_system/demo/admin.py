"""The demo markers in the admin: their own list, and on the admin pages of the tables the demo
fills, a “demo data” column and filter (ModelAdmins add DemoAdminMixin)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import DemoRecord
from .selectors import is_demo


class DemoListFilter(admin.SimpleListFilter):
    title = _("演示数据")
    parameter_name = "demo"

    def lookups(self, request, model_admin):
        return (("yes", _("是")), ("no", _("否")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_demo=True)
        if self.value() == "no":
            return queryset.filter(is_demo=False)
        return queryset


class DemoAdminMixin:
    """Adds the `is_demo` annotation, a boolean column and a filter to a ModelAdmin."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(is_demo=is_demo(self.model))

    def get_list_display(self, request):
        return (*super().get_list_display(request), "demo")

    def get_list_filter(self, request):
        return (*super().get_list_filter(request), DemoListFilter)

    @admin.display(boolean=True, description=_("演示数据"), ordering="is_demo")
    def demo(self, obj) -> bool:
        return bool(getattr(obj, "is_demo", False))


@admin.register(DemoRecord)
class DemoRecordAdmin(admin.ModelAdmin):
    """Read-only: markers are written by `manage.py seed_demo` only."""

    list_display = ("content_type", "object_id", "what", "created_at")
    list_filter = ("content_type", "what")
    search_fields = ("=object_id",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
