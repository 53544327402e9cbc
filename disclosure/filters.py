"""Filters over public subjects, shared by the colour lists, their exports and the search page.

Every field is optional. An invalid value makes the form invalid; django-filter then applies only the
valid fields, so views show the form's errors and carry on without that filter (never a 500).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from warning_system.classification.models import Colour
from warning_system.classification.rules import GREEN
from warning_system.registry import subject_types
from warning_system.registry.choices import SubjectType
from warning_system.registry.models import District, Subject

# The sections (门类) of GB/T 4754-2017: an industry code starts with its section letter.
INDUSTRY_SECTIONS = (
    ("A", _("农、林、牧、渔业")),
    ("B", _("采矿业")),
    ("C", _("制造业")),
    ("D", _("电力、热力、燃气及水生产和供应业")),
    ("E", _("建筑业")),
    ("F", _("批发和零售业")),
    ("G", _("交通运输、仓储和邮政业")),
    ("H", _("住宿和餐饮业")),
    ("I", _("信息传输、软件和信息技术服务业")),
    ("J", _("金融业")),
    ("K", _("房地产业")),
    ("L", _("租赁和商务服务业")),
    ("M", _("科学研究和技术服务业")),
    ("N", _("水利、环境和公共设施管理业")),
    ("O", _("居民服务、修理和其他服务业")),
    ("P", _("教育")),
    ("Q", _("卫生和社会工作")),
    ("R", _("文化、体育和娱乐业")),
    ("S", _("公共管理、社会保障和社会组织")),
    ("T", _("国际组织")),
)


# The three registries that register subjects (USCC character 1), in the order people look for them.
AUTHORITIES = (
    ("market_regulation", _("市场监督管理部门")),
    ("civil_affairs", _("民政部门")),
    ("establishment_office", _("机构编制部门")),
)


def authority_q(authority: str) -> Q:
    """Subjects registered by that registry: their USCC's first character names it."""
    first = {kind: char for char, kind in subject_types.AUTHORITY_KINDS.items()}[authority]
    return Q(uscc__startswith=first)


def colour_q(colour: str) -> Q:
    """Subjects of `colour`: a subject not evaluated yet has nothing against it, so it is green."""
    if colour == GREEN:
        return Q(colour__colour=GREEN) | Q(colour__isnull=True)
    return Q(colour__colour=colour)


def district_choices() -> list[tuple[str, str]]:
    return list(District.objects.order_by("code").values_list("code", "name"))


class SubjectFilter(django_filters.FilterSet):
    """`SubjectFilter(request.GET, queryset=public_subjects())`: district, industry, colour, type, registry."""

    district = django_filters.ChoiceFilter(
        field_name="district_code", label=_("行政区划"), empty_label=_("全部行政区划")
    )
    industry = django_filters.ChoiceFilter(
        choices=INDUSTRY_SECTIONS, method="filter_industry", label=_("行业门类"), empty_label=_("全部行业")
    )
    colour = django_filters.ChoiceFilter(
        choices=Colour.choices, method="filter_colour", label=_("颜色"), empty_label=_("全部颜色")
    )
    subject_type = django_filters.ChoiceFilter(
        choices=SubjectType.choices, label=_("主体类型"), empty_label=_("全部主体类型")
    )
    authority = django_filters.ChoiceFilter(
        choices=AUTHORITIES,
        method="filter_authority",
        label=_("登记管理部门"),
        empty_label=_("全部登记管理部门"),
    )

    class Meta:
        model = Subject
        fields = ("district", "industry", "colour", "subject_type", "authority")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Districts are reference data: read once per filterset, not at import time.
        self.filters["district"].extra["choices"] = district_choices()

    def filter_industry(self, queryset: QuerySet[Subject], name: str, value: str) -> QuerySet[Subject]:
        return queryset.filter(industry_code__startswith=value) if value else queryset

    def filter_colour(self, queryset: QuerySet[Subject], name: str, value: str) -> QuerySet[Subject]:
        return queryset.filter(colour_q(value)) if value else queryset

    def filter_authority(self, queryset: QuerySet[Subject], name: str, value: str) -> QuerySet[Subject]:
        return queryset.filter(authority_q(value)) if value else queryset


class ColourListFilter(SubjectFilter):
    """The filters of a colour list: its colour is fixed by the list itself."""

    colour = None

    class Meta(SubjectFilter.Meta):
        fields = ("district", "industry", "subject_type", "authority")
