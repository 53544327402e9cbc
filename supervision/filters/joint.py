"""Filters of the 联合惩戒 checks list."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from supervision.filters.linked import DATE_INPUT
from warning_system.registry.codes import compact_code
from warning_system.sanctions.models import Channel, JointCheck, Outcome
from warning_system.sanctions.selectors import use_filter_choices


class JointCheckFilter(django_filters.FilterSet):
    """`JointCheckFilter(request.GET, queryset=checks_visible_to(...))`."""

    q = django_filters.CharFilter(method="search", label=_("代码或名称"))
    use = django_filters.ChoiceFilter(
        choices=use_filter_choices,
        label=pgettext_lazy("joint punishment use", "事项"),
        empty_label=pgettext_lazy("joint punishment use", "全部事项"),
    )
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("结果"), empty_label=_("全部结果"))
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("渠道"), empty_label=_("全部渠道"))
    reported = django_filters.ChoiceFilter(
        method="filter_reported", label=_("反馈"), empty_label=_("全部"),
        choices=(("yes", _("已反馈")), ("no", _("未反馈"))),
    )  # fmt: skip
    checked_after = django_filters.DateFilter(
        field_name="checked_on", lookup_expr="gte", label=_("核查日期自"), widget=DATE_INPUT
    )
    checked_before = django_filters.DateFilter(
        field_name="checked_on", lookup_expr="lte", label=_("核查日期至"), widget=DATE_INPUT
    )
    batch = django_filters.UUIDFilter(label=_("批次"))

    class Meta:
        model = JointCheck
        fields = ("q", "use", "outcome", "channel", "reported", "checked_after", "checked_before", "batch")

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(subject_id=compact_code(value)) | Q(subject_name__contains=value))
            if value
            else queryset
        )

    def filter_reported(self, queryset, name, value):
        if value == "yes":
            return queryset.exclude(reported_action="")
        return queryset.filter(reported_action="") if value == "no" else queryset
