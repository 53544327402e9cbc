"""Filters of 双随机: the task list, the inspectors directory and the subjects directory preview."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from supervision.filters.linked import department_choices, district_choices
from warning_system.classification.models import Colour
from warning_system.inspections.models import InspectionTask, Inspector, Qualification, TaskStatus
from warning_system.registry.choices import SubjectType
from warning_system.registry.models import enum_choices


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("编号或名称"))
    status = django_filters.ChoiceFilter(
        choices=TaskStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )

    class Meta:
        model = InspectionTask
        fields = ["q", "status"]

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(name__icontains=value)) if value else queryset


class InspectorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("姓名或执法证号"))
    department = django_filters.ChoiceFilter(
        field_name="department_id", label=_("部门"), empty_label=_("全部部门")
    )
    qualification = django_filters.ChoiceFilter(
        choices=Qualification.choices,
        method="filter_qualification",
        label=_("执法领域"),
        empty_label=_("全部领域"),
    )
    active = django_filters.BooleanFilter(label=_("在岗"))

    class Meta:
        model = Inspector
        fields = ["q", "department", "qualification", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = department_choices()

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(badge_number__icontains=value))
            if value
            else queryset
        )

    def filter_qualification(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(qualifications__contains=[value])


class ScopeForm(forms.Form):
    """A subjects directory's scope (a task's, or the preview's): every field empty means all."""

    district_codes = forms.MultipleChoiceField(
        label=_("行政区划"), required=False, widget=forms.CheckboxSelectMultiple
    )
    industry_prefixes = forms.CharField(
        label=_("行业代码前缀"), required=False, help_text=_("多个以空格或逗号分隔，如 F52 C13")
    )
    colours = forms.MultipleChoiceField(
        label=_("颜色"), choices=Colour.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    subject_types = forms.MultipleChoiceField(
        label=_("主体类型"), choices=SubjectType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    licence_category = forms.ChoiceField(label=_("持有许可类别"), required=False)
    licence_keyword = forms.CharField(label=_("持有许可证书名称包含"), required=False, max_length=50)
    key_supervision = forms.BooleanField(label=_("仅重点监管主体"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district_codes"].choices = district_choices()
        self.fields["licence_category"].choices = [("", _("不限")), *enum_choices("license_category")]

    def clean_industry_prefixes(self) -> list[str]:
        raw = self.cleaned_data["industry_prefixes"].replace("，", " ").replace(",", " ")
        prefixes = sorted({p.strip().upper() for p in raw.split() if p.strip()})
        if any(len(p) > 8 for p in prefixes):
            raise forms.ValidationError(_("行业代码前缀最长 8 位。"))
        return prefixes

    def scope(self) -> dict:
        """The scope as stored on a task (only the fields set)."""
        data = self.cleaned_data
        scope = {k: sorted(data[k]) for k in ("district_codes", "industry_prefixes", "colours", "subject_types")
                 if data.get(k)}  # fmt: skip
        for key in ("licence_category", "licence_keyword"):
            if data.get(key):
                scope[key] = data[key].strip()
        if data.get("key_supervision"):
            scope["key_supervision"] = True
        return scope

    @classmethod
    def initial_for(cls, scope: dict) -> dict:
        return {**scope, "industry_prefixes": " ".join(scope.get("industry_prefixes", []))}
