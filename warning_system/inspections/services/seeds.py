"""The seed's sources (docs/rules.md §6: "the system never picks the seed alone"): announced at
freezing with a kind and an exact format, their values checked and made canonical before seeding."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import (
    SEED_EXTERNAL,
    SEED_KINDS,
)
from .base import InspectionError

MIN_SEED_SOURCES = 2  # the system never picks the seed alone (verify_draw.seed_from_sources)
# Seed sources (docs/rules.md §6: "the system never picks the seed alone"). Each announced source has a kind,
# an exact format (a regex matched against the whole canonical value) and, for an outside value, the
# day it becomes known: no leader can choose a value that does not exist yet or fits no format.
SEED_FORMATS = {
    r"^\d{6}$": gettext_lazy("六位数字"),
    r"^\d{2}( \d{2}){6}$": gettext_lazy("七组两位数字，以空格分隔（如彩票开奖号码）"),
    r"^\d{1,6}\.\d{2}$": gettext_lazy("带两位小数的数值（如指数收盘点位）"),
}
SEED_FORMAT_MAX = 100


def _seed_format(pattern: str) -> re.Pattern:
    if not (0 < len(pattern) <= SEED_FORMAT_MAX and pattern.startswith("^") and pattern.endswith("$")):
        raise InspectionError(
            _("随机种子来源的格式须为以 ^ 开头、以 $ 结尾的正则表达式（不超过 %(max)d 个字符）。")
            % {"max": SEED_FORMAT_MAX}
        )
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        raise InspectionError(_("随机种子来源的格式无效：%(error)s") % {"error": error}) from error
    if compiled.fullmatch(""):
        raise InspectionError(_("随机种子来源的格式不能允许空值。"))
    return compiled


def seed_sources_check(sources: Sequence[dict], today: date) -> list[dict]:
    """The sources announced at freezing, normalised: label, description, kind, format and, for an
    outside value, `known_on` (ISO day, after `today`: the value does not exist yet). At least two
    sources, one of them an outside future value."""
    checked = []
    for source in sources:
        label = (source.get("label") or "").strip()
        if not label:
            continue
        kind = source.get("kind")
        if kind not in SEED_KINDS:
            raise InspectionError(_("请为随机种子来源“%(label)s”选择类型。") % {"label": label})
        pattern = (source.get("format") or "").strip()
        _seed_format(pattern)
        known_on = source.get("known_on") or None
        if kind == SEED_EXTERNAL:
            if isinstance(known_on, str):
                known_on = date.fromisoformat(known_on)
            if known_on is None or known_on <= today:
                raise InspectionError(
                    _("外部数值“%(label)s”须注明产生日期，且须晚于冻结当日（冻结时尚不存在）。")
                    % {"label": label}
                )
            known_on = known_on.isoformat()
        else:
            known_on = None
        checked.append({"label": label[:200], "description": (source.get("description") or "").strip(),
                        "kind": kind, "format": pattern, "known_on": known_on})  # fmt: skip
    if len(checked) < MIN_SEED_SOURCES or not any(s["kind"] == SEED_EXTERNAL for s in checked):
        raise InspectionError(
            _("冻结前须公布至少两个随机种子来源，其中至少一个是冻结后才产生的外部数值（例如开奖号码），"
              "系统从不独自产生种子。")
        )  # fmt: skip
    return checked


def canonical_seed_value(source: dict, value: str) -> str:
    """A source's value as it enters the seed: NFKC (full-width digits become ASCII), stripped;
    internal whitespace collapsed to one space where the format has spaces, else removed."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    return " ".join(value.split()) if " " in source.get("format", "") else "".join(value.split())


def seed_values_check(sources: Sequence[dict], values: Sequence[str], today: date) -> list[str]:
    """The canonical value of every announced source; refused when one is missing, does not match its
    announced format, or is an outside value entered before the day it becomes known."""
    if len(values) != len(sources):
        raise InspectionError(_("须录入每一个已公布的随机种子来源的取值。"))
    canonical = []
    for source, value in zip(sources, values, strict=True):
        value = canonical_seed_value(source, value)
        if not value:
            raise InspectionError(_("须录入每一个已公布的随机种子来源的取值。"))
        if not source.get("format") or not _seed_format(source["format"]).fullmatch(value):
            raise InspectionError(
                _("“%(label)s”的取值 %(value)s 不符合冻结时公布的格式 %(format)s。")
                % {"label": source["label"], "value": value, "format": source.get("format", "")}
            )
        known_on = source.get("known_on")
        if source.get("kind") == SEED_EXTERNAL and (not known_on or today < date.fromisoformat(known_on)):
            raise InspectionError(
                _("“%(label)s”要到 %(day)s 才产生，之前不能确定随机种子。")
                % {"label": source["label"], "day": known_on}
            )
        canonical.append(value)
    return canonical
