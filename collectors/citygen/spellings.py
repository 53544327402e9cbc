"""How departments spell values: dates, times, amounts, enums, yes/no — each stream its own way.

Why: the feed contract (docs/feeds.md §2) lets departments write a date as 2017-03-05, 2017/3/5,
20170305 or 2017年3月5日, an amount with separators, full-width digits or a unit, an enum as
its code or its Chinese label; the collectors must read every one of them, so the city
writes every one of them. Formatting is most of the generator's work, so the converters are
mostly bound methods of caches (C calls), each distinct day or second formatted once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from warning_system.registry import contract

if TYPE_CHECKING:
    from collectors.citygen.streams import Style

FOREVER = -1  # open end of an OPEN_DATE field


class Raw(str):
    """A value written exactly as given (a deliberately bad spelling): no formatting applied."""

    __slots__ = ()


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def enum_label(enum: str, code: str) -> str:
    """The Chinese label of an enum code (its first non-ASCII spelling in the contract)."""
    spellings = contract.ENUMS[enum][code]
    for s in spellings:
        if not s.isascii():
            return s
    return spellings[0] if spellings else code


# What "code style" writes: the contract's code, except where departments write something else.
_CODE_STYLE_ENUMS = {
    "subject_type",
    "arrears_type",
    "right_type",
    "license_status",
    "op",
    "complaint_channel",
}
_CODE_SPELLING = {("license_status", "valid"): "1", ("license_status", "invalid"): "2"}


def _enum_spellings() -> dict[str, dict[str, tuple[str, str, tuple[str, ...]]]]:
    """Per enum and code: (as code style writes it, its label, the other spellings the contract knows)."""
    spellings: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {}
    for enum, codes in contract.ENUMS.items():
        spellings[enum] = {}
        for code, known in codes.items():
            label = enum_label(enum, code)
            as_code = _CODE_SPELLING.get((enum, code), code if enum in _CODE_STYLE_ENUMS else label)
            spellings[enum][code] = (as_code, label, tuple(s for s in known if s != label) or (label,))
    return spellings


ENUM_SPELLINGS = _enum_spellings()


def _date_iso(o: int) -> str:
    return date.fromordinal(o).isoformat()


def _date_slash(o: int) -> str:
    d = date.fromordinal(o)
    return f"{d.year}/{d.month}/{d.day}"


def _date_compact(o: int) -> str:
    return date.fromordinal(o).strftime("%Y%m%d")


def _date_chinese(o: int) -> str:
    d = date.fromordinal(o)
    return f"{d.year}年{d.month}月{d.day}日"


def _time_full(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"


def _time_short(sec: int) -> str:
    return f"{sec // 3600}:{sec // 60 % 60:02d}:{sec % 60:02d}"


def _time_minutes(sec: int) -> str:
    return f"{sec // 3600:02d}:{sec // 60 % 60:02d}"


class _Formatted(dict):
    """Formatted values by key, computed once (a city has a few thousand distinct days)."""

    def __init__(self, fn: Callable):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


# By Style.date (0–3) and Style.stamp (0–3); shared by every stream of the process.
DATE_FORMATS = [_Formatted(fn) for fn in (_date_iso, _date_slash, _date_compact, _date_chinese)]
TIME_FORMATS = [_Formatted(fn) for fn in (_time_full, _time_full, _time_short, _time_minutes)]


def amount_text(v: float) -> str:
    """An amount in 万元 as plain decimals, without trailing zeros."""
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return text or "0"


_DIGITS_UPPER = "零壹贰叁肆伍陆柒捌玖"
_UNITS_UPPER = ("", "拾", "佰", "仟")
_BIG_UPPER = ("", "万", "亿")


def rmb_upper(yuan: int) -> str:
    """An amount in yuan written in capital numerals, as penalty decisions write it (伍万元)."""
    if yuan <= 0:
        return "零元"
    s = str(yuan)
    out: list[str] = []
    zero = False
    n = len(s)
    for i, ch in enumerate(s):
        pos = n - 1 - i
        d = int(ch)
        if d == 0:
            zero = True
        else:
            if zero and out:
                out.append("零")
            zero = False
            out.append(_DIGITS_UPPER[d] + _UNITS_UPPER[pos % 4])
        if pos % 4 == 0 and pos > 0 and int(s[max(0, i - 3) : i + 1]) != 0:
            out.append(_BIG_UPPER[pos // 4])
            zero = False
    return "".join(out) + "元"


def cn_number(n: int) -> str:
    """A number below 100 in Chinese numerals (第十二中学, 第三批)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------- converters


def _date_converter(style: Style, r: Callable[[], float]) -> Callable[[int], str]:
    """Style 4 mixes the four spellings within one file, as hand-kept spreadsheets do."""
    dates = DATE_FORMATS
    if style.date != 4:
        return dates[style.date].__getitem__

    def date_fn(o: int) -> str:
        x = r()
        return dates[0 if x < 0.55 else (1 if x < 0.7 else (2 if x < 0.85 else 3))][o]

    return date_fn


def _open_date_converter(style: Style, date_fn: Callable[[int], str]) -> Callable[[int], str]:
    forever = style.forever

    def open_fn(o: int) -> str:
        return forever if o == FOREVER else date_fn(o)

    return open_fn


def _stamp_converter(style: Style) -> Callable[[int], str]:
    """updated_at as whole seconds since day 1: deterministic, so a record's version can be told."""
    day_part = DATE_FORMATS[1 if style.stamp == 2 else 0]
    times = TIME_FORMATS[style.stamp]
    sep = "T" if style.stamp == 1 else " "

    def stamp_fn(v: int) -> str:
        o, sec = divmod(v, 86400)
        return day_part[o] + sep + times[sec]

    return stamp_fn


def _amount_converter(style: Style, r: Callable[[], float]) -> Callable[[float], str]:
    if style.amount == 0:
        return amount_text
    amount_style = style.amount

    def amount_fn(v: float) -> str:
        if amount_style == 1:
            return f"{v:,.4f}".rstrip("0").rstrip(".") if v >= 1000 else amount_text(v)
        x = r()
        if x < 0.5:
            return f"{v:,.4f}".rstrip("0").rstrip(".")
        if x < 0.6:
            return fullwidth(amount_text(v))
        if x < 0.7:
            return amount_text(v) + "万元"
        return amount_text(v)

    return amount_fn


def _enum_converter(enum: str, style: Style, r: Callable[[], float]) -> Callable[[str], str]:
    spellings = ENUM_SPELLINGS[enum]
    if style.enum in (0, 1):
        return {code: v[style.enum] for code, v in spellings.items()}.__getitem__

    def enum_fn(code: str) -> str:
        as_code, label, others = spellings[code]
        x = r()
        if x < 0.4:
            return as_code
        if x < 0.9:
            return label
        return others[int(r() * len(others))]

    return enum_fn


def _multi_enum_converter(enum: str, style: Style) -> Callable[[list[str]], str]:
    labels = {code: v[1] for code, v in ENUM_SPELLINGS[enum].items()}
    sep = style.sep

    def multi_fn(codes: list[str]) -> str:
        return sep.join([labels[c] for c in codes])

    return multi_fn


def converters(
    kind: contract.Kind, style: Style, columns: frozenset, r: Callable[[], float]
) -> list[tuple[str, Callable]]:
    """Typed value -> text as a stream of `style` writes it, for each typed field it carries.

    `r` is the block's random stream: mixed spellings draw from it while a record is rendered.
    """
    date_fn = _date_converter(style, r)
    by_type: dict[str, Callable] = {
        contract.DATE: date_fn,
        contract.OPEN_DATE: _open_date_converter(style, date_fn),
        contract.DATETIME: _stamp_converter(style),
        contract.BOOL: {True: "是", False: "否"}.__getitem__,
    }
    if not style.json_numbers:
        by_type[contract.AMOUNT] = _amount_converter(style, r)
        by_type[contract.INT] = str
    out: list[tuple[str, Callable]] = []
    for f in kind.fields:
        if f.key not in columns or f.key == "op":
            continue
        if f.type == contract.ENUM:
            out.append((f.key, _enum_converter(f.enum, style, r)))
        elif f.type == contract.MULTI_ENUM:
            out.append((f.key, _multi_enum_converter(f.enum, style)))
        elif f.type in by_type:
            out.append((f.key, by_type[f.type]))
    return out
