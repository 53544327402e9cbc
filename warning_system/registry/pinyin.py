"""Names spelled in pinyin, for search by initials (`nchs` → 南昌海森…) and by full pinyin.

Each character of a name gets one spelling, so that a match in the spelling is a match of the same
characters in the name (the page highlights them): a Chinese character its pinyin (phrase-aware, so
that 银行 is yin hang and 重庆 chong qing), a letter or digit itself in lower case (full-width folded),
anything else a placeholder that matches nothing a person types.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pypinyin import lazy_pinyin

PLACEHOLDER = "_"


@dataclass(frozen=True)
class Spelling:
    initials: str  # one letter per character of the name
    syllables: tuple[str, ...]  # one item per character of the name ("" for a placeholder)

    @property
    def pinyin(self) -> str:
        return "".join(self.syllables)


def _plain(item: str) -> str:
    folded = unicodedata.normalize("NFKC", item).lower()
    return folded if folded.isascii() and folded.isalnum() else ""


def spell(name: str) -> Spelling:
    items = lazy_pinyin(name, errors=lambda text: list(text))
    if len(items) != len(name):  # never seen; keep the alignment promise rather than guess
        items = [lazy_pinyin(c, errors=lambda text: list(text))[0] for c in name]
    syllables = tuple(_plain(item) for item in items)
    initials = "".join(s[0] if s else PLACEHOLDER for s in syllables)
    return Spelling(initials, syllables)


def initials_span(initials: str, typed: str) -> tuple[int, int] | None:
    """Characters of the name whose initials the typed letters are (the first place they occur)."""
    at = initials.find(typed)
    return (at, at + len(typed)) if at >= 0 else None


def pinyin_prefix_span(syllables: tuple[str, ...], typed: str) -> tuple[int, int] | None:
    """Characters of the name the typed pinyin covers from its start (a syllable begun counts)."""
    spelled, count = "", 0
    while len(spelled) < len(typed) and count < len(syllables):
        spelled += syllables[count]
        count += 1
    return (0, count) if count and spelled.startswith(typed) else None
