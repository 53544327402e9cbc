"""The filter of every 双告知 list: status, district, licence, competent department, push date and a
search by name or USCC. Every field is optional; an invalid value is ignored (django-filter applies
only the valid ones) and the page shows the form's error."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from supervision.models import DualNotification, DualStatus
from warning_system.registry.models import Department, District, PostLicenceCatalogEntry

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class DualNotificationFilter(django_filters.FilterSet):
    """`DualNotificationFilter(request.GET, queryset=queue_notifications(staff, key))`."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称或统一社会信用代码"))
    status = django_filters.ChoiceFilter(
        choices=DualStatus.choices, label=_("状态"), empty_label=_("全部状态")
    )
    district = django_filters.ChoiceFilter(
        field_name="subject__district_code", label=_("行政区划"), empty_label=_("全部行政区划")
    )
    licence = django_filters.ChoiceFilter(
        field_name="licence", label=_("许可事项"), empty_label=_("全部许可事项")
    )
    department = django_filters.ChoiceFilter(
        field_name="department_id", label=_("审批部门"), empty_label=_("全部部门")
    )
    pushed_from = django_filters.DateFilter(
        field_name="pushed_at", lookup_expr="date__gte", label=_("推送日期自"), widget=DATE_INPUT
    )
    pushed_to = django_filters.DateFilter(
        field_name="pushed_at", lookup_expr="date__lte", label=_("推送日期至"), widget=DATE_INPUT
    )

    class Meta:
        model = DualNotification
        fields = ("q", "status", "district", "licence", "department", "pushed_from", "pushed_to")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Reference data, read per filterset (never at import time).
        self.filters["district"].extra["choices"] = list(
            District.objects.order_by("code").values_list("code", "name")
        )
        licences = (
            PostLicenceCatalogEntry.objects.order_by("licence").values_list("licence", flat=True).distinct()
        )
        self.filters["licence"].extra["choices"] = [(name, name) for name in licences]
        self.filters["department"].extra["choices"] = list(
            Department.objects.order_by("code").values_list("code", "name")
        )

    def filter_q(
        self, queryset: QuerySet[DualNotification], name: str, value: str
    ) -> QuerySet[DualNotification]:
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 18 and value.isalnum():
            return queryset.filter(subject_id=value.upper())
        # The code's prefix through the subject's own column: the foreign key itself knows no `startswith`.
        return queryset.filter(Q(subject__name__contains=value) | Q(subject__uscc__startswith=value.upper()))
