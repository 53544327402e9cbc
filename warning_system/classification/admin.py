from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from warning_system.demo.admin import DemoAdminMixin

from . import services
from .models import (
    ColourChange,
    ColourVerification,
    DailyColourCount,
    RepairApplication,
    RepairStep,
    Ruleset,
    SubjectColour,
)


@admin.register(Ruleset)
class RulesetAdmin(admin.ModelAdmin):
    """Saving never edits a version: it publishes a new one and recomputes the subjects affected."""

    list_display = ("version", "effective_from", "author", "created_at", "note")
    readonly_fields = ("version", "author", "created_at")
    fields = ("version", "effective_from", "note", "rules", "repair", "author", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        ruleset, result = services.ruleset_publish(
            rules_data=obj.rules, repair=obj.repair, effective_from=obj.effective_from,
            author=request.user, note=obj.note,
        )  # fmt: skip
        obj.pk, obj.version = ruleset.pk, ruleset.version
        if result is not None:
            self.message_user(
                request,
                _("已发布规则 v%(v)s，重新评价 %(n)s 个主体，%(c)s 个颜色变化")
                % {"v": ruleset.version, "n": result.evaluated, "c": result.changed},
                messages.SUCCESS,
            )


@admin.register(SubjectColour)
class SubjectColourAdmin(admin.ModelAdmin):
    list_display = ("subject", "colour", "since", "evaluated_on", "next_change_on", "next_colour", "ruleset")
    list_filter = ("colour",)
    search_fields = ("=subject__uscc", "subject__name")
    raw_id_fields = ("subject",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # the colour engine writes these; with every field read-only, a row added here is empty


@admin.register(ColourChange)
class ColourChangeAdmin(admin.ModelAdmin):
    list_display = ("subject", "from_colour", "to_colour", "effective_on", "changed_at", "ruleset")
    list_filter = ("to_colour", "from_colour")
    search_fields = ("=subject__uscc",)
    raw_id_fields = ("subject",)
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # the colour engine writes these; with every field read-only, a row added here is empty


@admin.register(ColourVerification)
class ColourVerificationAdmin(admin.ModelAdmin):
    """The watchdog's runs: read-only, newest first (a run is made by classify --verify or nightly)."""

    list_display = ("started_at", "as_of", "evaluated", "differing", "fixed", "seconds")
    list_filter = ("as_of",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(DailyColourCount)
class DailyColourCountAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = ("day", "green", "yellow", "orange", "red")


class RepairStepInline(admin.TabularInline):
    model = RepairStep
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor", "note", "at")

    def has_add_permission(self, request, obj=None):
        return False


class RepairApplicationForm(forms.ModelForm):
    """An application entered here goes through the same service as any other: the record must
    exist, belong to a subject and be repairable under the rules in force."""

    class Meta:
        model = RepairApplication
        fields = ("kind", "record_pk", "applicant", "applicant_name", "reason")

    def clean(self):
        data = super().clean()
        if not self.errors and not self.instance.pk:
            try:
                services.repair_application_check(
                    kind=data["kind"], record_pk=data["record_pk"], applicant=data["applicant"],
                    reason=data["reason"],
                )  # fmt: skip
            except services.RepairError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(RepairApplication)
class RepairApplicationAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "kind", "record_id", "department", "applicant_name", "status", "submitted_at")
    list_filter = ("status", "kind", "department")
    search_fields = ("=subject__uscc", "=record_id")
    raw_id_fields = ("subject",)
    inlines = [RepairStepInline]
    actions = ["approve", "reject"]
    readonly_fields = ("status", "decided_at", "decided_by")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:  # an application is entered through the service; it is decided by the actions
            kwargs["form"] = RepairApplicationForm
        return super().get_form(request, obj, **kwargs)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else [f.name for f in RepairApplication._meta.fields]

    def get_fields(self, request, obj=None):
        return list(RepairApplicationForm.Meta.fields) if obj is None else super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return  # never edited in place
        data = form.cleaned_data
        application = services.repair_apply(
            kind=data["kind"], record_pk=data["record_pk"], applicant=data["applicant"],
            applicant_name=data["applicant_name"], reason=data["reason"], actor=request.user,
        )  # fmt: skip
        obj.pk = application.pk
        obj.refresh_from_db()

    @admin.action(description=_("通过所选申请"))
    def approve(self, request, queryset):
        self._decide(request, queryset, True)

    @admin.action(description=_("驳回所选申请（理由：不符合修复条件）"))
    def reject(self, request, queryset):
        self._decide(request, queryset, False)

    def _decide(self, request, queryset, approve):
        for application in queryset:
            try:
                services.repair_decide(
                    application=application, approve=approve, reviewer=request.user,
                    reason="" if approve else str(_("不符合修复条件")),
                )  # fmt: skip
            except services.RepairError as exc:
                self.message_user(request, f"{application}: {exc}", messages.ERROR)
