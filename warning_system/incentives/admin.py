from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import catalogue, services
from .models import IncentivesCatalogue


class IncentivesCatalogueForm(forms.ModelForm):
    """Refuses what publishing would refuse, on the form, so nothing typed is lost."""

    class Meta:
        model = IncentivesCatalogue
        fields = ("effective_from", "note", "incentives")

    def clean(self):
        cleaned = super().clean()
        problems = catalogue.validate(cleaned.get("incentives"))
        if problems:
            self.add_error("incentives", "；".join(problems))
        if cleaned.get("effective_from") and cleaned["effective_from"] < timezone.localdate():
            self.add_error("effective_from", _("生效日期不能早于今天。"))
        return cleaned


@admin.register(IncentivesCatalogue)
class IncentivesCatalogueAdmin(admin.ModelAdmin):
    """Saving never edits a version: it publishes a new one."""

    form = IncentivesCatalogueForm

    list_display = ("version", "effective_from", "author", "created_at", "note")
    readonly_fields = ("version", "author", "created_at")
    fields = ("version", "effective_from", "note", "incentives", "author", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            published = services.catalogue_publish(
                incentives_data=obj.incentives, effective_from=obj.effective_from, author=request.user,
                note=obj.note,
            )  # fmt: skip
        except services.IncentiveError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk, obj.version = published.pk, published.version
        self.message_user(
            request, _("已发布守信激励清单 v%(v)s") % {"v": published.version}, messages.SUCCESS
        )
