"""Colour lists, their exports and the city's colour statistics: reads on top of `public`.

Lists never page deeply (MAX_PAGES) and exports stop at EXPORT_LIMIT rows: the public narrows the
filters instead of walking the whole registry. Each statistic is one grouped query.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr, Upper
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from warning_system.classification.models import DailyColourCount, SubjectColour
from warning_system.classification.rules import COLOURS, GREEN, ORANGE, RED, YELLOW
from warning_system.registry.choices import SubjectType
from warning_system.registry.models import District, Subject
from warning_system.sanctions import selectors as sanctions

from ..filters import INDUSTRY_SECTIONS, ColourListFilter, colour_q
from .public import COLOUR_LABELS, public_name, public_subjects, reasons_by_subject

# The published lists: green is everyone else, not a list.
LIST_COLOURS = (YELLOW, ORANGE, RED)
LIST_TITLES = {YELLOW: _("黄色名单"), ORANGE: _("橙色名单"), RED: _("红色名单")}
PAGE_SIZE = 50
MAX_PAGES = 20
EXPORT_LIMIT = 10_000
TREND_DAYS = 90
# What a list row or an export line reads: not the whole registration.
LIST_FIELDS = ("uscc", "name", "subject_type", "district_code", "colour__colour", "colour__since",
               "colour__explanation", "legal_representative")  # fmt: skip

MIX_DIMENSIONS = (
    ("district", _("按行政区划")),
    ("industry", _("按行业门类")),
    ("subject_type", _("按主体类型")),
)
UNKNOWN = ""


def colour_label(colour: str) -> str:
    return gettext(str(COLOUR_LABELS[colour]))


# --------------------------------------------------------------------------- lists


def colour_list(colour: str, filter_data: Mapping | None) -> tuple[ColourListFilter, QuerySet[Subject]]:
    """Public subjects of `colour`, filtered, newest listings first (invalid filters are ignored)."""
    base = (
        public_subjects()
        .filter(colour_q(colour))
        .select_related("colour")
        .only(*LIST_FIELDS)
        .order_by(F("colour__since").desc(nulls_last=True), "uscc")
    )
    filterset = ColourListFilter(filter_data or None, queryset=base)
    return filterset, filterset.qs


@dataclass
class ListRow:
    uscc: str
    name: str
    colour: str
    colour_label: str
    since: date | None
    reasons: list[str]
    district: str = ""
    subject_type: str = ""


def _stored_colour(subject: Subject) -> SubjectColour | None:
    try:
        return subject.colour
    except SubjectColour.DoesNotExist:
        return None


def list_row(subject: Subject, district_names: Mapping[str, str] | None = None) -> ListRow:
    """One subject as lists and exports show it (its colour must have been select_related)."""
    stored = _stored_colour(subject)
    colour = stored.colour if stored else GREEN
    reasons = reasons_by_subject([stored]).get(subject.uscc, []) if stored else []
    district = (district_names or {}).get(subject.district_code, subject.district_code)
    name = public_name(subject.name, subject.subject_type, subject.legal_representative)
    return ListRow(
        subject.uscc, name, colour, colour_label(colour), stored.since if stored else None, reasons,
        district, subject.get_subject_type_display(),
    )  # fmt: skip


@dataclass
class ListPage:
    rows: list[ListRow] = field(default_factory=list)
    page: Page | None = None
    pages_shown: int = 0  # the pages that may be opened: never more than MAX_PAGES
    capped: bool = False  # more results than MAX_PAGES pages show
    beyond_cap: bool = False  # the page asked for is past MAX_PAGES: narrow the filters

    @property
    def found(self) -> bool:
        return self.page is not None

    @property
    def has_next(self) -> bool:
        """A next page exists and is within the cap."""
        return self.page is not None and self.page.number < self.pages_shown


def list_page(queryset: QuerySet[Subject], number: str | None) -> ListPage:
    """One page of a list; `found` is False for a page that does not exist or is past MAX_PAGES."""
    try:
        wanted = int(number or 1)
    except ValueError:
        return ListPage()
    if wanted > MAX_PAGES:
        return ListPage(beyond_cap=True)
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        page = paginator.page(wanted)
    except InvalidPage:
        return ListPage()
    rows = [list_row(subject) for subject in page.object_list]
    shown = min(paginator.num_pages, MAX_PAGES)
    return ListPage(rows, page, shown, paginator.num_pages > MAX_PAGES)


def export_header() -> list[str]:
    return [gettext("统一社会信用代码"), gettext("名称"), gettext("颜色"), gettext("列入日期"), gettext("原因"),
            gettext("行政区划"), gettext("主体类型")]  # fmt: skip


def export_rows(colour: str, filter_data: Mapping | None) -> Iterator[list[str]]:
    """The header, then the filtered list (at most EXPORT_LIMIT rows, then a note that it was cut)."""
    limit = EXPORT_LIMIT
    _filterset, queryset = colour_list(colour, filter_data)
    district_names = dict(District.objects.values_list("code", "name"))
    yield export_header()
    for count, subject in enumerate(queryset[: limit + 1].iterator(chunk_size=2000), start=1):
        if count > limit:
            yield [gettext("# 结果超过 %(limit)s 条，仅导出前 %(limit)s 条；请缩小筛选范围后分批导出。")
                   % {"limit": f"{limit:,}"}]  # fmt: skip
            return
        row = list_row(subject, district_names)
        yield [row.uscc, row.name, row.colour_label, row.since.isoformat() if row.since else "",
               "；".join(row.reasons), row.district, row.subject_type]  # fmt: skip


# --------------------------------------------------------------------------- statistics


@dataclass
class MixRow:
    key: str
    label: str
    green: int
    yellow: int
    orange: int
    red: int
    total: int
    shares: dict[str, float]  # colour -> percent of the row's total (0–100, one decimal)

    def count(self, colour: str) -> int:
        return getattr(self, colour)


def _mix_row(key: str, label: str, counts: Mapping[str, int]) -> MixRow:
    total = sum(counts[c] for c in COLOURS)
    shares = {c: round(100 * counts[c] / total, 1) if total else 0.0 for c in COLOURS}
    return MixRow(key, str(label), *(counts[c] for c in COLOURS), total, shares)


def _grouped_counts(queryset: QuerySet[Subject], *group_by: str) -> list[dict]:
    """Counts per colour of each group, in one query: a LEFT JOIN, so unevaluated subjects are green."""
    counts = {colour: Count("pk", filter=colour_q(colour)) for colour in COLOURS}
    return list(queryset.values(*group_by).annotate(**counts).order_by(*group_by))


def _by_district() -> list[MixRow]:
    name = Subquery(District.objects.filter(code=OuterRef("district_code")).order_by().values("name")[:1])
    rows = _grouped_counts(
        public_subjects().annotate(key=F("district_code"), district_name=name), "key", "district_name"
    )
    return [_mix_row(r["key"], r["district_name"] or r["key"] or gettext("未注明"), r) for r in rows]


def _by_industry() -> list[MixRow]:
    section = Upper(Substr(Coalesce("industry_code", Value("")), 1, 1))
    rows = _grouped_counts(public_subjects().annotate(key=section), "key")
    labels = dict(INDUSTRY_SECTIONS)
    merged: dict[str, dict[str, int]] = {}
    for row in rows:
        key = row["key"] if row["key"] in labels else UNKNOWN  # codes without a section letter
        bucket = merged.setdefault(key, dict.fromkeys(COLOURS, 0))
        for colour in COLOURS:
            bucket[colour] += row[colour]
    order = [code for code, _label in INDUSTRY_SECTIONS] + [UNKNOWN]
    return [
        _mix_row(key, f"{key} {labels[key]}" if key else gettext("未注明行业"), merged[key])
        for key in order
        if key in merged
    ]


def _by_subject_type() -> list[MixRow]:
    rows = {r["key"]: r for r in _grouped_counts(public_subjects().annotate(key=F("subject_type")), "key")}
    labels = dict(SubjectType.choices)
    order = [value for value, _label in SubjectType.choices] + sorted(set(rows) - set(labels))
    return [_mix_row(key, labels.get(key, key), rows[key]) for key in order if key in rows]


MIXES = {"district": _by_district, "industry": _by_industry, "subject_type": _by_subject_type}


def colour_mix(dimension: str) -> list[MixRow]:
    """The colours of public subjects per district, industry section or subject type."""
    return MIXES[dimension]()


def colour_mixes() -> list[tuple[str, str, list[MixRow]]]:
    """(dimension, heading, rows) of every dimension, in page order."""
    return [(key, str(heading), colour_mix(key)) for key, heading in MIX_DIMENSIONS]


def colour_trend(days: int = TREND_DAYS) -> list[DailyColourCount]:
    """The city's daily colour counts of the last `days` days (today included), oldest first."""
    since = timezone.localdate() - timedelta(days=days)
    return list(DailyColourCount.objects.filter(day__gt=since).order_by("day"))


def disqualifications() -> tuple[list[str], list]:
    """联合惩戒: per year, how many distinct subjects were refused each use (as the askers reported
    back), with the uses' headings. One grouped query; counts only, never who."""
    rows = sanctions.disqualified_by_year()
    return sanctions.use_headings(rows), rows
