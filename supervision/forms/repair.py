"""The department's decision on a credit repair application."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RepairDecisionForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(
        label=_("审核结论"),
        choices=((APPROVE, _("同意修复")), (REJECT, _("驳回"))),
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("驳回时必须说明理由。"),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["reason"] = (cleaned.get("reason") or "").strip()
        if cleaned.get("decision") == self.REJECT and not cleaned["reason"]:
            self.add_error("reason", _("驳回须说明理由。"))
        return cleaned
