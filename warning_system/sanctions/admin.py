from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.demo.admin import DemoAdminMixin

from . import measures, services
from .models import JointCheck, MeasuresCatalogue


class MeasuresCatalogueForm(forms.ModelForm):
    """Refuses what publishing would refuse, on the form, so nothing typed is lost."""

    class Meta:
        model = MeasuresCatalogue
        fields = ("effective_from", "note", "measures")
        help_texts = {
            "measures": _(
                "按事项代码分列：{事项代码: {label 名称, order 排序, colours 颜色, lists 名单, measure 措施, "
                "legal_basis 法律依据}}。事项代码为小写字母开头的 2–32 位小写字母、数字或下划线；"
                "增加一个代码即增加一个可核查的事项，删去则自生效日起不再核查该事项。"
            )
        }

    def clean(self):
        cleaned = super().clean()
        problems = measures.validate(cleaned.get("measures") or {})
        if problems:
            self.add_error("measures", "；".join(problems))
        if cleaned.get("effective_from") and cleaned["effective_from"] < timezone.localdate():
            self.add_error("effective_from", _("生效日期不能早于今天：已作出的核查不溯及既往。"))
        return cleaned


@admin.register(MeasuresCatalogue)
class MeasuresCatalogueAdmin(admin.ModelAdmin):
    """Saving never edits a version: it publishes a new one (audited), as the workspace's editor does."""

    form = MeasuresCatalogueForm

    list_display = ("version", "effective_from", "author", "created_at", "note")
    readonly_fields = ("version", "author", "created_at")
    fields = ("version", "effective_from", "note", "measures", "author", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            catalogue = services.catalogue_publish(
                measures_data=obj.measures,
                effective_from=obj.effective_from,
                author=request.user,
                note=obj.note,
            )
        except services.SanctionError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk, obj.version = catalogue.pk, catalogue.version
        self.message_user(
            request, _("已发布联合惩戒措施清单 v%(v)s") % {"v": catalogue.version}, messages.SUCCESS
        )


@admin.register(JointCheck)
class JointCheckAdmin(DemoAdminMixin, admin.ModelAdmin):
    list_display = ("subject", "use", "outcome", "colour", "checked_on", "channel", "requester_label",
                    "reported_action")  # fmt: skip
    list_filter = ("use", "outcome", "channel", "reported_action")
    search_fields = ("=subject__uscc", "subject_name")
    raw_id_fields = ("subject",)
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
