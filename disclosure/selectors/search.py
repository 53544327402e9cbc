"""Search for subjects as the public types it: a code, part of a name, a person, or pinyin.

Relevance as people expect from the big credit sites: an exact code first; then names equal to
or beginning with the query, then names containing it, then subjects whose legal representative
has exactly that name. Letters only (`nchs`, `nanchang`) are read as pinyin: names whose initials
begin with them, then whose full pinyin begins with them, then whose initials contain them. Each
phase is served by an index and runs only when the earlier ones left room; the whole search, with
a count of everything that matched (up to COUNT_CAP), is one statement. Each hit carries the span of
its name that matched, which the page highlights.
"""

from __future__ import annotations

import re
from typing import TypedDict

from django.db import connection, connections
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import translation
from django.utils.translation import gettext

from warning_system import standby
from warning_system.classification import rules
from warning_system.classification.models import SubjectColour
from warning_system.registry import subject_types
from warning_system.registry.choices import RegistrationStatus
from warning_system.registry.models import Subject
from warning_system.registry.pinyin import initials_span, pinyin_prefix_span

from .public import (
    COLOUR_LABELS,
    _type_labels,
    looks_like_code,
    mask_person_name,
    public_name,
    subjects_by_code,
)

SEARCH_LIMIT = 50
COUNT_CAP = 1_000  # beyond this a page says "more than 1,000": counting further costs more than it tells
PINYIN = re.compile(r"^[a-z]{2,40}$")

# The subject's columns a search result is built from, then its colour and the pinyin it matched by.
SEARCH_FIELDS = ("uscc", "name", "subject_type", "status", "legal_representative", "enterprise_type")
_SEARCH_ROW = (*SEARCH_FIELDS, "colour_code", "initials", "syllables")


class SearchHit(TypedDict):
    """One search result as published: a plain dict, which templates and serializers read fastest."""

    uscc: str
    name: str
    subject_type: str
    type_label: str
    status: str
    status_label: str
    legal_representative: str | None
    representative_label: str
    colour: str
    colour_label: str
    match: tuple[int, int] | None  # characters of `name` that matched the query


class SearchResult(list):
    """The hits, in order (a list), and how many subjects matched in all (`total`, at most COUNT_CAP;
    `more` when there were more than that)."""

    def __init__(self, hits: list[SearchHit], total: int):
        super().__init__(hits)
        self.total = min(total, COUNT_CAP)
        self.more = total > COUNT_CAP


def _bigrams(text: str) -> list[str]:
    return sorted({text[i : i + 2] for i in range(len(text) - 1)})


_COLUMNS = ", ".join(f"s.{column}" for column in SEARCH_FIELDS)
_CANDIDATES = f"""
    FROM registry_subject s
    WHERE NOT s.withdrawn {{within}}
      -- Natural persons are not found by their operator's name (see public.disclose_subject).
      AND (s.subject_type <> '{subject_types.INDIVIDUAL_BUSINESS}' OR s.name IS DISTINCT FROM s.legal_representative)
"""
_OUTPUT = f"""
SELECT {", ".join(f"f.{column}" for column in SEARCH_FIELDS)}, c.colour, n.initials, n.syllables,
       (SELECT count(*) FROM counted) AS total
FROM found f
LEFT JOIN classification_subjectcolour c ON c.subject_id = f.uscc
LEFT JOIN registry_subjectsearchname n ON n.uscc = f.uscc
ORDER BY f.phase, f.name COLLATE "C", f.uscc
"""
_BY_NAME = f"""
WITH beginning AS MATERIALIZED (
    -- Byte order puts the name equal to the query first, then the names it begins.
    SELECT {_COLUMNS}, 0 AS phase {_CANDIDATES}
      AND (s.name COLLATE "C") LIKE %(prefix)s
    ORDER BY s.name COLLATE "C", s.uscc LIMIT %(limit)s
), room AS (
    SELECT %(limit)s - count(*) AS n FROM beginning
), later AS (
    -- Not ordered: sorting every name that contains a common pair of characters to keep the
    -- first few would read them all; those first found are shown, with the count of them all.
    (SELECT {_COLUMNS}, 1 AS phase {_CANDIDATES}
       AND s.name_bigrams @> %(bigrams)s AND s.name LIKE %(infix)s AND (s.name COLLATE "C") NOT LIKE %(prefix)s
     LIMIT (SELECT n FROM room))
    UNION ALL
    (SELECT {_COLUMNS}, 2 AS phase {_CANDIDATES}
       AND s.legal_representative = %(query)s AND s.name NOT LIKE %(infix)s
       AND s.subject_type <> '{subject_types.INDIVIDUAL_BUSINESS}'
     ORDER BY s.name COLLATE "C", s.uscc LIMIT (SELECT n FROM room))
), found AS (
    SELECT * FROM beginning
    UNION ALL
    (SELECT * FROM later ORDER BY phase, name COLLATE "C", uscc LIMIT (SELECT n FROM room))
), counted AS (
    (SELECT 1 {_CANDIDATES} AND s.name_bigrams @> %(bigrams)s AND s.name LIKE %(infix)s LIMIT %(cap)s)
    UNION ALL
    (SELECT 1 {_CANDIDATES} AND s.legal_representative = %(query)s AND s.name NOT LIKE %(infix)s
       AND s.subject_type <> '{subject_types.INDIVIDUAL_BUSINESS}' LIMIT %(cap)s)
)
{_OUTPUT}
"""
_PINYIN_CANDIDATES = _CANDIDATES.replace("FROM registry_subject s", "FROM registry_subjectsearchname p "
                                         "JOIN registry_subject s ON s.uscc = p.uscc")  # fmt: skip
_BY_PINYIN = f"""
WITH by_initials AS MATERIALIZED (
    SELECT {_COLUMNS}, 0 AS phase {_PINYIN_CANDIDATES}
      AND (p.initials COLLATE "C") LIKE %(prefix)s
    ORDER BY p.initials COLLATE "C", s.uscc LIMIT %(limit)s
), room AS (
    SELECT %(limit)s - count(*) AS n FROM by_initials
), by_pinyin AS MATERIALIZED (
    SELECT {_COLUMNS}, 1 AS phase {_PINYIN_CANDIDATES}
      AND (p.pinyin COLLATE "C") LIKE %(prefix)s AND (p.initials COLLATE "C") NOT LIKE %(prefix)s
    ORDER BY p.pinyin COLLATE "C", s.uscc LIMIT (SELECT n FROM room)
), room2 AS (
    SELECT (SELECT n FROM room) - count(*) AS n FROM by_pinyin
), within_initials AS (
    -- Initials anywhere in the name (海森建材 in 南昌海森建材…: hsjc), by the trigram index.
    SELECT {_COLUMNS}, 2 AS phase {_PINYIN_CANDIDATES}
      AND %(anywhere)s AND p.initials LIKE %(infix)s AND (p.initials COLLATE "C") NOT LIKE %(prefix)s
      AND (p.pinyin COLLATE "C") NOT LIKE %(prefix)s
    LIMIT (SELECT n FROM room2)
), found AS (
    SELECT * FROM by_initials UNION ALL SELECT * FROM by_pinyin UNION ALL SELECT * FROM within_initials
), counted AS (
    SELECT 1 {_PINYIN_CANDIDATES}
      AND ((p.initials COLLATE "C") LIKE %(prefix)s OR (p.pinyin COLLATE "C") LIKE %(prefix)s
           OR (%(anywhere)s AND p.initials LIKE %(infix)s))
    LIMIT %(cap)s
)
{_OUTPUT}
"""


def search_subjects(query: str, base: QuerySet[Subject] | None = None) -> SearchResult:
    """At most SEARCH_LIMIT hits for `query`, best first, with the count of all that matched.
    `base` (the filters chosen) narrows every phase as a sub-select."""
    query = (query or "").strip()
    if len(query) < 2:
        return SearchResult([], 0)
    if looks_like_code(query):
        colour = SubjectColour.objects.filter(subject_id=OuterRef("uscc")).values("colour")
        by_code = subjects_by_code(query, base).annotate(colour_code=Subquery(colour))
        rows = list(by_code.values(*SEARCH_FIELDS, "colour_code")[:SEARCH_LIMIT])
        if rows:
            return SearchResult(_hits(rows, query, None), len(rows))
    typed = query.lower()
    pinyin = PINYIN.match(typed) is not None
    like = connection.ops.prep_for_like_query(typed if pinyin else query)
    params = {"query": query, "prefix": f"{like}%", "infix": f"%{like}%", "bigrams": _bigrams(query),
              "limit": SEARCH_LIMIT, "cap": COUNT_CAP + 1, "anywhere": len(typed) >= 3}  # fmt: skip
    within = ""
    if base is not None:
        within, base_params = _named_params(*base.values("uscc").query.sql_with_params(), prefix="base")
        within = f"AND s.uscc IN ({within})"
        params.update(base_params)
    with connections[standby.read_alias()].cursor() as cursor:
        cursor.execute((_BY_PINYIN if pinyin else _BY_NAME).replace("{within}", within), params)
        rows = cursor.fetchall()
    total = rows[0][-1] if rows else 0
    hits = _hits(
        [dict(zip(_SEARCH_ROW, row[:-1], strict=True)) for row in rows], query, typed if pinyin else None
    )
    return SearchResult(hits, total)


def _named_params(sql: str, params: tuple, prefix: str) -> tuple[str, dict]:
    """An ORM query's SQL with its positional %s placeholders named, to embed in a named-style one."""
    names = iter(f"{prefix}{i}" for i in range(len(params)))
    named = re.sub(r"%[%s]", lambda m: "%%" if m.group() == "%%" else f"%({next(names)})s", sql)
    return named, {f"{prefix}{i}": value for i, value in enumerate(params)}


def _match(row: dict, query: str, pinyin: str | None) -> tuple[int, int] | None:
    """The characters of the (unmasked) name the query matched, to highlight."""
    if pinyin is None:
        at = row["name"].find(query)
        return (at, at + len(query)) if at >= 0 else None
    initials, syllables = row.get("initials"), row.get("syllables")
    if not initials:
        return None
    if initials.startswith(pinyin):
        return (0, len(pinyin))
    spelled = pinyin_prefix_span(tuple(syllables.split(" ")), pinyin)
    return spelled or initials_span(initials, pinyin)


def _hits(rows: list[dict], query: str, pinyin: str | None) -> list[SearchHit]:
    """Rows as published (a natural person's name masked), labels translated once per list."""
    language = translation.get_language()
    colour_labels = {value: gettext(str(label)) for value, label in COLOUR_LABELS.items()}
    status_labels = {value: str(label) for value, label in RegistrationStatus.choices}
    hits = []
    for row in rows:
        subject_type, operator = row["subject_type"], row["legal_representative"]
        type_label, representative_label = _type_labels(subject_type, row["enterprise_type"], row["uscc"][:2],
                                                        language)[:2]  # fmt: skip
        natural_person = subject_types.is_natural_person(subject_type)
        name = public_name(row["name"], subject_type, operator)
        colour = row["colour_code"] or rules.GREEN
        hits.append(SearchHit(
            uscc=row["uscc"],
            name=name,
            subject_type=subject_type,
            type_label=type_label,
            status=row["status"],
            status_label=status_labels.get(row["status"], row["status"]),
            legal_representative=mask_person_name(operator) if natural_person else operator,
            representative_label=representative_label,
            colour=colour,
            colour_label=colour_labels[colour],
            # A masked name is not highlighted: its characters are no longer the ones that matched.
            match=_match(row, query, pinyin) if name == row["name"] else None,
        ))  # fmt: skip
    return hits
