"""Filters of the department's credit repair applications."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from supervision.filters.linked import DATE_INPUT, kind_choices
from warning_system.classification.models import RepairApplication, RepairStatus


class RepairApplicationFilter(django_filters.FilterSet):
    """`RepairApplicationFilter(request.GET, queryset=department_applications(department))`."""

    status = django_filters.ChoiceFilter(
        choices=RepairStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )
    kind = django_filters.ChoiceFilter(label=_("数据类型"), empty_label=_("全部类型"))
    submitted_after = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label=_("申请日期自"), widget=DATE_INPUT
    )
    submitted_before = django_filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label=_("申请日期至"), widget=DATE_INPUT
    )

    class Meta:
        model = RepairApplication
        fields = ("status", "kind", "submitted_after", "submitted_before")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kind_choices()
