from django.contrib import admin

from warning_system.demo.admin import DemoAdminMixin

from .models import (
    PRIVATE_MODELS,
    RECORD_MODELS,
    Department,
    District,
    IngestRun,
    Subject,
    SubjectNameHistory,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "uscc", "kinds")
    search_fields = ("code", "name", "uscc")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


class NameHistoryInline(admin.TabularInline):
    model = SubjectNameHistory
    extra = 0
    readonly_fields = ("name", "used_until")
    can_delete = False


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ("uscc", "name", "subject_type", "status", "district_code", "registered_by", "withdrawn")
    list_filter = ("subject_type", "status", "district_code", "withdrawn")
    search_fields = ("=uscc", "=registration_number", "=organization_code", "name")
    readonly_fields = [f.name for f in Subject._meta.fields]
    inlines = [NameHistoryInline]
    show_full_result_count = False


@admin.register(IngestRun)
class IngestRunAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "started_at",
        "department",
        "channel",
        "kind",
        "status",
        "received",
        "inserted",
        "updated",
        "unchanged",
        "stale",
        "deleted",
        "quarantined",
        "unresolved",
        "duration",
    )
    list_filter = ("status", "channel", "kind", "department")
    search_fields = ("source", "file_sha256", "error")
    readonly_fields = [f.name for f in IngestRun._meta.fields] + ["duration"]


class KindRecordAdmin(admin.ModelAdmin):
    list_display = (
        "record_id",
        "department",
        "subject_name",
        "subject",
        "updated_at",
        "withdrawn",
        "received_via",
    )
    list_filter = ("withdrawn", "received_via", "department")
    search_fields = ("=record_id", "=subject__uscc", "subject_name")
    raw_id_fields = ("subject",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]


class PrivateInline(admin.StackedInline):
    """The record as received and its personal fields, shown to administrators with the record."""

    extra = 0
    can_delete = False
    readonly_fields = ("raw", "personal")

    def has_add_permission(self, request, obj=None):
        return False


for _key, _model in RECORD_MODELS.items():
    _inline = type(f"{_model.__name__}PrivateInline", (PrivateInline,), {"model": PRIVATE_MODELS[_key]})
    admin.site.register(_model, type(f"{_model.__name__}Admin", (KindRecordAdmin,), {"inlines": [_inline]}))
