"""A kept batch-check result read a page at a time: the summary (counts by colour and status),
the filter (only non-green, one colour, one status) and 100 rows per page.

Everything here reads the result kept by `services.batch_results` from the cache: no database
query, so a page costs the same for 20 entries as for 10,000.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy

from warning_system.classification.rules import GREEN, ORANGE, RED, YELLOW

from .batch import AMBIGUOUS, FOUND, INVALID, UNKNOWN, BatchResult, BatchRow

RESULT_KEY = "disclosure:batch:%s"
RESULT_SECONDS = 2 * 3600
PAGE_SIZE = 100
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

ALL, NOT_GREEN = "all", "not-green"
# (value of ?show=, label, which rows): the summary links and the filter read this one table.
SHOW_LABELS = {
    ALL: gettext_lazy("全部"),
    NOT_GREEN: gettext_lazy("非绿色"),
    RED: gettext_lazy("红色"),
    ORANGE: gettext_lazy("橙色"),
    YELLOW: gettext_lazy("黄色"),
    GREEN: gettext_lazy("绿色"),
    UNKNOWN: gettext_lazy("未查到"),
    INVALID: gettext_lazy("代码有误"),
    AMBIGUOUS: gettext_lazy("对应多个主体"),
}
SHOWS = tuple(SHOW_LABELS)
COLOURED = (RED, ORANGE, YELLOW, GREEN)


def _matches(show: str, row: BatchRow) -> bool:
    if show == ALL:
        return True
    if show == NOT_GREEN:
        return row.status == FOUND and row.colour != GREEN
    if show in COLOURED:
        return row.status == FOUND and row.colour == show
    return row.status == show


@dataclass
class NumberedRow:
    number: int  # 1-based position in the input, kept whatever the filter
    row: BatchRow


@dataclass
class Share:
    show: str
    label: str
    count: int


@dataclass
class ResultPage:
    token: str
    result: BatchResult
    show: str
    page: Page  # of NumberedRow
    summary: list[Share]

    @property
    def shown(self) -> int:
        return self.page.paginator.count

    @property
    def show_label(self) -> str:
        return str(SHOW_LABELS[self.show])


def _row(data: dict) -> BatchRow:
    checked_on = data.get("checked_on")
    return BatchRow(
        entry=data["entry"],
        status=data["status"],
        uscc=data["uscc"],
        name=data["name"],
        colour=data["colour"],
        colour_label=data["colour_label"],
        reasons=list(data["reasons"]),
        restrictions=list(data["restrictions"]),
        restriction_labels=list(data["restriction_labels"]),
        candidates=list(data["candidates"]),
        note=data["note"],
        checked_on=date.fromisoformat(checked_on) if checked_on else None,
    )


def kept_result(token: str) -> BatchResult | None:
    """The result kept under `token`, or None when the token is malformed, unknown or expired."""
    if not TOKEN.match(token or ""):
        return None
    data = cache.get(RESULT_KEY % token)
    if data is None:
        return None
    return BatchResult(
        [_row(row) for row in data["rows"]], date.fromisoformat(data["checked_on"]), dict(data["counts"])
    )


def summary(result: BatchResult) -> list[Share]:
    """How many rows each filter shows, in the filter's order."""
    counts = dict.fromkeys(SHOWS, 0)
    counts[ALL] = len(result.rows)
    for row in result.rows:
        for show in SHOWS[1:]:
            if _matches(show, row):
                counts[show] += 1
    return [Share(show, str(SHOW_LABELS[show]), counts[show]) for show in SHOWS]


def result_page(token: str, result: BatchResult, show: str = ALL, number: int | str = 1) -> ResultPage:
    """One page of the rows `show` selects (an out-of-range page number gives the last page)."""
    rows = [NumberedRow(n, row) for n, row in enumerate(result.rows, start=1) if _matches(show, row)]
    page = Paginator(rows, PAGE_SIZE).get_page(number)
    return ResultPage(token, result, show, page, summary(result))
