"""Forms of 联动监管 and 重点监管: they parse and validate input; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc as stdnum_uscc

from supervision.filters.linked import district_choices
from supervision.models import LinkedKind, Subscription
from warning_system.classification.models import Colour
from warning_system.registry.models import enum_choices

SEPARATORS = re.compile(r"[;；、,，\s]+")
INDUSTRY_PREFIX = re.compile(r"^[A-T]\d{0,4}$")


def split_values(text: str) -> list[str]:
    """'食品；药品、 医疗器械' → ['食品', '药品', '医疗器械'], duplicates dropped, order kept."""
    return list(dict.fromkeys(v for v in SEPARATORS.split(text or "") if v))


class SubscriptionForm(forms.Form):
    name = forms.CharField(label=_("规则名称"), max_length=100)
    kinds = forms.MultipleChoiceField(
        label=_("数据类型"), choices=LinkedKind.choices, widget=forms.CheckboxSelectMultiple
    )
    licence_categories = forms.MultipleChoiceField(
        label=_("许可类别"),
        choices=enum_choices("license_category"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("仅对行政许可生效；不选表示全部类别。"),
    )
    certificate_keywords = forms.CharField(
        label=_("许可证书名称关键词"),
        required=False,
        max_length=1000,
        help_text=_("仅对行政许可生效；多个关键词用分号、顿号或空格分隔，包含任一关键词即匹配。"),
    )
    industry_prefixes = forms.CharField(
        label=_("行业代码前缀"),
        required=False,
        max_length=1000,
        help_text=_("国民经济行业分类（GB/T 4754）代码前缀，如 F52、H62；多个用分号分隔。不填表示全部行业。"),
    )
    district_codes = forms.MultipleChoiceField(
        label=_("行政区划"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("不选表示全部行政区划。"),
    )  # fmt: skip
    colours = forms.MultipleChoiceField(
        label=_("主体颜色"), choices=Colour.choices, widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("按推送时主体的颜色匹配；不选表示全部颜色。"),
    )  # fmt: skip
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district_codes"].choices = district_choices()

    @classmethod
    def initial_for(cls, subscription: Subscription) -> dict:
        return {
            "name": subscription.name,
            "kinds": subscription.kinds,
            "licence_categories": subscription.licence_categories,
            "certificate_keywords": "；".join(subscription.certificate_keywords),
            "industry_prefixes": "；".join(subscription.industry_prefixes),
            "district_codes": subscription.district_codes,
            "colours": subscription.colours,
            "active": subscription.active,
        }

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_certificate_keywords(self) -> list[str]:
        keywords = split_values(self.cleaned_data["certificate_keywords"])
        if any(len(k) > 50 for k in keywords):
            raise forms.ValidationError(_("每个关键词不超过 50 个字。"))
        return keywords

    def clean_industry_prefixes(self) -> list[str]:
        prefixes = [p.upper() for p in split_values(self.cleaned_data["industry_prefixes"])]
        wrong = [p for p in prefixes if not INDUSTRY_PREFIX.match(p)]
        if wrong:
            raise forms.ValidationError(
                _("行业代码前缀应为门类字母加至多 4 位数字：%(codes)s"), params={"codes": "、".join(wrong)}
            )
        return list(dict.fromkeys(prefixes))


class NoteForm(forms.Form):
    """确认处理 of an inbox item or a key supervision alert: an optional note."""

    note = forms.CharField(
        label=_("处理说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class KeySupervisionForm(forms.Form):
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=40)
    reason = forms.CharField(label=_("列入理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填表示今天。"),
    )  # fmt: skip
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean_uscc(self) -> str:
        try:
            return stdnum_uscc.validate(self.cleaned_data["uscc"])
        except stdnum_exceptions.ValidationError as exc:
            raise forms.ValidationError(_("统一社会信用代码无效。")) from exc

    def clean_reason(self) -> str:
        return self.cleaned_data["reason"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on = cleaned.get("starts_on") or timezone.localdate()
        cleaned["starts_on"] = starts_on
        ends_on = cleaned.get("ends_on")
        if ends_on and ends_on < max(starts_on, timezone.localdate()):
            self.add_error("ends_on", _("结束日期不能早于开始日期或今天。"))
        return cleaned


class KeyEndForm(forms.Form):
    reason = forms.CharField(label=_("解除理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
