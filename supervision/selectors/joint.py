"""Reads of 联合惩戒 in the workspace: the checks a regulator may see, one check, the statistics and
the catalogue's versions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import QuerySet
from django.utils import timezone

from supervision.access import LEADERS
from supervision.filters.joint import JointCheckFilter
from supervision.selectors.linked import page_of
from warning_system.accounts.models import StaffProfile
from warning_system.sanctions import measures
from warning_system.sanctions import selectors as sanctions
from warning_system.sanctions.models import JointCheck, MeasuresCatalogue


def sees_all_checks(staff: StaffProfile) -> bool:
    """A department's staff see its own checks; leaders and administrators the city's."""
    return staff.role in LEADERS


def may_see(staff: StaffProfile, check: JointCheck) -> bool:
    return sees_all_checks(staff) or check.department_id == staff.department_id


def may_report(staff: StaffProfile, check: JointCheck) -> bool:
    """The asking department reports what it did: its members only, once."""
    return check.department_id == staff.department_id and not check.reported


def visible_checks(staff: StaffProfile, params: Mapping) -> tuple[JointCheckFilter, QuerySet[JointCheck]]:
    base = sanctions.checks_visible_to(staff.department_id, sees_all_checks(staff))
    filterset = JointCheckFilter(params or None, queryset=base)
    return filterset, filterset.qs


def checks_page(queryset: QuerySet[JointCheck], number) -> Page:
    return page_of(queryset, number)


def check_of(pk: int) -> JointCheck | None:
    return sanctions.checks().filter(pk=pk).first()


@dataclass
class Statistics:
    years: list[sanctions.YearRow]
    use_headings: list[str]
    by_use: list[sanctions.UseRow]
    by_requester: list[sanctions.RequesterRow]
    city: bool


def statistics(staff: StaffProfile) -> Statistics:
    """The disqualifications per use and year, checks per use and outcome, per asker: the city's
    for leaders and administrators, the department's own for its staff. Three queries."""
    base = sanctions.checks_visible_to(staff.department_id, sees_all_checks(staff)).order_by()
    years = sanctions.disqualified_by_year(base)
    return Statistics(
        years=years,
        use_headings=sanctions.use_headings(years),
        by_use=sanctions.checks_by_use(base),
        by_requester=sanctions.checks_by_requester(base),
        city=sees_all_checks(staff),
    )


@dataclass
class CatalogueView:
    catalogue: MeasuresCatalogue
    in_effect: MeasuresCatalogue
    entries: list[dict]  # per use: label, colours, lists (labels), measure, legal basis
    versions: list[MeasuresCatalogue]


def catalogue_view(version: int | None = None) -> CatalogueView | None:
    """A version (the one in effect today by default) laid out per use, with every version listed."""
    in_effect = sanctions.catalogue_for(timezone.localdate())
    catalogue = in_effect if version is None else sanctions.catalogue_version(version)
    if catalogue is None or in_effect is None:
        return None
    rules = dict(sanctions.rule_choices())
    colours = dict(JointCheck._meta.get_field("colour").choices)
    entries = []
    for use in measures.uses_of(catalogue.measures):
        entry = catalogue.measures[use]
        entries.append({
            "use": use, "label": sanctions.use_label(use, catalogue.measures),
            "colours": [(c, colours.get(c, c)) for c in entry.get("colours", [])],
            "lists": [rules.get(key, key) for key in entry.get("lists", [])],
            "measure": entry.get("measure", ""), "legal_basis": entry.get("legal_basis", ""),
        })  # fmt: skip
    return CatalogueView(catalogue, in_effect, entries, list(sanctions.catalogue_versions()))
