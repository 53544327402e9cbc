"""The filter of a score's drill-down: why the record cost points, its kind, a search by record id
or subject name. Every field is optional; an invalid value is ignored and the page says so."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from supervision.models import AssessmentFinding, FindingProblem
from warning_system.registry import contract


class AssessmentFindingFilter(django_filters.FilterSet):
    """`AssessmentFindingFilter(request.GET, queryset=selectors.findings(score))`."""

    problem = django_filters.ChoiceFilter(
        choices=FindingProblem.choices, label=_("扣分原因"), empty_label=_("全部原因")
    )
    kind = django_filters.ChoiceFilter(
        choices=[(k.key, _(k.label)) for k in contract.KINDS.values()],
        label=_("数据类型"),
        empty_label=_("全部类型"),
    )
    q = django_filters.CharFilter(method="filter_q", label=_("记录编号或主体名称"))

    class Meta:
        model = AssessmentFinding
        fields = ("problem", "kind", "q")

    def filter_q(
        self, queryset: QuerySet[AssessmentFinding], name: str, value: str
    ) -> QuerySet[AssessmentFinding]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(record_id=value) | Q(subject_name__contains=value))
