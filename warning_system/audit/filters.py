"""The audit search's filters: who, which department, what, which subject, when."""

from __future__ import annotations

from datetime import datetime, time

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warning_system.audit.models import Action, AuditEntry
from warning_system.audit.services import day_end
from warning_system.registry.codes import compact_code

# The browser's date picker sends and shows ISO dates, whatever the language's date format.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditEntryFilter(django_filters.FilterSet):
    """`AuditEntryFilter(request.GET, queryset=..., departments=[(code, name), ...])`.

    `departments` are the choices offered (a leader is offered only their own); the scope itself is
    the queryset's, decided by the selector. An invalid value is shown and ignored, as elsewhere.
    """

    user = django_filters.CharFilter(field_name="actor_name", label=_("操作人账号"))
    department = django_filters.ChoiceFilter(
        field_name="department_id", label=_("部门"), empty_label=_("全部部门")
    )
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("操作"), empty_label=_("全部操作"))
    subject = django_filters.CharFilter(method="filter_subject", label=_("主体统一社会信用代码"))
    date_from = django_filters.DateFilter(method="filter_date_from", label=_("起始日期"), widget=DATE_INPUT)
    date_to = django_filters.DateFilter(method="filter_date_to", label=_("截止日期"), widget=DATE_INPUT)

    class Meta:
        model = AuditEntry
        fields = ("user", "department", "action", "subject", "date_from", "date_to")

    def __init__(self, *args, departments: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = list(departments)

    def filter_subject(self, queryset: QuerySet[AuditEntry], name: str, value: str) -> QuerySet[AuditEntry]:
        return queryset.filter(subject_uscc=compact_code(value)) if value else queryset

    # Days are the city's (Asia/Shanghai) and compared as a range on `at`, which its index serves.
    def filter_date_from(self, queryset: QuerySet[AuditEntry], name: str, value) -> QuerySet[AuditEntry]:
        return (
            queryset.filter(at__gte=timezone.make_aware(datetime.combine(value, time.min)))
            if value
            else queryset
        )

    def filter_date_to(self, queryset: QuerySet[AuditEntry], name: str, value) -> QuerySet[AuditEntry]:
        return queryset.filter(at__lt=day_end(value)) if value else queryset
