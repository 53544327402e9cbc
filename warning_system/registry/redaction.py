"""Personal numbers found in the text departments write, in every spelling, and taken out.

Departments paste ID numbers and phones into free text (违法事实: "当事人张三（身份证号 360102 19960819
1062）") and into name fields ("李四 360102199003121037"). The feed contract keeps personal fields
apart (docs/feeds.md §3); this finds what was written where it should not be:

- 18-character resident ID numbers whose check character is right (python-stdnum), also followed by
  one stray character; 15-digit resident ID numbers of the old form (region, YYMMDD birth date);
- mobile numbers (11 digits from 13…19, optionally after 86), landlines with their area code
  (0 + 2–3 digits, then 7–8 digits);
- bank card numbers (16–19 digits from 3…6, passing Luhn's check);

written with full-width digits, with spaces, hyphens, dots, middle dots, slashes or brackets between
digit groups, glued to letters before or after. In free text each is masked with ＊; in a name field
it is dropped and the name kept. The loader applies this to every public text field before storing
(the record as received stays in its private part), so no page, export, API, report or search can
find a number there; the portal applies it again to what it shows.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from stdnum import luhn
from stdnum.cn import ric

# One character for one: full-width digits and X, and every separator spelling, folded to ASCII,
# so that positions in the folded text are positions in the original.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "Ｘ": "X",
        "ｘ": "x",
        **dict.fromkeys("\u3000\u00a0\u2002\u2003\u2009\t", " "),
        **dict.fromkeys("‐‑‒–—―－﹣", "-"),
        **dict.fromkeys("．。・·•", "."),
        "／": "/",
        "（": "(",
        "）": ")",
    }
)
_SEPARATOR = r"[ \-./()]"
# A run of digits with separators between them (at most three together), possibly ending in X.
_RUN = re.compile(rf"[0-9](?:{_SEPARATOR}{{0,3}}[0-9])*(?:{_SEPARATOR}{{0,3}}[Xx])?")
_GROUP_SPLIT = re.compile(rf"{_SEPARATOR}+")
# Enough digits close together to hold a personal number (seven: a landline without its area code is
# never taken alone, so this only keeps short texts out of the slow path).
_CANDIDATE = re.compile(r"[0-9０-９](?:[^0-9０-９]{0,3}[0-9０-９]){6}")
MASK = "＊"
_PROVINCES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


def _birth_date(text: str) -> bool:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _resident_id(digits: str) -> bool:
    """Province, birth date and python-stdnum's check character; not stdnum's full validation, whose
    list of county codes lags the real one (a genuine number from a new county would pass unmasked)."""
    return (
        len(digits) == 18
        and digits[:17].isdigit()
        and digits[:2] in _PROVINCES
        and _birth_date(digits[6:14])
        and ric.calc_check_digit(digits) == digits[17]
    )


def _old_resident_id(digits: str) -> bool:
    if len(digits) != 15 or not digits.isdigit() or digits[:2] not in _PROVINCES:
        return False
    try:
        date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))
    except ValueError:
        return False
    return True


def _mobile(digits: str) -> bool:
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" and digits.isdigit()


def _landline(groups: list[str]) -> bool:
    """An area code written apart (0791-86123456, (0791)86123456) or joined (079186123456)."""
    digits = "".join(groups)
    if not digits.isdigit() or not digits.startswith("0") or digits.startswith("00"):
        return False
    if len(groups) >= 2 and 3 <= len(groups[0]) <= 4 and 7 <= len(digits) - len(groups[0]) <= 8:
        return True
    return len(groups) == 1 and 11 <= len(digits) <= 12


def _bank_card(groups: list[str]) -> bool:
    digits = "".join(groups)
    if not (16 <= len(digits) <= 19) or not digits.isdigit() or digits[0] not in "3456":
        return False
    if len(groups) > 1 and any(len(g) != 4 for g in groups[:-1]):
        return False  # written in groups, a card number is written in fours
    return luhn.is_valid(digits)


def _personal(groups: list[str]) -> bool:
    digits = "".join(groups).upper()
    return (
        _resident_id(digits)
        or (len(digits) == 19 and _resident_id(digits[:18]))
        or _old_resident_id(digits)
        or _mobile(digits)
        or _landline(groups)
        or _bank_card(groups)
    )


def personal_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every personal number in `text`, in order, not overlapping."""
    if not _CANDIDATE.search(text):
        return []
    folded = text.translate(_FOLD)
    spans: list[tuple[int, int]] = []
    for run in _RUN.finditer(folded):
        for start, end in _spans_in_run(run):
            # The plus of a country code (+86 138…) goes with the number.
            spans.append((start - 1 if start and folded[start - 1] in "+＋" else start, end))
    return spans


def _spans_in_run(run: re.Match) -> list[tuple[int, int]]:
    """Every stretch of whole digit groups of the run that is a personal number, longest first."""
    offset = run.start()
    groups = [
        (m.start() + offset, m.end() + offset, m.group()) for m in re.finditer(r"[0-9Xx]+", run.group())
    ]
    found: list[tuple[int, int]] = []
    for length in range(len(groups), 0, -1):
        for first in range(len(groups) - length + 1):
            chosen = groups[first : first + length]
            start, end = chosen[0][0], chosen[-1][1]
            if any(start < e and s < end for s, e in found):
                continue
            if _personal([g for _, _, g in chosen]):
                found.append((start, end))
    return sorted(found)


@lru_cache(maxsize=4096)
def redact_text(text: str) -> str:
    """Free text with every personal number masked, character for character, with ＊."""
    spans = personal_spans(text)
    if not spans:
        return text
    parts, position = [], 0
    for start, end in spans:
        parts.append(text[position:start])
        parts.append(MASK * (end - start))
        position = end
    parts.append(text[position:])
    return "".join(parts)


_DANGLING = re.compile(r"[\s\-.·/:：,，;；(（\[【]+$|^[\s\-.·/:：,，;；)）\]】]+")


@lru_cache(maxsize=4096)
def redact_name(text: str) -> str:
    """A name with any personal number written into it dropped: "李探四 360102199003121037" → "李探四"."""
    spans = personal_spans(text)
    if not spans:
        return text
    parts, position = [], 0
    for start, end in spans:
        parts.append(_DANGLING.sub("", text[position:start]))
        position = end
    parts.append(_DANGLING.sub("", text[position:]))
    return " ".join(p.strip() for p in parts if p.strip()) or MASK
