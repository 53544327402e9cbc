"""The feeds of the city: one stream per (department, kind), each with its department's habits.

Why: real departments export differently — CSV, JSON Lines or XML; UTF-8, UTF-8 with BOM or
GB18030; canonical keys, 双公示 codes or Chinese labels in the header; columns left out or
shuffled; an extra column nobody asked for. The collectors must take them all, so each
stream draws its own style from the seed, and the first streams are forced to cover every
format, encoding, header style and gzip at least once, so that even a small city has them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from collectors.citygen.data import table
from collectors.citygen.people import GIVEN_FEMALE, SURNAMES
from collectors.citygen.reference import Department
from warning_system.registry import contract

_FEEDS = table("feeds")
# Fields a stream may leave out (a department's export omits them); everything else is always written.
DROPPABLE = {kind: frozenset(keys) for kind, keys in _FEEDS["droppable_fields"].items()}
EXTRA_COLUMNS = tuple(_FEEDS["extra_columns"])
# (format, encoding, header, gzip, needs a kind with 双公示 codes): each is forced on one stream.
COVERAGE = (
    ("csv", "utf-8-sig", "label", False, False),
    ("csv", "gb18030", "label", False, False),
    ("csv", "utf-8", "key", False, False),
    ("csv", "gb18030", "code", False, True),
    ("csv", "utf-8", "code", True, True),
    ("jsonl", "utf-8", "key", True, False),
    ("jsonl", "utf-8", "code", False, True),
    ("xml", "utf-8", "key", False, False),
    ("xml", "gb18030", "key", True, False),
    ("xml", "utf-8", "code", False, True),
    ("csv", "utf-8-sig", "key", True, False),
    ("xml", "gb18030", "code", False, True),
)
CODED_KINDS = ("license", "penalty")  # the kinds with 双公示 column codes


@dataclass
class Style:
    """How one department exports one kind: its format, encoding, header and value spellings."""

    format: str  # csv / jsonl / xml
    encoding: str  # utf-8 / utf-8-sig / gb18030
    header: str  # key / code / label
    gzip: bool
    date: int  # 0 2017-03-05, 1 2017/3/5, 2 20170305, 3 2017年3月5日, 4 mixed
    stamp: int  # 0 "2017-03-05 14:20:00", 1 ISO "T", 2 "2017/3/5 14:20:00", 3 without seconds
    enum: int  # 0 code, 1 label, 2 mixed
    amount: int  # 0 plain, 1 thousands separators, 2 messy (separators, full-width, unit)
    null: str
    sep: str
    crlf: bool
    shuffle: bool
    extra: str | None
    forever: str
    json_numbers: bool
    empty_elements: bool
    id_style: int
    op: str  # how an upsert is written


@dataclass(frozen=True)
class StreamSpec:
    """One (department, kind) feed: its file style, columns and header, fixed by the seed."""

    dept: Department
    kind: str
    style: Style
    columns: tuple[str, ...]
    names: tuple[str, ...]
    stamp: str
    corrections_stamp: str
    extra: tuple[str, str] | None  # an unknown column the department adds: (header, value)


def header_name(field: contract.Field, header: str, labels_allowed: bool = True) -> str:
    """The name a field gets in a header: its canonical key, its 双公示 code or its Chinese label.

    A field without a 双公示 code is written with its label in a "code" CSV header (as the
    departments' 双公示 exports do) and with its key in JSON Lines and XML, whose element
    names are canonical keys or codes only.
    """
    codes = [a for a in field.aliases if a.isascii() and a.isupper()]
    labels = [a for a in field.aliases if not a.isascii()]
    if header == "code" and codes:
        return codes[0]
    if header in ("code", "label") and labels and labels_allowed:
        return labels[0]
    return field.key


def _file_kind(rng: random.Random, kind: str) -> tuple[str, str, str, bool]:
    """Format, encoding, header style and gzip, drawn the way departments' exports are spread."""
    r = rng.random
    has_codes = kind in CODED_KINDS
    x = r()
    fmt = "csv" if x < 0.55 else ("jsonl" if x < 0.8 else "xml")
    if fmt == "csv":
        enc = rng.choice(("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-8-sig", "gb18030", "gb18030"))
        header = rng.choice(("code", "code", "label", "key") if has_codes else ("label", "label", "key"))
    elif fmt == "xml":
        enc = "gb18030" if r() < 0.3 else "utf-8"
        header = "code" if has_codes and r() < 0.5 else "key"
    else:
        enc = "utf-8"
        header = "code" if has_codes and r() < 0.5 else "key"
    return fmt, enc, header, r() < 0.2


def draw_style(rng: random.Random, kind: str, forced: tuple | None) -> Style:
    """A stream's style; `forced` fixes its format, encoding, header and gzip (coverage)."""
    r = rng.random
    fmt, enc, header, gz = forced or _file_kind(rng, kind)
    return Style(
        format=fmt,
        encoding=enc,
        header=header,
        gzip=gz,
        date=rng.choice((0, 0, 0, 1, 2, 3, 4)),
        stamp=rng.choice((0, 0, 1, 2, 3)),
        enum=rng.choice((0, 1, 1, 2)),
        amount=rng.choice((0, 0, 1, 2)),
        null=rng.choice(("", "", "", "", "-", "无", "null")),
        sep=rng.choice((";", "；", "、")),
        crlf=r() < 0.5,
        shuffle=r() < 0.3,
        extra=rng.choice(EXTRA_COLUMNS) if fmt == "csv" and r() < 0.25 else None,
        forever=rng.choice(("长期", "长期", "永久")),
        json_numbers=fmt == "jsonl" and r() < 0.5,
        empty_elements=r() < 0.4,
        id_style=rng.choice((0, 0, 1, 2)),
        op=rng.choice(("", "upsert", "upsert", "新增", "更新")),
    )


def _forced_styles(rng: random.Random, pairs: list[tuple[Department, str]]) -> dict[int, tuple]:
    """Which streams (by index) take which COVERAGE style, picked in a seeded order."""
    order = list(range(len(pairs)))
    rng.shuffle(order)
    forced: dict[int, tuple] = {}
    for fmt, enc, header, gz, needs_code in COVERAGE:
        for idx in order:
            if idx not in forced and (not needs_code or pairs[idx][1] in CODED_KINDS):
                forced[idx] = (fmt, enc, header, gz)
                break
    return forced


def _columns(rng: random.Random, kind: str, style: Style) -> list[contract.Field]:
    """The fields a stream writes: some optional ones dropped, the tail shuffled by some departments."""
    keep = [f for f in contract.KINDS[kind].fields if f.key not in DROPPABLE[kind] or rng.random() > 0.3]
    if style.shuffle:
        head, tail = keep[:3], keep[3:]
        rng.shuffle(tail)
        keep = head + tail
    return keep


def _extra_column(rng: random.Random, style: Style, dept: Department, as_of: date) -> tuple[str, str] | None:
    if not style.extra:
        return None
    value = {"数据批次号": f"{as_of:%Y%m%d}{dept.code}", "报送单位": dept.name}.get(style.extra)
    return style.extra, value or f"{rng.choice(SURNAMES)}{rng.choice(GIVEN_FEMALE)}"


def stream_specs(
    rng: random.Random, departments: list[Department], as_of: date
) -> dict[tuple[str, str], StreamSpec]:
    """Every department's streams; file stamps put a department's files minutes apart on as_of."""
    pairs = [(d, k) for d in departments for k in d.kinds]
    forced = _forced_styles(rng, pairs)
    minute = {d.code: rng.randrange(0, 50) for d in departments}
    specs = {}
    for idx, (d, k) in enumerate(pairs):
        style = draw_style(rng, k, forced.get(idx))
        keep = _columns(rng, k, style)
        extra = _extra_column(rng, style, d, as_of)
        specs[d.code, k] = StreamSpec(
            dept=d,
            kind=k,
            style=style,
            columns=tuple(f.key for f in keep),
            names=tuple(header_name(f, style.header, labels_allowed=style.format == "csv") for f in keep),
            stamp=f"{as_of:%Y%m%d}00{minute[d.code]:02d}{d.kinds.index(k):02d}",
            corrections_stamp=f"{as_of:%Y%m%d}06{minute[d.code]:02d}{d.kinds.index(k):02d}",
            extra=extra,
        )
    return specs
