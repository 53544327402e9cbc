"""Filters of the 联动监管 inbox, the key supervision list and its alerts.

Every field is optional; an invalid value is ignored (django-filter applies only the valid ones)
and the page shows the form's error.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from supervision.models import InboxItem, KeySupervision, KeySupervisionAlert, LinkedKind
from warning_system.registry import contract
from warning_system.registry.models import Department, District

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def district_choices() -> list[tuple[str, str]]:
    return list(District.objects.order_by("code").values_list("code", "name"))


def department_choices() -> list[tuple[str, str]]:
    return list(Department.objects.order_by("code").values_list("code", "name"))


def kind_choices() -> list[tuple[str, str]]:
    return [(key, gettext(kind.label)) for key, kind in contract.KINDS.items()]


class InboxFilter(django_filters.FilterSet):
    """`InboxFilter(request.GET, queryset=inbox_items(department))`."""

    UNREAD, UNACKNOWLEDGED, ACKNOWLEDGED = "unread", "unacknowledged", "acknowledged"

    kind = django_filters.ChoiceFilter(
        choices=LinkedKind.choices, label=_("数据类型"), empty_label=_("全部类型")
    )
    state = django_filters.ChoiceFilter(
        choices=((UNREAD, _("未读")), (UNACKNOWLEDGED, _("未确认处理")), (ACKNOWLEDGED, _("已确认处理"))),
        method="filter_state",
        label=_("状态"),
        empty_label=_("全部状态"),
    )
    district = django_filters.ChoiceFilter(
        field_name="subject__district_code", label=_("行政区划"), empty_label=_("全部行政区划")
    )
    source = django_filters.ChoiceFilter(
        field_name="source_department_id", label=_("决定部门"), empty_label=_("全部部门")
    )
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("推送日期自"), widget=DATE_INPUT
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("推送日期至"), widget=DATE_INPUT
    )

    class Meta:
        model = InboxItem
        fields = ("kind", "state", "district", "source", "received_after", "received_before")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Reference data: read when the form is built, not at import time.
        self.filters["district"].extra["choices"] = district_choices()
        self.filters["source"].extra["choices"] = department_choices()

    def filter_state(self, queryset: QuerySet[InboxItem], name: str, value: str) -> QuerySet[InboxItem]:
        if value == self.UNREAD:
            return queryset.filter(read_at__isnull=True)
        if value == self.UNACKNOWLEDGED:
            return queryset.filter(acknowledged_at__isnull=True)
        if value == self.ACKNOWLEDGED:
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


class KeySupervisionFilter(django_filters.FilterSet):
    ACTIVE, FINISHED = "active", "finished"

    state = django_filters.ChoiceFilter(
        choices=((ACTIVE, _("监管中")), (FINISHED, _("已结束"))),
        method="filter_state",
        label=_("状态"),
        empty_label=_("全部状态"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("名称或统一社会信用代码"))

    class Meta:
        model = KeySupervision
        fields = ("state", "q")

    def filter_state(self, queryset: QuerySet[KeySupervision], name: str, value: str) -> QuerySet:
        today = timezone.localdate()
        open_now = Q(ended_at__isnull=True, ends_on__gte=today)
        if value == self.ACTIVE:
            return queryset.filter(open_now)
        if value == self.FINISHED:
            return queryset.exclude(open_now)
        return queryset

    def filter_q(self, queryset: QuerySet[KeySupervision], name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(subject_id=value.upper()) | Q(subject__name__contains=value))


class KeyAlertFilter(django_filters.FilterSet):
    OPEN, ACKNOWLEDGED = "open", "acknowledged"

    state = django_filters.ChoiceFilter(
        choices=((OPEN, _("待处理")), (ACKNOWLEDGED, _("已处理"))),
        method="filter_state",
        label=_("状态"),
        empty_label=_("全部状态"),
    )
    kind = django_filters.ChoiceFilter(label=_("数据类型"), empty_label=_("全部类型"))

    class Meta:
        model = KeySupervisionAlert
        fields = ("state", "kind")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = kind_choices()

    def filter_state(self, queryset: QuerySet[KeySupervisionAlert], name: str, value: str) -> QuerySet:
        if value == self.OPEN:
            return queryset.filter(acknowledged_at__isnull=True)
        if value == self.ACKNOWLEDGED:
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset
