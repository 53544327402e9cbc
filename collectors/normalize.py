"""Turn a record as departments write it into typed, canonical values (docs/feeds.md §2).

`RecordNormalizer(kind).normalize(raw)` returns a `Normalized` (typed public values,
personal values, record id, op, version) or the list of problems that send the record to
quarantine. Pure functions, no database: tested on their own, and cached, because the same
dates, codes and enum spellings repeat across millions of rows. The caches that outlive a file
are kept small: a worker's memory grows with them (bench/ingest), and the per-file caches of
`RecordNormalizer` already catch the repeats within a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import ValidationError as StdnumError

from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason as R
from warning_system.registry.codes import compact_code, halfwidth
from warning_system.registry.redaction import redact_name, redact_text
from warning_system.registry.subject_types import uscc_prefix_contradiction

CHINA = timezone(timedelta(hours=8))
# No register of this country's market subjects predates the People's Republic; no date at all
# predates 1900 (a typo: 1026 for 2026, 0019 for 2019).
EARLIEST_EVENT = date(1949, 10, 1)
EARLIEST_DATE = date(1900, 1, 1)
# A version more than this ahead of the receiving clock would freeze the record: no later
# correction or withdrawal could ever be newer.
VERSION_CLOCK_SKEW = timedelta(days=1)
NULL_SPELLINGS = frozenset({"", "-", "无", "null", "NULL", "Null", "none", "None", "—", "／", "/"})
FOREVER_SPELLINGS = frozenset({"长期", "永久", "长期有效", "无固定期限"})
MULTI_VALUE_SEPARATORS = re.compile(r"[;；、]")
_DATE = re.compile(r"^(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{2})(\d{2}))(?:[ T](.*))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# Codes python-stdnum has passed in this process: a city's ~100,000 codes each recur in a dozen
# files, and a set of strings costs half the memory of an lru_cache of them. Emptied when full.
_VALID_USCCS: set[str] = set()
VALID_USCCS_MAX = 200_000


class FieldError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Problem:
    code: str
    field: str | None
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "field": self.field, "message": self.message}


@dataclass
class Normalized:
    record_id: str
    delete: bool
    updated_at: datetime
    values: dict  # canonical key -> typed value, public fields and the subject identifiers
    personal: dict  # personal (P) fields, kept apart


def _halfwidth(value: str) -> str:
    """`halfwidth` for the rare non-ASCII spelling only: its cache then holds those alone."""
    return value if value.isascii() else halfwidth(value)


def _compact(value: str) -> str:
    """`compact_code`, skipped for a code already compact (ASCII letters and digits, upper case)."""
    return value if value.isascii() and value.isalnum() and value == value.upper() else compact_code(value)


def clean_text(value) -> str | None:
    """Strip, fold the null spellings to None. Text keeps its own characters."""
    if value is None:
        return None
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()  # str.strip() includes the ideographic space U+3000
    return None if value in NULL_SPELLINGS else value


@lru_cache(maxsize=16384)
def parse_date(value: str) -> date:
    """A date in any listed form; a time of day may follow (`2017-03-05 14:20:00`), nothing else."""
    m = _DATE.match(_halfwidth(value).strip())
    if not m or (m[6] is not None and not _TIME.match(m[6].strip())):
        raise FieldError(R.UNPARSABLE_DATE, f"无法解析日期“{value}”")
    year, month, day = int(m[1]), int(m[2] or m[4]), int(m[3] or m[5])
    try:
        return date(year, month, day)
    except ValueError:
        raise FieldError(R.UNPARSABLE_DATE, f"日期不存在“{value}”") from None


def parse_datetime(value: str) -> datetime:
    """A date or date-time; without a zone it is China time (UTC+8).

    Versions are nearly unique per record, so the common ISO spellings skip the cache and the
    regular expression (`datetime.fromisoformat` is C).
    """
    if len(value) == 19 and value[4] == "-" and value[10] in " T":
        if value[13] == ":" and value[16] == ":":  # a naive date-time: the zone appended is one C call
            try:
                return datetime.fromisoformat(value + "+08:00")
            except ValueError:
                pass
        try:
            return datetime.fromisoformat(value).replace(tzinfo=CHINA)
        except ValueError:
            pass
    return _parse_datetime_slow(value)


@lru_cache(maxsize=4096)
def _parse_datetime_slow(value: str) -> datetime:
    text = _halfwidth(value).strip()
    m = _DATE.match(text)
    if not m:
        raise FieldError(R.UNPARSABLE_DATE, f"无法解析时间“{value}”")
    day = parse_date(text[: m.start(6) - 1] if m[6] else text)
    if not m[6]:
        return datetime(day.year, day.month, day.day, tzinfo=CHINA)
    t = _TIME.match(m[6].strip())
    if not t:
        raise FieldError(R.UNPARSABLE_DATE, f"无法解析时间“{value}”")
    zone = CHINA
    if t[4] == "Z":
        zone = UTC
    elif t[4]:
        sign = -1 if t[4][0] == "-" else 1
        digits = t[4][1:].replace(":", "")
        zone = timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
    try:
        return datetime(day.year, day.month, day.day, int(t[1]), int(t[2]), int(t[3] or 0), tzinfo=zone)
    except ValueError:
        raise FieldError(R.UNPARSABLE_DATE, f"时间不存在“{value}”") from None


@lru_cache(maxsize=4096)
def parse_amount(value: str) -> Decimal:
    """An amount in 万元: separators, full-width digits and a trailing unit allowed; never negative."""
    text = _halfwidth(value).replace(",", "").replace(" ", "").removesuffix("万元").removesuffix("万")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise FieldError(R.UNPARSABLE_AMOUNT, f"无法解析金额“{value}”") from None
    if not amount.is_finite() or amount < 0:
        raise FieldError(R.UNPARSABLE_AMOUNT, f"金额无效“{value}”")
    if amount >= Decimal("1e14"):
        raise FieldError(R.UNPARSABLE_AMOUNT, f"金额超出范围“{value}”")
    return amount.quantize(Decimal("0.000001")) if amount.as_tuple().exponent < -6 else amount


def parse_int(value: str) -> int:
    text = _halfwidth(value).replace(",", "").strip()
    if not text.isdigit() or len(text) > 9:
        raise FieldError(R.UNPARSABLE_NUMBER, f"无法解析数字“{value}”")
    return int(text)


_TRUE = frozenset({"是", "true", "True", "TRUE", "1", "Y", "y", "yes"})
_FALSE = frozenset({"否", "false", "False", "FALSE", "0", "N", "n", "no"})


def parse_bool(value: str) -> bool:
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FieldError(R.UNKNOWN_ENUM, f"应为“是”或“否”，收到“{value}”")


def normalize_uscc(value: str) -> str:
    """Validated with python-stdnum. A wrong check character is an error, never corrected."""
    code = _compact(value)
    if code in _VALID_USCCS:
        return code
    try:
        code = stdnum_uscc.validate(code)
    except StdnumError as exc:
        raise FieldError(R.INVALID_USCC, f"统一社会信用代码“{value}”无效：{exc}") from None
    if len(_VALID_USCCS) >= VALID_USCCS_MAX:
        _VALID_USCCS.clear()
    _VALID_USCCS.add(code)
    return code


def organization_code_check(code: str) -> str:
    """GB 11714 check character (python-stdnum has no organisation-code module)."""
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(code[:8], _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@lru_cache(maxsize=8192)
def normalize_organization_code(value: str) -> str:
    code = _compact(value)
    if (
        len(code) != 9
        or any(c not in _ORG_ALPHABET for c in code[:8])
        or organization_code_check(code) != code[8]
    ):
        raise FieldError(R.INVALID_ORGANIZATION_CODE, f"组织机构代码“{value}”无效")
    return code


def normalize_registration_number(value: str) -> str:
    code = _compact(value)
    if len(code) != 15 or not code.isdigit():
        raise FieldError(R.INVALID_REGISTRATION_NUMBER, f"注册号“{value}”应为 15 位数字")
    return code


@lru_cache(maxsize=64)
def enum_lookup(enum: str) -> dict[str, str]:
    """Every accepted spelling (code, Chinese label, alias; also half-width forms) -> code."""
    lookup: dict[str, str] = {}
    for code, spellings in contract.ENUMS[enum].items():
        for spelling in (code, *spellings):
            lookup[spelling] = code
            lookup[halfwidth(spelling)] = code
            lookup[spelling.lower()] = code
    return lookup


def parse_enum(enum: str, value: str) -> str:
    lookup = enum_lookup(enum)
    code = lookup.get(value) or lookup.get(_halfwidth(value)) or lookup.get(value.lower())
    if code is None:
        raise FieldError(R.UNKNOWN_ENUM, f"“{value}”不是有效的取值（{'、'.join(contract.ENUMS[enum])}）")
    return code


def parse_multi_enum(enum: str, value: str) -> list[str]:
    codes = []
    for part in MULTI_VALUE_SEPARATORS.split(value):
        part = part.strip()
        if part:
            code = parse_enum(enum, part)
            if code not in codes:
                codes.append(code)
    if not codes:
        raise FieldError(R.MISSING_REQUIRED, "无有效取值")
    return codes


def _converter(field: contract.Field):
    match field.type:
        case contract.DATE:
            return parse_date
        case contract.OPEN_DATE:
            return lambda v: None if v in FOREVER_SPELLINGS else parse_date(v)
        case contract.DATETIME:
            return parse_datetime
        case contract.AMOUNT:
            return parse_amount
        case contract.INT:
            return parse_int
        case contract.BOOL:
            return parse_bool
        case contract.ENUM:
            return lambda v, e=field.enum: parse_enum(e, v)
        case contract.MULTI_ENUM:
            return lambda v, e=field.enum: parse_multi_enum(e, v)
        case contract.USCC:
            return normalize_uscc
        case contract.ORG_CODE:
            return normalize_organization_code
        case contract.REG_NUMBER:
            return normalize_registration_number
        case _:
            return None


CACHE_LIMIT = 8192  # per field and file; values that repeat do so within a few records
_UNCACHED = object()


class RecordNormalizer:
    """Normalises the records of one kind. Keys are already canonical (see `HeaderMap`).

    Typed values (dates, codes, enums, amounts) repeat across millions of rows: each field
    keeps a bounded cache from the text as written to its value (or its error). `received_at`
    is the receiving clock that versions and event dates are judged against.
    """

    def __init__(self, kind: contract.Kind, *, received_at: datetime | None = None):
        self.kind = kind
        received_at = received_at or datetime.now(UTC)
        self.latest_version = received_at + VERSION_CLOCK_SKEW
        self.today = received_at.astimezone(CHINA).date()
        self.fields = [
            (f.key, f.required, f.personal, self._checked(f), {}, f.length_limit)
            for f in kind.fields
            if f.key not in ("record_id", "op", "updated_at")
        ]
        self.subject_keys = kind.subject_keys
        self.ordered_dates = kind.ordered_dates
        self.is_registration = kind.key == "registration"
        self._versions: dict[str, datetime | FieldError] = {}

    def _checked(self, field: contract.Field):
        """The field's converter: for a public text field, the redaction of personal numbers written
        into it (the record as received keeps them, privately); for a date, one that also refuses
        implausible dates. Conversions are cached per text as written, so this costs little per record."""
        convert = _converter(field)
        if field.redaction == "name":
            return redact_name
        if field.redaction == "text":
            return redact_text
        if field.type not in (contract.DATE, contract.OPEN_DATE):
            return convert
        earliest = EARLIEST_EVENT if field.event else EARLIEST_DATE
        latest = self.today if field.event else date.max

        def plausible_date(text: str) -> date | None:
            value = convert(text)
            if value is not None and value < earliest:
                raise FieldError(
                    R.IMPLAUSIBLE_DATE, f"{field.key} {value.isoformat()} 早于 {earliest.isoformat()}"
                )
            if value is not None and value > latest:
                raise FieldError(
                    R.IMPLAUSIBLE_DATE, f"{field.key} {value.isoformat()} 晚于接收日期 {latest.isoformat()}"
                )
            return value

        return plausible_date

    def normalize(self, raw: dict) -> Normalized | list[Problem]:
        problems: list[Problem] = []
        record_id = clean_text(raw.get("record_id"))
        if record_id is None:
            problems.append(Problem(R.MISSING_REQUIRED, "record_id", "缺少记录编号 record_id"))
        elif len(record_id) > contract.RECORD_ID_MAX_LENGTH:
            problems.append(
                Problem(R.TOO_LONG, "record_id", f"记录编号超过 {contract.RECORD_ID_MAX_LENGTH} 个字符")
            )
        delete = False
        op = clean_text(raw.get("op"))
        if op is not None and op != "upsert":
            try:
                delete = parse_enum("op", op) == "delete"
            except FieldError as exc:
                problems.append(Problem(exc.code, "op", exc.message))
        updated_at = None
        version = clean_text(raw.get("updated_at"))
        if version is None:
            problems.append(Problem(R.MISSING_REQUIRED, "updated_at", "缺少更新时间 updated_at"))
        else:
            try:
                updated_at = parse_datetime(version)
            except FieldError as exc:
                problems.append(Problem(exc.code, "updated_at", exc.message))
            else:
                if updated_at > self.latest_version:
                    problems.append(Problem(R.IMPLAUSIBLE_DATE, "updated_at",
                                            f"更新时间“{version}”晚于接收时间一天以上"))  # fmt: skip

        values: dict = {}
        personal: dict = {}
        get = raw.get
        for key, required, is_personal, convert, cache, length_limit in self.fields:
            text = get(key)
            if text is not None:
                if text.__class__ is not str:
                    text = ";".join(map(str, text)) if isinstance(text, list) else str(text)
                text = text.strip()  # also strips the ideographic space U+3000
                if text in NULL_SPELLINGS:
                    text = None
            if text is None:
                # A withdrawal names the record; the rest of its fields may be left out.
                if required and not delete:
                    problems.append(Problem(R.MISSING_REQUIRED, key, f"缺少必填字段 {key}"))
                continue
            if length_limit is not None and len(text) > length_limit:
                problems.append(
                    Problem(R.TOO_LONG, key, f"{key} 有 {len(text)} 个字符，超过上限 {length_limit}")
                )
                continue
            if convert is not None:
                value = cache.get(text, _UNCACHED)
                if value is _UNCACHED:
                    try:
                        value = convert(text)
                    except FieldError as exc:
                        value = exc
                    if len(cache) >= CACHE_LIMIT:
                        cache.clear()
                    cache[text] = value
                if value.__class__ is FieldError:
                    problems.append(Problem(value.code, key, value.message))
                    continue
            else:
                value = text
            if is_personal:
                personal[key] = value
            else:
                values[key] = value

        if not delete and not problems and not any(values.get(key) for key in self.subject_keys):
            problems.append(
                Problem(R.NO_SUBJECT_IDENTIFIER, None, "记录未提供统一社会信用代码、注册号或组织机构代码")
            )
        for start, end in self.ordered_dates:
            if values.get(start) is not None and values.get(end) is not None and values[end] < values[start]:
                problems.append(Problem(R.END_BEFORE_START, end, f"{end} 早于 {start}"))
        if self.is_registration and not delete and "uscc" in values and "subject_type" in values:
            contradiction = uscc_prefix_contradiction(values["uscc"], values["subject_type"])
            if contradiction:
                problems.append(Problem(R.SUBJECT_TYPE_MISMATCH, "subject_type", contradiction))
        if problems:
            return problems
        if self.is_registration and "name" in values:
            values["subject_name"] = values["name"]
        return Normalized(record_id, delete, updated_at, values, personal)
