"""Admin of the 双告知 area. Notifications, their steps and catalogue versions are read-only here
(their state changes only through the services, which write the audit trail); the workday
overrides are edited here. The catalogue's admin is taken over so that an edit made here also goes
through the service (new version + audit entry) instead of saving the row directly."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from supervision.models import CatalogRevision, DualNotification, DualStep, WorkdayOverride
from supervision.services import dual as services
from warning_system.registry.models import PostLicenceCatalogEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class DualStepInline(admin.TabularInline):
    model = DualStep
    extra = 0
    fields = ("at", "step", "department", "actor_name", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DualNotification)
class DualNotificationAdmin(ReadOnlyAdmin):
    list_display = ("subject_id", "licence", "department", "status", "registered_on", "pushed_at",
                    "claimed_by", "licensed_on", "notice_number")  # fmt: skip
    list_filter = ("status", "department", "trigger")
    search_fields = ("subject__uscc", "subject__name", "notice_number")
    list_select_related = ("department", "claimed_by")
    date_hierarchy = "pushed_at"
    inlines = [DualStepInline]
    raw_id_fields = ("subject", "registration", "licence_record")


@admin.register(CatalogRevision)
class CatalogRevisionAdmin(ReadOnlyAdmin):
    list_display = ("version", "created_at", "author", "note")


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("day", "is_workday", "note")
    list_filter = ("is_workday",)
    date_hierarchy = "day"


class CatalogueEntryAdminForm(forms.ModelForm):
    note = forms.CharField(label=_("修改说明"), max_length=500, help_text=_("记入目录版本和监管留痕。"))

    class Meta:
        model = PostLicenceCatalogEntry
        fields = ("licence", "department", "scope_keywords", "legal_basis")


@admin.register(PostLicenceCatalogEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    """The post-licence catalogue is edited here (or in the workspace): every change is a version."""

    form = CatalogueEntryAdminForm
    list_display = ("licence", "department", "scope_keywords", "legal_basis")
    list_filter = ("department",)
    search_fields = ("licence", "legal_basis")

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        services.catalogue_entry_save(
            entry_id=obj.pk if change else None,
            licence=data["licence"],
            department_id=data["department"].code,
            scope_keywords=data["scope_keywords"],
            legal_basis=data.get("legal_basis") or "",
            author=request.user,
            note=data["note"],
        )
        if not change:  # the admin's "saved" message and redirect want the new row
            found = PostLicenceCatalogEntry.objects.get(
                licence=data["licence"].strip(), department=data["department"]
            )
            obj.pk = found.pk

    def delete_model(self, request, obj) -> None:
        services.catalogue_entry_delete(entry_id=obj.pk, author=request.user, note=str(_("管理后台删除")))

    def delete_queryset(self, request, queryset) -> None:
        for entry in queryset:
            self.delete_model(request, entry)
