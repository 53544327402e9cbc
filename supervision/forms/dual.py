"""Forms of the 双告知 pages: what a department writes when it returns, answers or closes, and the
catalogue editor of the system administrators."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from supervision.models import DualFeedback
from warning_system.registry.models import Department

KEYWORD_SEPARATORS = re.compile(r"[;；、,，\s]+")


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("例如：该经营项目不属于本部门审批事项")}),
    )


class FeedbackForm(forms.Form):
    choice = forms.ChoiceField(label=_("核查结果"), choices=DualFeedback.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("情况说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("choice") == DualFeedback.OTHER and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("选择“其他”时请填写说明。"))
        return cleaned


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("办结意见"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Closing cannot be undone and shows on the subject's public page: an explicit tick, checked
    # by the server too (the page works without scripts).
    confirm = forms.BooleanField(label=_("确认办结"), error_messages={"required": _("请勾选确认后再办结。")})


class CatalogueEntryForm(forms.Form):
    licence = forms.CharField(label=_("许可事项"), max_length=100)
    department = forms.ModelChoiceField(label=_("审批部门"), queryset=Department.objects.order_by("code"))
    scope_keywords = forms.CharField(
        label=_("经营范围关键词"),
        max_length=1000,
        help_text=_("多个关键词用分号、顿号或空格分隔；经营范围包含任一关键词即需办理该许可。"),
    )
    legal_basis = forms.CharField(label=_("设定依据"), max_length=1000, required=False)
    note = forms.CharField(label=_("修改说明"), max_length=500, help_text=_("记入目录版本和监管留痕。"))

    def clean_scope_keywords(self) -> list[str]:
        keywords = [k for k in KEYWORD_SEPARATORS.split(self.cleaned_data["scope_keywords"]) if k]
        if not keywords:
            raise forms.ValidationError(_("请至少填写一个经营范围关键词。"))
        if any(len(k) > 50 for k in keywords):
            raise forms.ValidationError(_("每个关键词不超过 50 个字。"))
        return keywords


class CatalogueDeleteForm(forms.Form):
    note = forms.CharField(label=_("删除说明"), max_length=500)
