"""The demo city: a reproducible city of subjects and the department feeds about them.

Why: the collectors, the colour rules (RULES.md §2), 双告知 and the public pages need a
realistic city to be built, demonstrated and load-tested against, and tests need one that
is the same for the same seed. The generator writes the inbox layout the collectors read
(`<out>/<department>/<kind>_<stamp>[_part].<csv|jsonl|xml>[.gz]`), in every format,
encoding, header style and value spelling the feed contract allows (SPEC.md §2).

Every subject is given a target colour (the Jiangxi 2020 mix) and gets records that trigger
exactly that colour as of `as_of`, besides benign records that trigger nothing. About 0.5 %
of records are deliberately bad, the way departments get records wrong.

Subjects are generated subject by subject in blocks (optionally in worker processes); each
block renders its records per (department, kind) and the parent appends them, in block
order, to per-feed writers that rotate files. Nothing is kept per subject, so memory does
not grow with the city, and the bytes depend only on (subjects, seed, as_of, max records per
file), never on the number of workers. Pure Python; no database.
"""

from __future__ import annotations

import bisect
import csv
import gzip
import io
import json
import math
import multiprocessing
import os
import random
import shutil
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice
from pathlib import Path
from types import SimpleNamespace

from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from collectors.citygen.data import table, tuples
from collectors.normalize import organization_code_check
from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason

REFERENCE_DIR = Path(contract.__file__).resolve().parent / "reference"
# The tables (names, places, industries, violations, licences…) are data files in data/.
_PLACES = table("places")
_PEOPLE = table("people")
_INDUSTRIES = table("industries")
_LICENCES = table("licences")
_DEPARTMENTS = table("departments")
_PENALTIES = table("penalties")
_COURTS = table("courts")
_DEBTS = table("debts")
_MISTAKES = table("mistakes")
_FEEDS = table("feeds")
DEFAULT_MAX_RECORDS_PER_FILE = 50_000
BLOCK_SUBJECTS = 2_000  # subjects generated together (the unit of work of a worker process)
ID_STRIDE = 100_000  # record ids of a block start at block * ID_STRIDE, per feed
SEQ_STRIDE = 10_000  # document and licence numbers of a block start at block * SEQ_STRIDE
MAX_SUBJECTS = 10_000_000  # the code permutations below stay unique up to here

# Jiangxi 2020 colour mix; green is the rest (84.35 %).
COLOUR_MIX = {"red": 0.024, "orange": 0.016, "yellow": 0.1165}
COLOURS = ("green", "yellow", "orange", "red")
_GOLDEN = (math.sqrt(5) - 1) / 2
_RED_TO = COLOUR_MIX["red"]
_ORANGE_TO = _RED_TO + COLOUR_MIX["orange"]
_YELLOW_TO = _ORANGE_TO + COLOUR_MIX["yellow"]

BAD_RECORD_SHARE = 0.005
FIRST_REPORT_YEAR = 2013  # the first year reported on the enterprise credit information system
_BAD_REASONS = (  # (QuarantineReason code, weight); missing_required is the fallback that always applies
    (QuarantineReason.MISSING_REQUIRED.value, 25),
    (QuarantineReason.UNPARSABLE_DATE.value, 20),
    (QuarantineReason.INVALID_USCC.value, 15),
    (QuarantineReason.UNKNOWN_ENUM.value, 15),
    (QuarantineReason.UNPARSABLE_AMOUNT.value, 15),
    (QuarantineReason.END_BEFORE_START.value, 10),
    # Registrations only (about one record in twelve): a registry clerk picks the wrong subject type.
    (QuarantineReason.SUBJECT_TYPE_MISMATCH.value, 40),
)
# Individual businesses without a trade name, registered under their operator's own name
# (个体工商户名称登记管理办法 第八条 lets the operator's name serve as the trade name, and 民法典
# 第五十四条 makes a trade name optional).
OWN_NAME_SHARE = 0.03
# The type a clerk mistakes each type for: the USCC's characters 1–2 then contradict it.
MISTAKEN_TYPES = _MISTAKES["mistaken_subject_types"]

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# --------------------------------------------------------------------------- colours


def colour_offset(seed: int) -> float:
    """Where the seed's colour sequence starts (string seeds hash the same in every process)."""
    return random.Random(f"citygen-colour-{seed}").random()


def colour_for(index: int, offset: float) -> str:
    """Target colour of subject `index`: a golden-ratio sequence keeps every prefix near the mix."""
    u = (offset + index * _GOLDEN) % 1.0
    if u < _RED_TO:
        return "red"
    if u < _ORANGE_TO:
        return "orange"
    if u < _YELLOW_TO:
        return "yellow"
    return "green"


def target_colour_counts(subjects: int, seed: int) -> dict[str, int]:
    """The target colour counts of a city, without generating it (tests compare with the files)."""
    offset = colour_offset(seed)
    counts = dict.fromkeys(COLOURS, 0)
    for i in range(subjects):
        counts[colour_for(i, offset)] += 1
    return counts


# --------------------------------------------------------------------------- reference data


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    uscc: str
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class CatalogEntry:
    keywords: tuple[str, ...]
    licence: str
    department: str


def load_departments() -> list[Department]:
    with open(REFERENCE_DIR / "departments.csv", encoding="utf-8-sig", newline="") as f:
        return [
            Department(row["code"], row["name"], row["uscc"], tuple(k for k in row["kinds"].split(";") if k))
            for row in csv.DictReader(f)
        ]


def load_districts() -> list[tuple[str, str]]:
    with open(REFERENCE_DIR / "districts.csv", encoding="utf-8-sig", newline="") as f:
        return [(row["code"], row["name"]) for row in csv.DictReader(f)]


def load_catalog() -> list[CatalogEntry]:
    with open(REFERENCE_DIR / "post_licence_catalog.csv", encoding="utf-8-sig", newline="") as f:
        return [
            CatalogEntry(
                tuple(k for k in row["scope_keywords"].split(";") if k),
                row["licence"],
                row["department_code"],
            )
            for row in csv.DictReader(f)
        ]


# --------------------------------------------------------------------------- Chinese material

CITY = _PLACES["city"]
PROVINCE = _PLACES["province"]
# district code -> (weight, kind of place, roads, towns/streets)
DISTRICT_DETAIL = {
    code: (d["weight"], d["setting"], " ".join(d["roads"]), " ".join(d["towns"]))
    for code, d in _PLACES["districts"].items()
}
# Area codes of ID numbers (places of birth), as stdnum.cn.ric knows them.
BIRTH_PLACES = tuple(_PLACES["birth_places"])
SURNAMES = _PEOPLE["surnames"]
GIVEN_MALE = _PEOPLE["given_male"]
GIVEN_FEMALE = _PEOPLE["given_female"]
TRADE_CHARS = _PEOPLE["trade_name_characters"]
MOBILE_PREFIXES = tuple(_PEOPLE["mobile_prefixes"])
ID_TYPES = tuple(_PEOPLE["id_types"])


@dataclass(frozen=True)
class Industry:
    code: str
    words: tuple[str, ...]  # the industry part of an enterprise name
    shops: tuple[str, ...]  # name endings of individual businesses; empty: none
    licensed: tuple[str, ...]  # scope items needing a licence (one or two are picked)
    general: tuple[str, ...]  # general scope items
    w_ent: float
    w_ind: float
    extra: tuple[tuple[str, float], ...] = ()  # licences outside the catalogue: (department, probability)
    inspect: tuple[str, ...] = ()  # departments that inspect it besides SCJG
    penal: tuple[str, ...] = ()  # departments that punish it most often
    complaints: tuple[str, ...] = ("quality", "price", "contract", "after_sales")


def _industry(row: dict) -> Industry:
    """An industry from its row in data/industries.json (organisations' rows name no words or weights)."""
    return Industry(
        row["code"],
        tuple(row.get("name_words", ())),
        tuple(row.get("shop_endings", ())),
        tuple(row.get("licensed_scope", ())),
        tuple(row.get("general_scope", ())),
        row.get("enterprise_weight", 0),
        row.get("individual_weight", 0),
        tuples(row["extra_licences"]),
        tuple(row["inspected_by"]),
        tuple(row["punished_by"]),
        tuple(row["complaint_categories"]),
    )


INDUSTRIES: tuple[Industry, ...] = tuple(_industry(row) for row in _INDUSTRIES["market"])


# Industries of social organisations, public institutions and agencies: who licenses, inspects, punishes them.
ORG_INDUSTRIES = {row["code"]: _industry(row) for row in _INDUSTRIES["organisations"]}

SUBJECT_TYPES = tuples(
    _INDUSTRIES["subject_types"]
)  # (type, weight): a city's registry is mostly individual businesses and enterprises
COOP_PRODUCTS = tuples(_INDUSTRIES["cooperative_products"])  # (industry code, product, extra scope items)
CATALOG_YEARS = _LICENCES["validity_years"]  # validity in years of a licence; 0: no end
EXTRA_LICENCES = _LICENCES["outside_catalogue"]  # licences of departments outside the post-licence catalogue
DEPT_SHORT = _DEPARTMENTS["document_abbreviations"]  # abbreviations used in document numbers
SCJG_BRANCH_SHORT = _DEPARTMENTS[
    "market_branch_abbreviations"
]  # district branches of the market regulator sign their own decisions
# Violations by department: (violation type, facts, legal basis). Fines are drawn by severity.
VIOLATIONS = _PENALTIES["violations"]
GENERAL_PENALTY_DEPTS = tuples(
    _PENALTIES["general_departments"]
)  # (department, weight) for penalties not tied to the industry
# Heavy (orange) and restrictive (red) categories a department may impose.
RESTRICTIVE_BY_DEPT = _PENALTIES["restrictive_by_department"]
HEAVY_BY_DEPT = _PENALTIES["heavy_by_department"]
SERIOUS_REASONS = tuple(_PENALTIES["serious_violation_reasons"])
SERIOUS_FROM_ABNORMAL = _PENALTIES["serious_violation_from_abnormal"]
COURTS = tuples(_COURTS["courts"])  # (court, case number prefix)
CAUSES = tuple(_COURTS["causes"])
BANKS = tuple(_DEBTS["banks"])
UTILITIES = tuple(_DEBTS["utilities"])
COMPLAINT_TEXT = table("complaints")
HONORS = _DEPARTMENTS[
    "honours"
]  # department -> (honor, validity in years, 0: none) ; for green subjects only
ARREARS_MIX = tuples(_DEBTS["arrears_mix"])  # (type, department, weight)
ARREARS_CDF = [
    sum(w for *_, w in ARREARS_MIX[: i + 1]) / sum(w for *_, w in ARREARS_MIX)
    for i in range(len(ARREARS_MIX))
]
ARREARS_CDF[-1] = 1.0
ARREARS_AMOUNT = _DEBTS["arrears_amount_range"]  # 万元, drawn log-uniformly
LICENCE_CATEGORY = _LICENCES["categories"]
LICENCE_CONTENT = _LICENCES["contents"]
LICENCE_NUMBER = _LICENCES["number_patterns"]


def licence_number(name: str, uscc: str, dept: str, year: int, seq: int) -> str:
    """A licence number in the format its issuing department uses."""
    pattern = LICENCE_NUMBER.get(name)
    if pattern is None:
        return f"{DEPT_SHORT.get(dept, '洪')}许〔{year}〕{seq}号"
    return pattern.format(area=uscc[2:8], year=year, seq=seq, uscc=uscc)


INSPECTION_TASKS = _DEPARTMENTS["inspection_tasks"]


# --------------------------------------------------------------------------- value spellings


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _label(enum: str, code: str) -> str:
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
ENUM_SPELLINGS: dict[str, dict[str, tuple[str, str, tuple[str, ...]]]] = {}
for _enum, _codes in contract.ENUMS.items():
    ENUM_SPELLINGS[_enum] = {}
    for _code, _spellings in _codes.items():
        _lab = _label(_enum, _code)
        _as_code = _CODE_SPELLING.get((_enum, _code), _code if _enum in _CODE_STYLE_ENUMS else _lab)
        ENUM_SPELLINGS[_enum][_code] = (_as_code, _lab, tuple(s for s in _spellings if s != _lab) or (_lab,))

WRONG_ENUMS = _MISTAKES["wrong_enum_spellings"]  # spellings departments use that the contract does not know
BAD_DATES = tuple(_MISTAKES["bad_dates"])
BAD_AMOUNTS = tuple(_MISTAKES["bad_amounts"])
EXTRA_COLUMNS = tuple(_FEEDS["extra_columns"])

# Fields a stream may leave out (a department's export omits them); everything else is always written.
DROPPABLE = {kind: frozenset(keys) for kind, keys in _FEEDS["droppable_fields"].items()}


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


_DATE_STYLES = (_date_iso, _date_slash, _date_compact, _date_chinese)
_TIME_STYLES = (_time_full, _time_full, _time_short, _time_minutes)  # by Style.stamp


class _Formatted(dict):
    """Formatted values by key, computed once (a city has a few thousand distinct days)."""

    def __init__(self, fn: Callable):
        super().__init__()
        self.fn = fn

    def __missing__(self, key):
        value = self[key] = self.fn(key)
        return value


_DATE_CACHES = [_Formatted(fn) for fn in _DATE_STYLES]
_TIME_CACHES = [_Formatted(fn) for fn in _TIME_STYLES]


class Raw(str):
    """A value written exactly as given (a deliberately bad spelling): no formatting applied."""

    __slots__ = ()


FOREVER = -1  # open end of an OPEN_DATE field


# --------------------------------------------------------------------------- file styles


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


def spelling(field: contract.Field, header: str, labels_allowed: bool = True) -> str:
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


# --------------------------------------------------------------------------- streams


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


class _Renderer:
    """Turns typed records of one stream into text lines as its department writes them (one block)."""

    def __init__(self, block: _Block, spec: StreamSpec, id_base: int):
        self.spec = spec
        self.dept = spec.dept
        self.kind = spec.kind
        self.style = style = spec.style
        self.columns = spec.columns
        self.column_set = frozenset(spec.columns)
        self.conv = dict(block.converters(contract.KINDS[spec.kind], style, self.column_set))
        self.typed = [(i, self.conv[k]) for i, k in enumerate(spec.columns) if k in self.conv]
        self.tags = [(f"<{n}>", f"</{n}>") for n in spec.names]
        self.names = spec.names
        self.null = style.null or None  # None: csv writes a missing value as ""
        self.extra_value = spec.extra[1] if spec.extra else None
        self.lines: tuple[list[str], list[str]] = ([], [])  # main, corrections
        self.writers = tuple(
            csv.writer(SimpleNamespace(write=lines.append), lineterminator="\r\n" if style.crlf else "\n")
            for lines in self.lines
        )
        self.seq = id_base
        self.seq_end = id_base + ID_STRIDE
        self.rng = block.rng
        self.count = 0

    def next_id(self, year: int) -> str:
        self.seq += 1
        if self.seq >= self.seq_end:
            raise RuntimeError(f"more than {ID_STRIDE} {self.kind} records of {self.dept.code} in one block")
        st = self.style.id_style
        if st == 0:
            return f"{KIND_PREFIX[self.kind]}-{year}-{self.seq:08d}"
        if st == 1:
            return f"{self.dept.code}{KIND_PREFIX[self.kind]}{year}{self.seq:09d}"
        return f"{self.rng.getrandbits(128):032x}"

    def text(self, key: str, value):
        """A typed value as this stream writes it (deterministic converters only, e.g. updated_at)."""
        fn = self.conv.get(key)
        return value if fn is None or value.__class__ is Raw else fn(value)

    def emit(self, rec: dict, corrections: bool = False) -> None:
        """Append the record's line, its typed values written as this department writes them.

        `rec` is left typed, so that a caller may send another version of it.
        """
        self.count += 1
        values = list(map(rec.get, self.columns))
        for i, f in self.typed:
            v = values[i]
            if v is not None and v.__class__ is not Raw:
                values[i] = f(v)
        fmt = self.style.format
        if fmt == "csv":
            null = self.null
            row = values if null is None else [null if v is None else v for v in values]
            if self.extra_value is not None:
                row.insert(0, self.extra_value)
            self.writers[corrections].writerow(row)
            return
        if fmt == "jsonl":
            if self.style.empty_elements:
                obj = dict(zip(self.names, values, strict=True))
            else:
                obj = {n: v for n, v in zip(self.names, values, strict=True) if v is not None}
            self.lines[corrections].append(json.dumps(obj, ensure_ascii=False) + "\n")
            return
        vals = values
        if "&" in (joined := "".join([v for v in vals if v is not None])) or "<" in joined:
            vals = [None if v is None else _xml_escape(v) for v in vals]
        if self.style.empty_elements:
            parts = [o + c if v is None else f"{o}{v}{c}" for (o, c), v in zip(self.tags, vals, strict=True)]
        else:
            parts = [f"{o}{v}{c}" for (o, c), v in zip(self.tags, vals, strict=True) if v is not None]
        self.lines[corrections].append("  <record>" + "".join(parts) + "</record>\n")


class _FileWriter:
    """Writes rendered lines of one (department, kind, role) into files rotating at max records.

    A file is written under a temporary name and renamed when complete, as departments do
    (contract §1), so that a collector polling the inbox never reads half a file.
    """

    def __init__(self, out: Path, spec: StreamSpec, role: str, max_per_file: int, on_file: Callable):
        self.out = out
        self.spec = spec
        self.role = role
        self.stamp = spec.stamp if role == "main" else spec.corrections_stamp
        self.max_per_file = max_per_file
        self.on_file = on_file
        self.folder = out / spec.dept.code
        self.part = 0
        self.count = 0
        self.total = 0
        self.rotated = False
        self.handle = None
        self.gz = None
        self.text = None
        self.tmp_path: Path | None = None

    def _open(self) -> None:
        style = self.spec.style
        self.part += 1
        self.count = 0
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tmp_path = self.folder / f".{self.spec.kind}_{self.stamp}_{self.role}_{self.part}.part"
        self.handle = open(self.tmp_path, "wb")  # noqa: SIM115 - closed in _close
        raw = self.handle
        self.gz = None
        if style.gzip:
            self.gz = raw = gzip.GzipFile(
                filename="", mode="wb", fileobj=self.handle, mtime=0, compresslevel=1
            )
        self.text = io.TextIOWrapper(raw, encoding=style.encoding, newline="")
        if style.format == "csv":
            header = ([self.spec.extra[0]] if self.spec.extra else []) + list(self.spec.names)
            csv.writer(self.text, lineterminator="\r\n" if style.crlf else "\n").writerow(header)
        elif style.format == "xml":
            declared = "GB18030" if style.encoding == "gb18030" else "UTF-8"
            self.text.write(
                f'<?xml version="1.0" encoding="{declared}"?>\n<records kind="{self.spec.kind}">\n'
            )

    def _close(self, numbered: bool) -> None:
        if self.handle is None:
            return
        if self.spec.style.format == "xml":
            self.text.write("</records>\n")
        self.text.close()
        if not self.handle.closed:
            self.handle.close()
        suffix = "" if self.role == "main" else f"_{self.role}"
        part = f"_{self.part:04d}" if numbered else ""
        ext = self.spec.style.format + (".gz" if self.spec.style.gzip else "")
        final = self.folder / f"{self.spec.kind}_{self.stamp}{suffix}{part}.{ext}"
        os.replace(self.tmp_path, final)
        self.on_file(self, final, self.count)
        self.handle = None

    def write_lines(self, lines: list[str]) -> None:
        i = 0
        while i < len(lines):
            if self.handle is None:
                self._open()
            elif self.count >= self.max_per_file:
                self.rotated = True
                self._close(True)
                self._open()
            chunk = lines[i : i + self.max_per_file - self.count]
            self.text.write("".join(chunk))
            self.count += len(chunk)
            self.total += len(chunk)
            i += len(chunk)

    def close(self, always: bool = False) -> None:
        """Close the last file; a main feed with no records still gets its (empty) file."""
        if self.handle is None and self.total == 0 and always:
            self._open()
        self._close(self.rotated)


def _xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


KIND_PREFIX = _FEEDS["record_id_prefixes"]


# --------------------------------------------------------------------------- observer


class CityObserver:
    """Hooks for tests and tools: what each subject is meant to be, and which records are bad on purpose."""

    def subject(self, info: dict) -> None:  # noqa: B027 - optional hook
        """Called once per subject with its codes, type and target colour."""

    def bad_record(self, department: str, kind: str, record_id: str, updated_at: str, reason: str) -> None:  # noqa: B027
        """Called for each deliberately bad record (identified by record id and version)."""


# --------------------------------------------------------------------------- the generator


class _Subject:
    """One subject while its records are generated: codes, names, and the plan for its colour."""

    __slots__ = (
        "i",
        "colour",
        "type",
        "uscc",
        "org",
        "regno",
        "name",
        "district",
        "dname",
        "est",
        "industry",
        "scope",
        "rep",
        "rep_id",
        "phone",
        "market",
        "category",
        "status",
        "trigger",
        "address",
        "reg_dept",
        "showcase",
        "fail_budget",
        "report_stop",
        "revoked_licence_dept",
        "revoked_licence",
        "abnormal_keep",
        "cap",
        "etype",
        "tday",
        "tdept",
        "quiet",
        "from_abnormal",
    )


def _add_years(o: int, years: int) -> int:
    d = date.fromordinal(o)
    try:
        return d.replace(year=d.year + years).toordinal()
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28).toordinal()


def _cdf(weights: Iterable[float]) -> list[float]:
    total = 0.0
    out = []
    ws = list(weights)
    s = sum(ws)
    for w in ws:
        total += w / s
        out.append(total)
    out[-1] = 1.0
    return out


def _b31(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, d = divmod(n, 31)
        chars.append(USCC_ALPHABET[d])
    return "".join(reversed(chars))


def _regno_check(body: str) -> str:
    """ISO 7064 MOD 11,10 check digit of a 15-digit registration number (GS 15-2006)."""
    p = 10
    for ch in body:
        s = (p + int(ch)) % 10 or 10
        p = (s * 2) % 11
    return str((11 - p) % 10)


@cache
def _filing_window(year: int) -> tuple[int, int]:
    """Annual reports for the year before are filed from 1 January to 30 June (ordinals)."""
    return date(year, 1, 1).toordinal(), date(year, 6, 30).toordinal()


@cache
def _birth_places(year: int) -> tuple[str, ...]:
    """Area codes that existed in a birth year (stdnum.cn.ric checks this; 红谷滩区 dates from 2019)."""
    ok = []
    for place in BIRTH_PLACES:
        body = f"{place}{year:04d}0101001"
        if stdnum_ric.is_valid(body + _ric_check(body)):
            ok.append(place)
    return tuple(ok) or ("360100",)


_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _ric_check(body: str) -> str:
    return "10X98765432"[sum(int(c) * w for c, w in zip(body, _RIC_WEIGHTS, strict=True)) % 11]


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


def _amount_text(v: float) -> str:
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return text or "0"


class _Setup:
    """What every block shares: reference data, tables and the feeds' styles, all fixed by the seed."""

    def __init__(self, subjects: int, seed: int, as_of: date):
        self.n = subjects
        self.seed = seed
        self.as_of = as_of
        self.T = as_of.toordinal()
        self.offset = colour_offset(seed)
        self.departments = load_departments()
        self.dept = {d.code: d for d in self.departments}
        self.districts = load_districts()
        self.catalog = load_catalog()
        rng = random.Random(f"citygen-setup-{seed}")
        self.district_codes = [c for c, _ in self.districts]
        self.district_names = dict(self.districts)
        self.district_cdf = _cdf(DISTRICT_DETAIL.get(c, (3,))[0] for c in self.district_codes)
        default = (3, "urban", "建设路 人民路", "城区")
        self.roads = {c: DISTRICT_DETAIL.get(c, default)[2].split() for c in self.district_codes}
        self.towns = {c: DISTRICT_DETAIL.get(c, default)[3].split() for c in self.district_codes}
        self.is_county = {c: DISTRICT_DETAIL.get(c, default)[1] == "county" for c in self.district_codes}
        self.ind_ent_cdf = _cdf(i.w_ent for i in INDUSTRIES)
        self.ind_ind_cdf = _cdf(i.w_ind for i in INDUSTRIES)
        self.type_names = tuple(name for name, _ in SUBJECT_TYPES)
        self.type_cdf = _cdf(w for _, w in SUBJECT_TYPES)
        self.pen_cdf = _cdf(w for _, w in GENERAL_PENALTY_DEPTS)
        # The first subjects show every industry and subject type, so a small city has every feed.
        self.showcase = [("enterprise", k) for k in range(len(INDUSTRIES))] + [
            ("farmer_cooperative", None),
            ("social_organization", None),
            ("public_institution", None),
            ("government_agency", None),
            ("individual_business", None),
            ("social_organization", None),
        ]
        # Affine permutations give every subject index its own code body, without remembering any.
        self.perm = {
            "num": (7777777, rng.randrange(90_000_000), 90_000_000),
            "b31": (7777781, rng.randrange(31**5), 31**5),
            "reg": (7777777, rng.randrange(10_000_000), 10_000_000),
        }
        self.keyword_index = [(kw, idx) for idx, e in enumerate(self.catalog) for kw in e.keywords]
        self.specs = self._stream_specs(rng)

    def _style(self, rng: random.Random, kind: str, forced: tuple | None) -> Style:
        r = rng.random
        has_codes = kind in ("license", "penalty")
        if forced:
            fmt, enc, header, gz = forced
        else:
            x = r()
            fmt = "csv" if x < 0.55 else ("jsonl" if x < 0.8 else "xml")
            if fmt == "csv":
                enc = rng.choice(("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-8-sig", "gb18030", "gb18030"))
                choices = ("code", "code", "label", "key") if has_codes else ("label", "label", "key")
                header = rng.choice(choices)
            elif fmt == "xml":
                enc = "gb18030" if r() < 0.3 else "utf-8"
                header = "code" if has_codes and r() < 0.5 else "key"
            else:
                enc = "utf-8"
                header = "code" if has_codes and r() < 0.5 else "key"
            gz = r() < 0.2
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

    def _stream_specs(self, rng: random.Random) -> dict[tuple[str, str], StreamSpec]:
        pairs = [(d, k) for d in self.departments for k in d.kinds]
        order = list(range(len(pairs)))
        rng.shuffle(order)
        coverage = [  # every format, encoding, header style and gzip appear at least once
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
        ]
        forced: dict[int, tuple] = {}
        for fmt, enc, header, gz, needs_code in coverage:
            for idx in order:
                if idx not in forced and (not needs_code or pairs[idx][1] in ("license", "penalty")):
                    forced[idx] = (fmt, enc, header, gz)
                    break
        minute = {d.code: rng.randrange(0, 50) for d in self.departments}
        specs = {}
        for idx, (d, k) in enumerate(pairs):
            style = self._style(rng, k, forced.get(idx))
            keep = [f for f in contract.KINDS[k].fields if f.key not in DROPPABLE[k] or rng.random() > 0.3]
            if style.shuffle:
                head, tail = keep[:3], keep[3:]
                rng.shuffle(tail)
                keep = head + tail
            extra = None
            if style.extra:
                value = {"数据批次号": f"{self.as_of:%Y%m%d}{d.code}", "报送单位": d.name}.get(style.extra)
                extra = (style.extra, value or f"{rng.choice(SURNAMES)}{rng.choice(GIVEN_FEMALE)}")
            specs[d.code, k] = StreamSpec(
                dept=d,
                kind=k,
                style=style,
                columns=tuple(f.key for f in keep),
                names=tuple(spelling(f, style.header, labels_allowed=style.format == "csv") for f in keep),
                stamp=f"{self.as_of:%Y%m%d}00{minute[d.code]:02d}{d.kinds.index(k):02d}",
                corrections_stamp=f"{self.as_of:%Y%m%d}06{minute[d.code]:02d}{d.kinds.index(k):02d}",
                extra=extra,
            )
        return specs


class _Block:
    """Generates the subjects of one block: their records rendered per stream, and the tallies.

    A block has its own random stream (seed and block number), so a city is the same whatever
    the number of worker processes; its sequence numbers start at the block's own base.
    """

    def __init__(self, setup: _Setup, index: int, collect: bool):
        self.__dict__.update(vars(setup))  # the shared tables, as attributes
        self.index = index
        self.collect = collect
        self.rng = random.Random(f"citygen-{setup.seed}-{index}")
        self.r = self.rng.random
        self.date_formats = _DATE_CACHES
        self.time_formats = _TIME_CACHES
        self.streams: dict[str, dict[str, _Renderer]] = {d.code: {} for d in self.departments}
        for (code, kind), spec in setup.specs.items():
            self.streams[code][kind] = _Renderer(self, spec, index * ID_STRIDE)
        self.seq_base = index * SEQ_STRIDE
        self.bad: dict[str, int] = {reason: 0 for reason, _ in _BAD_REASONS}
        self.versions = {"updated": 0, "stale_resent": 0, "deleted": 0, "fixed_after_quarantine": 0}
        self.types: dict[str, int] = {}
        self.statuses: dict[str, int] = {}
        self.colours = dict.fromkeys(COLOURS, 0)
        self.triggers: dict[str, int] = {}
        self.identified_by = {"uscc": 0, "organization_code": 0, "registration_number": 0}
        self.seqs: dict[tuple, int] = {}
        self.subjects_info: list[dict] = []
        self.bad_records: list[tuple[str, str, str, str, str]] = []
        self._scope_cache: dict[str, tuple[int, ...]] = {}

    def run(self, lo: int, hi: int) -> dict:
        """Generate subjects lo..hi-1; return their lines per stream and the block's tallies."""
        for i in range(lo, hi):
            self.subject(i)
        return {
            "index": self.index,
            "lines": {(code, kind): st.lines for code, d in self.streams.items() for kind, st in d.items()},
            "counts": {code: {k: st.count for k, st in d.items()} for code, d in self.streams.items()},
            "bad": self.bad,
            "versions": self.versions,
            "types": self.types,
            "statuses": self.statuses,
            "colours": self.colours,
            "triggers": self.triggers,
            "identified_by": self.identified_by,
            "subjects": self.subjects_info,
            "bad_records": self.bad_records,
        }

    # -- formatting
    def converters(self, kind: contract.Kind, style: Style, columns: frozenset) -> list[tuple[str, Callable]]:
        """Typed value -> text as this stream writes it, for each typed field it carries.

        Most converters are bound methods of caches (C calls): formatting is most of the work.
        """
        out: list[tuple[str, Callable]] = []
        r = self.r
        dates = self.date_formats
        if style.date == 4:

            def date_fn(o: int) -> str:
                x = r()
                return dates[0 if x < 0.55 else (1 if x < 0.7 else (2 if x < 0.85 else 3))][o]
        else:
            date_fn = dates[style.date].__getitem__

        forever = style.forever

        def open_fn(o: int) -> str:
            return forever if o == FOREVER else date_fn(o)

        day_part = dates[1 if style.stamp == 2 else 0]
        times = self.time_formats[style.stamp]
        sep = "T" if style.stamp == 1 else " "

        def stamp_fn(v: int) -> str:
            o, sec = divmod(v, 86400)
            return day_part[o] + sep + times[sec]

        amount_style = style.amount

        def amount_fn(v: float) -> str:
            if amount_style == 1:
                return f"{v:,.4f}".rstrip("0").rstrip(".") if v >= 1000 else _amount_text(v)
            x = r()
            if x < 0.5:
                return f"{v:,.4f}".rstrip("0").rstrip(".")
            if x < 0.6:
                return _fullwidth(_amount_text(v))
            if x < 0.7:
                return _amount_text(v) + "万元"
            return _amount_text(v)

        def enum_fn_for(enum: str) -> Callable:
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

        def multi_fn_for(enum: str) -> Callable:
            labels = {code: v[1] for code, v in ENUM_SPELLINGS[enum].items()}

            def multi_fn(codes: list[str]) -> str:
                return sep_multi.join([labels[c] for c in codes])

            return multi_fn

        sep_multi = style.sep
        numbers = style.json_numbers
        for f in kind.fields:
            if f.key not in columns or f.key == "op":
                continue
            t = f.type
            fn: Callable | None = None
            if t == contract.DATE:
                fn = date_fn
            elif t == contract.OPEN_DATE:
                fn = open_fn
            elif t == contract.DATETIME:
                fn = stamp_fn
            elif t == contract.AMOUNT and not numbers:
                fn = _amount_text if amount_style == 0 else amount_fn
            elif t == contract.INT and not numbers:
                fn = str
            elif t == contract.BOOL:
                fn = {True: "是", False: "否"}.__getitem__
            elif t == contract.ENUM:
                fn = enum_fn_for(f.enum)
            elif t == contract.MULTI_ENUM:
                fn = multi_fn_for(f.enum)
            if fn is not None:
                out.append((f.key, fn))
        return out

    # -- helpers
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def pick_cdf(self, cdf: list[float]) -> int:
        return bisect.bisect_left(cdf, self.r())

    def day(self, s: _Subject, lo: int, hi: int, floor: int = 1) -> int | None:
        """A day between `hi` and `lo` days before as_of, not before the subject existed."""
        start = max(self.T - hi, s.est + floor)
        end = self.T - lo
        if start > end:
            return None
        return start + int(self.r() * (end - start + 1))

    def stamp_after(self, o: int, max_days: int = 6) -> int:
        """An updated_at (as int seconds) a few days after day `o`, never on or after as_of."""
        d = min(o + int(self.r() * max_days), self.T - 1)
        return d * 86400 + 28800 + int(self.r() * 36000)

    def morning_stamp(self) -> int:
        """A version written on the morning of as_of (corrections sent after the main files)."""
        return self.T * 86400 + 3600 + int(self.r() * 16000)

    def person(self) -> str:
        r = self.r
        surname = "欧阳" if r() < 0.01 else SURNAMES[int(r() * len(SURNAMES))]
        pool = GIVEN_MALE if r() < 0.55 else GIVEN_FEMALE
        given = pool[int(r() * len(pool))]
        if r() < 0.7:
            given += pool[int(r() * len(pool))]
        return surname + given

    def id_number(self) -> str:
        r = self.r
        born = date(1955, 1, 1).toordinal() + int(r() * 16800)
        d = date.fromordinal(born)
        places = _birth_places(d.year)
        body = f"{places[int(r() * len(places))]}{d.year:04d}{d.month:02d}{d.day:02d}{int(r() * 1000):03d}"
        return body + _ric_check(body)

    def mobile(self) -> str:
        return f"{MOBILE_PREFIXES[int(self.r() * len(MOBILE_PREFIXES))]}{int(self.r() * 100_000_000):08d}"

    def phone(self) -> str:
        return self.mobile() if self.r() < 0.75 else f"0791-8{int(self.r() * 10_000_000):07d}"

    def trade_name(self) -> str:
        r = self.r
        n = len(TRADE_CHARS)
        name = TRADE_CHARS[int(r() * n)] + TRADE_CHARS[int(r() * n)]
        if r() < 0.25:
            name += TRADE_CHARS[int(r() * n)]
        return name

    def address(self, district: str) -> str:
        r = self.r
        dname = self.district_names[district]
        if self.is_county[district] and r() < 0.4:
            town = self.pick(self.towns[district])
            if r() < 0.5:
                return f"{PROVINCE}省{CITY}市{dname}{town}{self.pick(TRADE_CHARS)}家村{int(r() * 12) + 1}组"
            return f"{PROVINCE}省{CITY}市{dname}{town}{self.pick(self.roads[district])}{int(r() * 300) + 1}号"
        road = self.pick(self.roads[district])
        tail = f"{int(r() * 999) + 1}号"
        x = r()
        if x < 0.35:
            tail += f"{int(r() * 20) + 1}栋{int(r() * 25) + 1}{int(r() * 4) + 1:02d}室"
        elif x < 0.5:
            tail += f"{int(r() * 3) + 1}楼"
        return f"{PROVINCE}省{CITY}市{dname}{road}{tail}"

    def doc_number(self, dept: str, year: int, kind: str = "处罚", district: str | None = None) -> str:
        """A decision number: 洪市监处罚〔2026〕101号, or with a district branch's prefix (红市监简罚…)."""
        key = (dept, year)
        n = self.seqs[key] = self.seqs.get(key, self.seq_base) + 1
        short = DEPT_SHORT.get(dept, "洪")
        if dept == "SCJG" and district in SCJG_BRANCH_SHORT and self.r() < 0.6:
            short = SCJG_BRANCH_SHORT[district]
        if dept == "GAJ":
            return f"{short}（治）行罚决字〔{year}〕{n:05d}号"
        if dept == "XF":
            return f"{short}行罚决字〔{year}〕{n:04d}号"
        return f"{short}{kind}〔{year}〕{n}号"

    def next_licence_no(self, name: str) -> int:
        n = self.seqs[name] = self.seqs.get(name, self.seq_base) + 1
        return n

    def scope_matches(self, scope: str) -> tuple[int, ...]:
        found = self._scope_cache.get(scope)
        if found is None:
            found = tuple(sorted({idx for kw, idx in self.keyword_index if kw in scope}))
            if len(self._scope_cache) > 50_000:
                self._scope_cache.clear()
            self._scope_cache[scope] = found
        return found

    def authority(self, dept: str, district: str) -> str:
        name = self.dept[dept].name
        if dept == "SCJG":
            dname = self.district_names[district]
            if dname.endswith("区") and district not in ("360112",):
                return f"{CITY}市市场监督管理局{dname[:-1]}分局"
            return f"{dname}市场监督管理局" if not dname.endswith("区") else f"{CITY}市{dname}市场监督管理局"
        return name

    # -- emitting
    def emit(self, s: _Subject, dept: str, kind: str, rec: dict, benign: bool = True) -> None:
        """Render a record; a benign one is occasionally made bad the way departments get records wrong."""
        st = self.streams[dept][kind]
        if benign and self.r() < BAD_RECORD_SHARE:
            good = dict(rec) if kind == "registration" else None
            reason = self._corrupt(st, rec)
            st.emit(rec)
            self.bad[reason] += 1
            if self.collect:
                written = st.text("updated_at", rec["updated_at"])
                self.bad_records.append((dept, kind, rec["record_id"], str(written), reason))
            if good is not None:  # the registry fixes a registration and sends it again
                good["updated_at"] = self.morning_stamp()
                st.emit(good, corrections=True)
                self.versions["fixed_after_quarantine"] += 1
            return
        st.emit(rec)

    def emit_correction(self, dept: str, kind: str, rec: dict) -> None:
        self.streams[dept][kind].emit(rec, corrections=True)

    def _corrupt(self, st: _Renderer, rec: dict) -> str:
        """Make a record bad in one realistic way; returns the QuarantineReason code it must fail with.

        The way is drawn by weight among those the record allows (an annual report has no enum
        to misspell, a complaint no amount), so each reason keeps about its share.
        """
        kind = contract.KINDS[st.kind]
        cols = st.column_set
        r = self.r
        present = [f for f in kind.fields if f.key in cols and rec.get(f.key) is not None and f.key != "op"]
        options = {
            QuarantineReason.MISSING_REQUIRED: [
                f.key
                for f in kind.fields
                if f.required and f.key not in ("record_id", "updated_at") and f.key in cols
            ],
            QuarantineReason.INVALID_USCC: [
                "uscc"
                for f in present
                if f.key == "uscc" and len(rec["uscc"]) == 18 and rec["uscc"].isascii()
            ],
            QuarantineReason.UNPARSABLE_DATE: [f.key for f in present if f.type == contract.DATE],
            QuarantineReason.UNKNOWN_ENUM: [
                f.key for f in present if f.type in (contract.ENUM, contract.MULTI_ENUM, contract.BOOL)
            ],
            QuarantineReason.UNPARSABLE_AMOUNT: [f.key for f in present if f.type == contract.AMOUNT],
            QuarantineReason.END_BEFORE_START: [
                b for a, b in kind.ordered_dates if b in cols and isinstance(rec.get(a), int)
            ],
            QuarantineReason.SUBJECT_TYPE_MISMATCH: [
                "subject_type"
                for f in present
                if f.key == "subject_type" and rec.get("uscc") and not isinstance(rec["uscc"], Raw)
            ],
        }
        weighted = [(reason, w) for reason, w in _BAD_REASONS if options[reason]]
        x = r() * sum(w for _, w in weighted)
        reason = weighted[-1][0]
        for candidate, w in weighted:
            x -= w
            if x < 0:
                reason = candidate
                break
        keys = options[reason]
        key = keys[int(r() * len(keys))]
        if reason == QuarantineReason.INVALID_USCC:
            u = rec["uscc"]
            good = u[-1].upper()
            rec["uscc"] = Raw(u[:-1] + USCC_ALPHABET[(USCC_ALPHABET.index(good) + 1 + int(r() * 29)) % 31])
        elif reason == QuarantineReason.UNPARSABLE_DATE:
            d = date.fromordinal(rec[key])
            rec[key] = Raw(self.pick(BAD_DATES).format(y=d.year, m=d.month, d=d.day))
        elif reason == QuarantineReason.UNKNOWN_ENUM:
            enum = kind.by_key[key].enum
            rec[key] = Raw(self.pick(WRONG_ENUMS[enum] if enum else ("部分公示", "不详")))
        elif reason == QuarantineReason.UNPARSABLE_AMOUNT:
            value = rec[key]
            rec[key] = Raw(
                self.pick(BAD_AMOUNTS).format(a=max(1, int(value)) if isinstance(value, int | float) else 5)
            )
        elif reason == QuarantineReason.END_BEFORE_START:
            start = next(a for a, b in kind.ordered_dates if b == key and isinstance(rec.get(a), int))
            rec[key] = rec[start] - 1 - int(r() * 400)
        elif reason == QuarantineReason.SUBJECT_TYPE_MISMATCH:
            rec[key] = MISTAKEN_TYPES[rec[key]]
        else:
            rec[key] = Raw(self.pick(("", "", "-", "无")))
        return reason

    def base(self, s: _Subject, st: _Renderer, year: int, updated: int) -> dict:
        return {"record_id": st.next_id(year), "op": st.style.op, "updated_at": updated}

    def identify(self, s: _Subject, rec: dict, uscc_required: bool) -> None:
        """Name the subject: mostly by USCC (sometimes written loosely), else by a legacy code."""
        r = self.r
        x = r()
        if not uscc_required:
            if x < 0.025:
                rec["organization_code"] = s.org[:8] + "-" + s.org[8] if r() < 0.5 else s.org
                self.identified_by["organization_code"] += 1
                return
            if x < 0.05 and s.regno:
                rec["registration_number"] = s.regno
                self.identified_by["registration_number"] += 1
                return
        self.identified_by["uscc"] += 1
        u = s.uscc
        if x > 0.985:
            y = r()
            if y < 0.3:
                u = u.lower()
            elif y < 0.55:
                u = u[:16] + "-" + u[16:]
            elif y < 0.8:
                u = _fullwidth(u)
            else:
                u = f"{u[:2]} {u[2:8]} {u[8:]}"
        rec["uscc"] = u
        if x < 0.08 and uscc_required:
            rec["organization_code"] = s.org

    # -- subjects
    def _new_subject(self, i: int) -> _Subject:
        r = self.r
        s = _Subject()
        s.i = i
        s.colour = colour_for(i, self.offset)
        s.showcase = i < len(self.showcase)
        s.fail_budget = 1
        s.report_stop = None
        s.revoked_licence_dept = None
        s.revoked_licence = None
        s.abnormal_keep = None
        s.trigger = None
        s.tday = None
        s.tdept = None
        s.from_abnormal = None
        s.quiet = False
        s.etype = None
        industry_idx = None
        if s.showcase:
            s.type, industry_idx = self.showcase[i]
        else:
            s.type = self.type_names[self.pick_cdf(self.type_cdf)]
        t = s.type
        s.market = t in ("enterprise", "individual_business", "farmer_cooperative")
        s.district = self.district_codes[self.pick_cdf(self.district_cdf)]
        s.dname = self.district_names[s.district]
        T = self.T
        # establishment
        x = r()
        if t in ("public_institution", "government_agency"):
            ago = 2500 + int(r() * 20000) if x < 0.9 else 300 + int(r() * 2200)
        elif x < 0.38:
            ago = 1 + int(r() * 1095)
        elif x < 0.70:
            ago = 1095 + int(r() * 1825)
        elif x < 0.92:
            ago = 2920 + int(r() * 2555)
        else:
            ago = 5475 + int(r() * 5475)
        if s.colour != "green" and ago < 120:
            ago = 120 + int(r() * 700)
        if s.showcase:
            ago = 1500 + ago % 3000
        s.est = T - ago
        pre2015 = s.est < date(2015, 10, 1).toordinal()
        # codes
        a, b, m = self.perm["num"]
        numeric = f"{10_000_000 + (a * i + b) % m:08d}"
        a, b, m = self.perm["b31"]
        tail31 = _b31((a * i + b) % m, 5)
        if t == "enterprise":
            auth, tchar, body = "9", "1", numeric if pre2015 else "MA3" + tail31
        elif t == "individual_business":
            auth, tchar, body = "9", "2", "MA3" + tail31
        elif t == "farmer_cooperative":
            auth, tchar, body = "9", "3", numeric if pre2015 else "MA3" + tail31
        elif t == "social_organization":
            auth, tchar, body = "5", self.pick("1112223"), numeric if pre2015 else "MJ8" + tail31
        elif t == "public_institution":
            auth, tchar, body = "1", "2", numeric if s.est < date(2016, 1, 1).toordinal() else "MB1" + tail31
        else:
            auth, tchar, body = "1", "1", numeric if s.est < date(2016, 1, 1).toordinal() else "MB1" + tail31
        s.org = body + organization_code_check(body)
        # The USCC keeps the area where it was issued: 红谷滩区 (2019) subjects older than it, subjects
        # registered at city level and many social organisations and institutions carry 360100.
        city_level = 0.5 if t in ("public_institution", "government_agency", "social_organization") else 0.08
        older = s.district == "360113" and s.est < date(2019, 7, 1).toordinal()
        area = "360100" if older or r() < city_level else s.district
        head = auth + tchar + area + s.org
        s.uscc = head + stdnum_uscc.calc_check_digit(head)
        s.regno = None
        if s.market and pre2015:
            a, b, m = self.perm["reg"]
            reg_area = area if area not in ("360112", "360113") else "360100"
            body15 = f"{reg_area}{'6' if t == 'individual_business' else '0'}{(a * i + b) % m:07d}"
            s.regno = body15 + _regno_check(body15)
        s.rep = self.person()
        s.rep_id = self.id_number()
        s.phone = self.phone()
        s.address = self.address(s.district)
        s.category = "individual_business" if t == "individual_business" else "legal_person"
        s.status = "existing"
        s.industry = None
        s.cap = None
        self._name_and_scope(s, industry_idx)
        s.reg_dept = "SCJG" if s.market else ("MZJ" if t == "social_organization" else "BB")
        return s

    def _name_and_scope(self, s: _Subject, industry_idx: int | None) -> None:
        r = self.r
        t = s.type
        est_year = date.fromordinal(s.est).year
        if t in ("enterprise", "individual_business"):
            cdf = self.ind_ent_cdf if t == "enterprise" else self.ind_ind_cdf
            ind = INDUSTRIES[industry_idx] if industry_idx is not None else INDUSTRIES[self.pick_cdf(cdf)]
            s.industry = ind
            licensed = ()
            if ind.licensed:
                if s.showcase:
                    licensed = ind.licensed
                else:
                    k = 1 + (r() < 0.4)
                    licensed = tuple(
                        ind.licensed[j] for j in sorted({int(r() * len(ind.licensed)) for _ in range(k)})
                    )
            general = sorted({int(r() * len(ind.general)) for _ in range(1 + int(r() * 3))})
            general_items = tuple(ind.general[j] for j in general)
            s.scope = self._scope(licensed, general_items, est_year)
            trade = self.trade_name()
            if t == "individual_business":
                shop = self.pick(ind.shops) if ind.shops else "经营部"
                if not s.showcase and r() < OWN_NAME_SHARE:
                    s.name = s.rep  # no trade name: registered under the operator's own name
                elif self.is_county[s.district]:
                    s.name = f"{s.dname}{self.pick(self.towns[s.district])}{trade}{shop}"
                else:
                    s.name = f"{CITY}市{s.dname}{trade}{shop}"
                s.cap = self.pick((1, 2, 3, 5, 5, 10, 10, 20, 30, 50))
                s.etype = "个体工商户"
            else:
                word = self.pick(ind.words)
                x = r()
                place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
                prefix = CITY if x < 0.5 else (PROVINCE if x < 0.72 else (f"{CITY}市" if x < 0.82 else place))
                y = r()
                if y < 0.75:
                    s.name, etype = (
                        f"{prefix}{trade}{word}有限公司",
                        self.pick(
                            (
                                "有限责任公司(自然人投资或控股)",
                                "有限责任公司(自然人投资或控股)",
                                "有限责任公司(自然人独资)",
                                "有限责任公司(非自然人投资或控股的法人独资)",
                            )
                        ),
                    )
                elif y < 0.8:
                    s.name, etype = f"{prefix}{trade}{word}有限责任公司", "其他有限责任公司"
                elif y < 0.84:
                    s.name, etype = (
                        f"{prefix}{trade}{word}股份有限公司",
                        "股份有限公司(非上市、自然人投资或控股)",
                    )
                elif y < 0.92:
                    s.name, etype = (
                        f"{CITY}市{s.dname}{trade}{word}{self.pick(('经营部', '中心', '工作室', '厂'))}",
                        "个人独资企业",
                    )
                elif y < 0.96:
                    s.name, etype = f"{CITY}{trade}{word}中心（有限合伙）", "有限合伙企业"
                else:
                    s.name, etype = (
                        f"{CITY}{trade}{word}有限公司{s.dname.rstrip('区县')}分公司",
                        "有限责任公司分公司(自然人投资或控股)",
                    )
                s.etype = etype
                if etype != "有限责任公司分公司(自然人投资或控股)":
                    s.cap = self.pick(
                        (
                            3,
                            5,
                            10,
                            10,
                            20,
                            30,
                            50,
                            50,
                            100,
                            100,
                            200,
                            300,
                            500,
                            500,
                            1000,
                            1000,
                            2000,
                            3000,
                            5000,
                            10000,
                        )
                    )
            return
        if t == "farmer_cooperative":
            code, product, extra = self.pick(COOP_PRODUCTS)
            s.industry = Industry(code, (product,), (), (), (), 0, 0, (), (), ("NYJ", "SCJG"), ("quality",))
            town = self.pick(self.towns[s.district])
            place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
            s.name = f"{place}{town}{self.trade_name()}{product}专业合作社"
            items = [
                f"组织收购、销售成员{product}产品",
                "引进新技术、新品种，开展技术培训、技术交流和咨询服务",
            ]
            if extra and (s.showcase or r() < 0.35):
                items.append(extra)
            s.scope = "；".join(items)
            s.cap = self.pick((10, 20, 30, 50, 100, 200, 500))
            s.etype = "农民专业合作社"
            return
        if t == "social_organization":
            kind = s.uscc[1]
            trade = self.trade_name()
            if kind == "1":
                topic = self.pick(
                    (
                        "餐饮行业",
                        "软件行业",
                        "物流行业",
                        "建筑业",
                        "汽车流通",
                        "美容美发行业",
                        "食品工业",
                        "家具行业",
                        "电子商务",
                        "个体劳动者",
                        "会计",
                        "律师",
                        "心理卫生",
                        "摄影家",
                    )
                )
                form = self.pick(("协会", "协会", "协会", "商会", "学会"))
                s.name = f"{CITY}市{topic}{form}" if r() < 0.5 else f"{CITY}市{s.dname}{topic}{form}"
                s.scope = "行业自律；业务培训；交流合作；咨询服务；编辑会刊"
                s.industry = ORG_INDUSTRIES["S9622"]
                s.etype = "社会团体"
            elif kind == "2":
                x = r()
                if x < 0.35:
                    s.name = f"{CITY}{trade}职业培训学校"
                    s.scope = "职业技能培训；文化教育培训"
                    s.industry = ORG_INDUSTRIES["P8391"]
                elif x < 0.6:
                    s.name = f"{CITY}市{s.dname}{trade}幼儿园"
                    s.scope = "学前教育（民办教育）"
                    s.industry = ORG_INDUSTRIES["P8310"]
                elif x < 0.85:
                    s.name = f"{CITY}市{s.dname}{trade}养老服务中心"
                    s.scope = "养老服务；老年人日间照料；餐饮服务"
                    s.industry = ORG_INDUSTRIES["Q8514"]
                else:
                    s.name = f"{CITY}{trade}中医门诊部"
                    s.scope = "医疗服务；健康咨询"
                    s.industry = ORG_INDUSTRIES["Q8425"]
                s.etype = "民办非企业单位"
            else:
                s.name = f"{CITY}市{trade}{self.pick(('教育', '慈善', '助学', '扶贫'))}基金会"
                s.scope = "资助教育事业；扶贫济困；开展公益慈善活动"
                s.industry = ORG_INDUSTRIES["S9630"]
                s.etype = "基金会"
            s.cap = self.pick((3, 5, 10, 20, 50, 200, 400))
            return
        if t == "public_institution":
            x = r()
            n = 1 + int(r() * 30)
            town = self.pick(self.towns[s.district])
            place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
            if x < 0.2:
                s.name = f"{CITY}市第{_cn_number(n)}医院" if r() < 0.5 else f"{place}人民医院"
                s.scope = "医疗服务；医学教学；医学研究；放射诊疗"
                s.industry = ORG_INDUSTRIES["Q8411"]
            elif x < 0.45:
                s.name = f"{CITY}市第{_cn_number(n)}中学" if r() < 0.5 else f"{place}{town}中心小学"
                s.scope = "实施普通教育，促进基础教育发展"
                s.industry = ORG_INDUSTRIES["P8334"]
            elif x < 0.6:
                kind = "卫生院" if town.endswith(("镇", "乡")) else "社区卫生服务中心"
                s.name = f"{place}{town}{kind}"
                s.scope = "医疗服务；预防保健；健康教育"
                s.industry = ORG_INDUSTRIES["Q8423"]
            elif x < 0.75:
                s.name = f"{place}{self.pick(('疾病预防控制中心', '图书馆', '文化馆', '档案馆', '不动产登记中心'))}"
                s.scope = "为社会提供公共服务"
                s.industry = ORG_INDUSTRIES["Q8431"]
            else:
                s.name = f"{CITY}市{self.pick(('城市公共停车管理', '房屋征收', '公共资源交易', '住房保障', '农业技术推广', '水文'))}中心"
                s.scope = "承担相关公共服务和辅助管理工作"
                s.industry = ORG_INDUSTRIES["M7330"]
            s.cap = self.pick((10, 20, 50, 100, 300, 1000, 3000))
            s.etype = "事业单位"
            return
        # government agency
        place = s.dname if self.is_county[s.district] else f"{CITY}市{s.dname}"
        if r() < 0.45:  # a town government or a street office
            town = self.pick(self.towns[s.district])
            s.name = f"{place}{town}{'办事处' if town.endswith('街道') else '人民政府'}"
        else:
            s.name = place + self.pick(
                (
                    "农业农村局",
                    "商务局",
                    "教育体育局",
                    "城市管理局",
                    "民政局",
                    "司法局",
                    "自然资源局",
                    "水利局",
                    "卫生健康委员会",
                    "统计局",
                    "科学技术局",
                )
            )
        s.scope = "依法履行行政管理职能"
        s.industry = ORG_INDUSTRIES["S9324"]
        s.etype = "机关"

    def _scope(self, licensed: tuple[str, ...], general: tuple[str, ...], est_year: int) -> str:
        if est_year >= 2021 and self.r() < 0.8:
            text = ""
            if licensed:
                text += (
                    "许可项目："
                    + "；".join(licensed)
                    + "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"
                )
            if general:
                text += (
                    "一般项目："
                    + "；".join(general)
                    + "（除许可业务外，可自主依法经营法律法规非禁止或限制的项目）"
                )
            return text
        items = "；".join(licensed + general)
        if licensed and self.r() < 0.7:
            items += "。（依法须经批准的项目，经相关部门批准后方可开展经营活动）"
        return items

    # -- the plan: which records make the target colour
    def _plan(self, s: _Subject) -> None:
        """Choose what makes the subject its target colour (a trigger), and its status, before any record."""
        r = self.r
        T = self.T
        c = s.colour
        s.quiet = False
        if c == "green":
            x = r()
            if s.showcase or not s.market:
                pass
            elif x < 0.012:  # cancelled or moved away: only its registration, reports and licences remain
                s.status, s.quiet = "cancelled", True
            elif x < 0.015:
                s.status, s.quiet = "moved_out", True
            elif x < 0.2:
                s.status = "operating"
        if s.quiet:
            s.tday = self.day(s, 30, 1000) or T - 1
        if c != "green":
            if c == "red":
                options = [("dishonest_debtor", 30), ("court_refusal", 12)]
                if s.market or s.type == "social_organization":
                    options.append(("restrictive_penalty", 18))
                if s.market:
                    options += [("serious_violation", 25)]
                    if s.est <= T - 240:
                        options.append(("revoked_registration", 15))
            elif c == "orange":
                options = [("heavy_penalty", 30)]
                if s.type != "government_agency":
                    options.append(("bad_inspection", 12))
                if s.est <= T - 240:
                    options.append(("long_arrears", 20))
                if s.market:
                    options.append(("abnormal_listing", 45))
            else:
                options = [("penalty", 45), ("arrears", 30), ("inspection", 15), ("complaints", 10)]
            total = sum(w for _, w in options)
            x = r() * total
            for name, w in options:
                x -= w
                if x < 0:
                    s.trigger = name
                    break
            else:
                s.trigger = options[-1][0]
            self.triggers[f"{c}:{s.trigger}"] = self.triggers.get(f"{c}:{s.trigger}", 0) + 1
        t = s.trigger
        if t == "revoked_registration":
            s.tday = self.day(s, 30, 1500, floor=200)
            s.status = "revoked"
            s.report_stop = date.fromordinal(s.tday).year - 1
        elif t == "restrictive_penalty":
            s.tday = self.day(s, 15, 1000, floor=30)
            s.tdept = self._penalty_dept(s, restrictive=True)
            s.revoked_licence_dept = s.tdept
        elif t == "abnormal_listing":
            s.tday = None
            years = self._missing_report_years(s, 30, 1000)
            if years:
                y, listed = years[int(r() * len(years))]
                s.tday, s.report_stop, s.from_abnormal = listed, y, "no_annual_report"
            else:
                s.tday, s.from_abnormal = self.day(s, 30, 1000, floor=30), "unreachable"
        elif t == "serious_violation":
            s.from_abnormal = None
            years = self._missing_report_years(s, 15 + 1096 + 60, 1400 + 1096)
            if years and r() < 0.7:
                y, listed = years[int(r() * len(years))]
                s.from_abnormal = listed
                s.report_stop = y
                s.tday = min(listed + 1096 + int(r() * 60), T - 15)
            else:
                s.tday = self.day(s, 15, 1400, floor=60)
        if (
            s.market
            and not s.quiet
            and t not in ("abnormal_listing", "serious_violation", "revoked_registration")
            and r() < 0.04
        ):
            years = self._missing_report_years(s, 60, 1400)
            if years:
                y, listed = years[int(r() * len(years))]
                removed = min(listed + 20 + int(r() * 380), T - 1)
                s.abnormal_keep = (y, listed, removed, max(listed, removed - 1 - int(r() * 10)))

    def _missing_report_years(self, s: _Subject, lo: int, hi: int) -> list[tuple[int, int]]:
        """Report years whose abnormal listing (early July of the next year) falls in the window."""
        out = []
        est_year = date.fromordinal(s.est).year
        for y in range(est_year, self.as_of.year):
            listed = date(y + 1, 7, 1).toordinal() + 3 + (s.i * 7 + y) % 40
            if self.T - hi <= listed <= self.T - lo and listed > s.est + 60:
                out.append((y, listed))
        return out

    # -- a subject's records
    def subject(self, i: int) -> None:
        """All records of subject `i`: registration, benign records of every kind, then its trigger."""
        s = self._new_subject(i)
        self._plan(s)
        self.types[s.type] = self.types.get(s.type, 0) + 1
        self.statuses[s.status] = self.statuses.get(s.status, 0) + 1
        self.colours[s.colour] += 1
        self._registration(s)
        self._licences(s)
        self._annual_reports(s)
        if not s.quiet:
            self._inspections(s)
            self._complaints(s)
            self._benign_penalties(s)
            self._arrears(s)
            self._property(s)
            self._court(s)
            self._benign_listings(s)
            self._honors(s)
            if s.trigger:
                getattr(self, "_t_" + s.trigger)(s)
            self._versions(s)
        if self.collect:
            self.subjects_info.append(
                {
                    "index": i,
                    "uscc": s.uscc,
                    "name": s.name,
                    "subject_type": s.type,
                    "colour": s.colour,
                    "trigger": s.trigger,
                    "status": s.status,
                    "organization_code": s.org,
                    "registration_number": s.regno,
                    "department": s.reg_dept,
                    "established_on": date.fromordinal(s.est),
                    "business_scope": s.scope,
                }
            )

    def _registration(self, s: _Subject) -> None:
        r = self.r
        st = self.streams[s.reg_dept]["registration"]
        if s.status == "revoked" or s.quiet:
            approved = s.tday
        else:
            approved = s.est if r() < 0.5 else (self.day(s, 1, self.T - s.est, floor=0) or s.est)
        approved = min(approved, self.T - 1)
        updated = self.stamp_after(approved, 3)
        rec = self.base(s, st, date.fromordinal(approved).year, updated)
        rec["uscc"] = s.uscc
        rec["name"] = s.name
        rec["subject_type"] = s.type
        rec["enterprise_type"] = s.etype
        rec["legal_representative"] = s.rep
        rec["legal_rep_id_type"] = self.pick(ID_TYPES)
        rec["legal_rep_id_number"] = s.rep_id
        if s.cap is not None:
            rec["registered_capital"] = float(s.cap)
        rec["established_on"] = s.est
        if s.market:
            rec["operating_from"] = s.est
            rec["operating_to"] = FOREVER if r() < 0.7 else _add_years(s.est, 20 if r() < 0.5 else 30)
        rec["registration_authority"] = (
            self.authority("SCJG", s.district) if s.market else self.dept[s.reg_dept].name
        )
        rec["approved_on"] = approved
        rec["status"] = s.status
        rec["address"] = s.address
        rec["district_code"] = s.district
        rec["industry_code"] = s.industry.code
        rec["business_scope"] = s.scope
        if s.regno:
            rec["registration_number"] = s.regno
        rec["organization_code"] = s.org if r() < 0.8 else s.org[:8] + "-" + s.org[8]
        rec["phone"] = s.phone
        if not s.showcase and s.trigger is None and r() < 0.002:
            # renamed: the old name went out earlier, the new one is sent as a correction
            old = dict(rec)
            old["name"] = s.name.replace(
                s.name[len(s.name) // 3 : len(s.name) // 3 + 2], self.trade_name(), 1
            )
            st.emit(old)
            rec["updated_at"] = self.morning_stamp()
            self.emit_correction(s.reg_dept, "registration", rec)
            self.versions["updated"] += 1
            return
        self.emit(s, s.reg_dept, "registration", rec, benign=s.status != "revoked")

    def _licences(self, s: _Subject) -> None:
        """Licences the business scope calls for (post-licence catalogue), mostly granted; and others."""
        r = self.r
        for idx in self.scope_matches(s.scope):
            e = self.catalog[idx]
            if s.showcase or r() < 0.85:
                self._licence(
                    s,
                    e.department,
                    e.licence,
                    CATALOG_YEARS.get(e.licence, 5),
                    LICENCE_CATEGORY.get(e.licence, "ordinary"),
                )
        for dept, p in s.industry.extra:
            if s.showcase or r() < p:
                name, years, label = EXTRA_LICENCES[dept]
                self._licence(s, dept, name, years, LICENCE_CATEGORY.get(name, "approval"))

    def _licence(self, s: _Subject, dept: str, name: str, years: int, category: str) -> None:
        """The current licence and up to two expired ones before it (renewed every `years`)."""
        r = self.r
        T = self.T
        first = s.est + 3 + int(r() * 60)
        if first > T - 1:
            return
        revoked = s.revoked_licence_dept == dept and s.revoked_licence is None and s.tday is not None
        if revoked:
            first = min(first, s.tday - 1)
            if first < s.est:
                revoked = False
                first = s.est
        st = self.streams[dept]["license"]
        periods = []
        if years:
            period = years * 365
            end = s.tday if revoked else T
            k = max(0, (end - 1 - first) // period)
            start = first + k * period
            for back in range(min(k, 2), 0, -1):  # the expired licences before the current one
                if r() < 0.7:
                    periods.append(
                        (
                            start - back * period,
                            start - (back - 1) * period - 1,
                            "invalid" if r() < 0.6 else "cancelled",
                        )
                    )
            status = "valid"
            if s.status == "cancelled":
                status = "cancelled"
            periods.append((start, start + period - 1, status))
        else:
            periods.append(
                (first, FOREVER if r() < 0.5 else None, "valid" if s.status != "cancelled" else "cancelled")
            )
        for n, (start, end, status) in enumerate(periods):
            last = n == len(periods) - 1
            if last and revoked:
                status = "revoked"
            year = date.fromordinal(start).year
            seq = self.next_licence_no(name)
            number = licence_number(name, s.uscc, dept, year, seq)
            if last and revoked:
                s.revoked_licence = (name, number)
            rec = self.base(s, st, year, self.stamp_after(start))
            self.identify(s, rec, False)
            rec["subject_name"] = s.name
            rec["subject_category"] = s.category
            rec["legal_representative"] = s.rep
            rec["legal_rep_id_type"] = "居民身份证"
            rec["legal_rep_id_number"] = s.rep_id
            rec["decision_document_name"] = "准予行政许可决定书"
            rec["document_number"] = number if r() < 0.4 else self.doc_number(dept, year, "许")
            rec["license_category"] = category
            rec["certificate_name"] = name
            rec["license_number"] = number
            rec["content"] = LICENCE_CONTENT.get(name, name)
            rec["decided_on"] = start
            rec["valid_from"] = start
            if end is not None:
                rec["valid_to"] = end
            rec["authority"] = self.authority(dept, s.district)
            rec["authority_uscc"] = self.dept[dept].uscc
            rec["status"] = status
            rec["data_source"] = self.dept[dept].name
            rec["data_source_uscc"] = self.dept[dept].uscc
            self.emit(s, dept, "license", rec)

    def _annual_reports(self, s: _Subject) -> None:
        """One report a year, filed by 30 June of the next year; none from the year a listing says is missing."""
        if not s.market:
            return
        r = self.r
        T = self.T
        est_year = date.fromordinal(s.est).year
        last_year = self.as_of.year
        if s.quiet:
            last_year = min(last_year, date.fromordinal(s.tday).year)
        st = self.streams["SCJG"]["annual_report"]
        op = st.style.op
        individual = s.type == "individual_business"
        employees = 1 + int(r() * (6 if individual else 60))
        assets = float(s.cap or 5) * (0.5 + r() * 2)
        for y in range(max(est_year, FIRST_REPORT_YEAR, self.as_of.year - 12), last_year):
            if s.report_stop is not None and y >= s.report_stop:
                break
            opens, due = _filing_window(y + 1)
            if opens > T - 1:
                continue
            if s.abnormal_keep and s.abnormal_keep[0] == y:
                submitted = s.abnormal_keep[3]
            else:
                if due > T - 1 and r() > (T - opens) / (due - opens + 1):
                    continue
                submitted = opens + 60 + int((r() ** 0.5) * 120)
                submitted = min(submitted, due, T - 1)
            rec = {
                "record_id": st.next_id(y + 1),
                "op": op,
                "updated_at": self.stamp_after(submitted, 2),
                "uscc": s.uscc,
                "subject_name": s.name,
                "year": y,
                "submitted_on": submitted,
                "employees": max(1, employees + int((r() - 0.5) * 4)),
                "phone": s.phone,
            }
            if not individual and r() < 0.1:
                rec["website"] = f"www.{s.uscc[10:16].lower()}.com.cn"
            if not individual and r() < 0.3:
                rec["email"] = (
                    f"{s.uscc[8:14].lower()}@{self.pick(('163.com', 'qq.com', '126.com', 'sina.com'))}"
                )
            assets *= 0.9 + r() * 0.3
            rec["total_assets"] = round(assets, 2)
            rec["revenue"] = round(assets * (0.3 + r() * 1.5), 2)
            rec["assets_public"] = (not individual) and r() < 0.35
            self.emit(s, "SCJG", "annual_report", rec)

    def _inspections(self, s: _Subject) -> None:
        r = self.r
        T = self.T
        year_now = self.as_of.year
        depts = (["SCJG"] if s.market else []) + list(s.industry.inspect)
        for dept in depts:
            p = 0.25 if dept == "SCJG" else 0.3
            shown = not s.showcase  # a showcase subject is inspected by each of its departments
            for y in range(max(date.fromordinal(s.est).year, year_now - 5), year_now + 1):
                if r() >= p and (shown or y < year_now - 1):
                    continue
                shown = True
                lo = max(date(y, 1, 1).toordinal(), s.est + 20)
                hi = min(date(y, 12, 31).toordinal(), T - 1)
                if lo > hi:
                    continue
                day = lo + int(r() * (hi - lo + 1))
                x = r()
                if x < 0.88:
                    result = "no_problem"
                elif x < 0.94 or T - day < 400:
                    result = "no_activity" if dept == "SCJG" and r() < 0.5 else "no_problem"
                else:
                    result = "corrected"
                self._inspection(s, dept, day, result, benign=True)

    def _inspection(self, s: _Subject, dept: str, day: int, result: str, benign: bool) -> None:
        st = self.streams[dept]["inspection"]
        year = date.fromordinal(day).year
        rec = self.base(s, st, year, self.stamp_after(day, 10))
        self.identify(s, rec, True)
        rec["subject_name"] = s.name
        rec["inspected_on"] = day
        rec["authority"] = self.authority(dept, s.district)
        task, itype = INSPECTION_TASKS[dept]
        rec["inspection_type"] = itype
        rec["task_name"] = task.format(y=year, n=_cn_number(1 + int(self.r() * 4)))
        rec["result"] = result
        self.emit(s, dept, "inspection", rec, benign)

    def _complaints(self, s: _Subject) -> None:
        r = self.r
        if s.type in ("government_agency", "public_institution"):
            return
        mean = 1.4 if (s.industry.shops or s.type == "social_organization") else 0.5
        n = self.poisson(mean)
        for _ in range(n):
            day = self.day(s, 1, 1800, floor=10)
            if day is None:
                return
            failure = False
            if s.fail_budget > 0 and r() < 0.08 and day < self.T - 5:
                failure = True
                s.fail_budget -= 1
            self._complaint(s, day, failure, benign=True)

    def _complaint(
        self, s: _Subject, day: int, failure: bool, benign: bool, stamp: int | None = None
    ) -> dict:
        r = self.r
        T = self.T
        st = self.streams["SCJG"]["complaint"]
        closed = min(day + 3 + int(r() * 25), T - 1)
        rec = self.base(s, st, date.fromordinal(day).year, stamp or self.stamp_after(closed, 2))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        rec["received_on"] = day
        x = r()
        rec["channel"] = (
            "12315"
            if x < 0.6
            else ("12345" if x < 0.85 else ("online" if x < 0.95 else ("letter" if x < 0.98 else "visit")))
        )
        category = self.pick(s.industry.complaints)
        rec["category"] = category
        rec["summary"] = self.pick(COMPLAINT_TEXT[category])
        if failure:
            rec["handling_status"] = "closed"
            rec["mediation_result"] = "failure"
            rec["closed_on"] = max(closed, day)
        else:
            y = r()
            if y < 0.08 and T - day < 30:
                rec["handling_status"] = "accepted"
            elif y < 0.15:
                rec["handling_status"] = "rejected"
                rec["closed_on"] = max(closed, day)
            else:
                rec["handling_status"] = "closed"
                rec["mediation_result"] = "success" if r() < 0.75 else "none"
                rec["closed_on"] = max(closed, day)
        rec["complainant_name"] = self.person()
        rec["complainant_phone"] = self.mobile()
        self.emit(s, "SCJG", "complaint", rec, benign)
        return rec

    def poisson(self, mean: float) -> int:
        """A small Poisson count (Knuth), enough for per-subject record counts."""
        limit = math.exp(-mean)
        k = 0
        p = self.r()
        while p > limit:
            k += 1
            p *= self.r()
        return k

    # -- penalties
    def _penalty_dept(self, s: _Subject, restrictive: bool = False, heavy: bool = False) -> str:
        r = self.r
        if s.type == "social_organization" and r() < 0.7:
            return "MZJ"
        own = [d for d in s.industry.penal if "penalty" in self.dept[d].kinds]
        if restrictive:
            own = [d for d in own if d in RESTRICTIVE_BY_DEPT]
            if not own:
                return "MZJ" if s.type == "social_organization" else "SCJG"
            return own[int(r() * len(own))]
        if own and r() < 0.6:
            return own[int(r() * len(own))]
        dept = GENERAL_PENALTY_DEPTS[self.pick_cdf(self.pen_cdf)][0]
        if dept == "SCJG" and not s.market:
            dept = "SWJ"
        return dept

    def _benign_penalties(self, s: _Subject) -> None:
        r = self.r
        if s.showcase:  # every department that punishes this industry shows up in a small city
            for dept in s.industry.penal:
                day = self.day(s, 1, 2500, floor=20)
                if day is not None:
                    self._penalty(s, "warning", day, dept, benign=True)
        mean = 1.05 if s.market else 0.4
        for _ in range(self.poisson(mean)):
            x = r()
            if x < 0.4:
                day = self.day(s, 1, 2500, floor=20)
                mode = "warning"
            elif x < 0.87:
                day = self.day(s, 400, 2500, floor=20)
                mode = "light"
            else:
                day = self.day(s, 1200, 3000, floor=20)
                mode = "heavy"
            if day is not None:
                self._penalty(s, mode, day, self._penalty_dept(s), benign=True)

    def _penalty(
        self,
        s: _Subject,
        mode: str,
        day: int,
        dept: str,
        benign: bool,
        stamp: int | None = None,
        violation: tuple[str, str, str] | None = None,
    ) -> dict:
        r = self.r
        st = self.streams[dept]["penalty"]
        year = date.fromordinal(day).year
        rec = self.base(s, st, year, stamp or self.stamp_after(day, 7))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        rec["subject_category"] = s.category
        rec["legal_representative"] = s.rep
        rec["legal_rep_id_type"] = "身份证"
        rec["legal_rep_id_number"] = s.rep_id
        vtype, facts, basis = violation or self.pick(VIOLATIONS[dept])
        rec["violation_type"] = vtype
        rec["violation_facts"] = (
            facts if r() < 0.9 else f"经查，当事人{facts}。\n以上事实有现场检查笔录、询问笔录等证据证实。"
        )
        rec["legal_basis"] = basis
        fine = 0.0
        confiscated = 0.0
        simple = False
        cats: list[str]
        licence = None
        if mode == "warning":
            cats = ["warning"]
            simple = r() < 0.8
        elif mode == "light":
            x = r()
            if x < 0.35:
                simple = True
                fine = (
                    self.pick((0.005, 0.01, 0.02, 0.02, 0.05, 0.1, 0.2, 0.3))
                    if s.category == "legal_person"
                    else self.pick((0.005, 0.01, 0.02))
                )
                cats = ["fine"] if r() < 0.6 else ["warning", "fine"]
            elif x < 0.92:
                fine = self.pick((0.1, 0.2, 0.3, 0.5, 0.8, 1, 1.5, 2, 3, 5, 8, 9.5))
                cats = ["fine"] if r() < 0.8 else ["warning", "fine"]
            else:
                cats = ["circulated_criticism"] if r() < 0.5 else ["circulated_criticism", "fine"]
                if "fine" in cats:
                    fine = self.pick((0.2, 0.5, 1, 2))
        elif mode == "heavy":
            options = HEAVY_BY_DEPT.get(dept, ())
            if options and r() < 0.5:
                extra = options[int(r() * len(options))]
                cats = [extra]
                if extra.startswith("confiscate"):
                    confiscated = round(0.05 + r() * 20, 4)
                if r() < 0.7:
                    cats.append("fine")
                    fine = self.pick((0.5, 1, 2, 3, 5, 8))
                if extra in ("suspend_license", "lower_qualification"):
                    licence = self.pick(("许可证", "资质证书"))
            else:
                cats = ["fine"]
                fine = self.pick((10, 10, 12, 15, 20, 25, 30, 50, 80, 100, 150))
        elif mode == "revoke_business":
            cats = ["revoke_license"]
            licence = "营业执照"
        else:  # restrictive
            options = RESTRICTIVE_BY_DEPT.get(dept, ("revoke_license",))
            extra = options[int(r() * len(options))]
            cats = [extra]
            if r() < 0.6:
                cats.append("fine")
                fine = self.pick((1, 2, 5, 10, 20, 50))
            if extra == "revoke_license":
                licence = (
                    s.revoked_licence[0]
                    if s.revoked_licence
                    else ("营业执照" if dept == "SCJG" else "许可证")
                )
        rec["penalty_categories"] = cats
        content = []
        for c in cats:
            if c == "fine":
                content.append(f"罚款人民币{rmb_upper(round(fine * 10000))}")
            elif c in ("confiscate_illegal_gains", "confiscate_illegal_property"):
                content.append(
                    f"{_label('penalty_category', c)}人民币{rmb_upper(round(confiscated * 10000))}"
                )
            elif c == "revoke_license":
                content.append(f"吊销{licence}")
            elif c == "order_suspension":
                content.append(f"责令停产停业{self.pick(('一', '三', '六'))}个月")
            elif c == "restrict_practice":
                content.append(f"{self.pick(('五', '十'))}年内不得从事相关经营活动")
            else:
                content.append(_label("penalty_category", c))
        rec["penalty_content"] = "，".join(content)
        if fine:
            rec["fine_amount"] = fine
        if confiscated:
            rec["confiscation_amount"] = confiscated
        if licence:
            number = s.revoked_licence[1] if s.revoked_licence and licence == s.revoked_licence[0] else ""
            rec["suspended_or_revoked_license"] = f"{licence}（{number}）" if number else licence
        rec["document_number"] = self.doc_number(dept, year, "简罚" if simple else "处罚", s.district)
        rec["decided_on"] = day
        if cats != ["warning"]:
            rec["publish_until"] = _add_years(day, 1 if simple else 3)
        if "restrict_practice" in cats:
            rec["penalty_valid_to"] = _add_years(day, 5)
        elif "order_suspension" in cats or "suspend_license" in cats:
            rec["penalty_valid_to"] = day + 90
        elif "revoke_license" in cats and r() < 0.5:
            rec["penalty_valid_to"] = FOREVER
        rec["authority"] = self.authority(dept, s.district)
        rec["authority_uscc"] = self.dept[dept].uscc
        rec["procedure"] = "simple" if simple else "ordinary"
        rec["data_source"] = self.dept[dept].name
        rec["data_source_uscc"] = self.dept[dept].uscc
        self.emit(s, dept, "penalty", rec, benign)
        return rec

    # -- arrears, property, court, listings, honors
    def _arrears(self, s: _Subject) -> None:
        r = self.r
        if s.type == "government_agency":
            mean = 0.1
        elif s.type == "individual_business":
            mean = 0.65
        else:
            mean = 1.1
        for _ in range(self.poisson(mean)):
            x = r()
            atype, dept, _ = ARREARS_MIX[bisect.bisect_left(ARREARS_CDF, x)]
            if atype == "loan" and s.type in ("government_agency", "public_institution"):
                atype, dept = "utilities", "SDQ"
            since = self.day(s, 30, 2500, floor=30)
            if since is None:
                return
            settled = min(since + 10 + int(r() * 300), self.T - 1)
            self._arrear(s, dept, atype, since, settled, benign=True)

    def _arrear(
        self, s: _Subject, dept: str, atype: str, since: int, settled: int | None, benign: bool
    ) -> None:
        self.emit(s, dept, "arrears", self._arrear_rec(s, dept, atype, since, settled), benign)

    def _arrear_rec(self, s: _Subject, dept: str, atype: str, since: int, settled: int | None) -> dict:
        r = self.r
        T = self.T
        st = self.streams[dept]["arrears"]
        lo, hi = ARREARS_AMOUNT[atype]
        amount = round(lo * (hi / lo) ** r(), 2)
        if settled is not None:
            as_of = settled
        else:
            month_end = date.fromordinal(T - 1).replace(day=1).toordinal() - 1
            as_of = month_end if month_end >= since else T - 1
        rec = self.base(s, st, date.fromordinal(since).year, self.stamp_after(as_of, 3))
        rec["uscc"] = s.uscc if r() > 0.01 else s.uscc.lower()
        rec["subject_name"] = s.name
        rec["arrears_type"] = atype
        rec["amount"] = amount
        rec["since"] = since
        rec["as_of"] = as_of
        rec["creditor"] = self._creditor(dept, atype, s)
        if settled is not None:
            rec["settled_on"] = settled
        return rec

    def _creditor(self, dept: str, atype: str, s: _Subject) -> str:
        if atype == "tax":
            dname = self.district_names[s.district]
            return (
                f"国家税务总局{CITY}市{dname}税务局" if dname.endswith("区") else f"国家税务总局{dname}税务局"
            )
        if atype == "loan":
            return self.pick(BANKS)
        if atype == "utilities":
            return self.pick(UTILITIES)
        if atype == "wages":
            return f"{3 + int(self.r() * 60)}名职工"
        if atype == "social_security":
            return f"{CITY}市社会保险事业管理局"
        if atype == "medical_insurance":
            return f"{CITY}市医疗保障局"
        return self.dept[dept].name

    def _property(self, s: _Subject) -> None:
        r = self.r
        if s.type != "enterprise" and not (s.type == "farmer_cooperative" and r() < 0.2):
            return
        for _ in range(self.poisson(0.45)):
            x = r()
            rtype = "equity_pledge" if x < 0.5 else ("chattel_mortgage" if x < 0.9 else "equity_freeze")
            self._right(s, rtype)

    def _right(self, s: _Subject, rtype: str, day: int | None = None) -> None:
        r = self.r
        dept = "ZY" if rtype == "equity_freeze" else "SCJG"
        day = day or self.day(s, 1, 2500, floor=30)
        if day is None:
            return
        st = self.streams[dept]["property_right"]
        year = date.fromordinal(day).year
        released = None
        x = r()
        status = "valid"
        if x < 0.35 and day < self.T - 30:
            status = "released"
            released = min(day + 30 + int(r() * 700), self.T - 1)
        elif x < 0.42:
            status = "invalid"
        rec = self.base(s, st, year, self.stamp_after(released or day, 5))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["right_type"] = rtype
        if rtype == "equity_freeze":
            court, prefix = self.pick(COURTS)
            rec["registration_no"] = self.case_number(prefix, year, "执")
            rec["counterparty"] = court
        elif rtype == "equity_pledge":
            rec["registration_no"] = f"{s.uscc[2:8]}{year}{self.next_licence_no('equity_pledge'):07d}"
            rec["counterparty"] = self.pick(BANKS) if r() < 0.6 else self.person()
        else:
            rec["registration_no"] = f"{s.uscc[2:8]}{year}{self.next_licence_no('mortgage'):06d}"
            rec["counterparty"] = self.pick(BANKS)
        rec["amount"] = round(10 * (100 ** r()), 2)
        rec["registered_on"] = day
        rec["status"] = status
        if released:
            rec["released_on"] = released
        self.emit(s, dept, "property_right", rec)

    def case_number(self, prefix: str, year: int, kind: str) -> str:
        key = (prefix + kind, year)
        n = self.seqs[key] = self.seqs.get(key, self.seq_base) + 1
        if prefix == "赣01" and kind == "民初":
            kind = self.pick(("民初", "民终"))
        return f"（{year}）{prefix}{kind}{n}号" if self.r() < 0.6 else f"({year}){prefix}{kind}{n}号"

    def _court(self, s: _Subject) -> None:
        mean = {"enterprise": 0.6, "individual_business": 0.15, "farmer_cooperative": 0.2}.get(s.type, 0.1)
        for _ in range(self.poisson(mean)):
            day = self.day(s, 1, 2500, floor=60)
            if day is None:
                return
            x = self.r()
            role = "plaintiff" if x < 0.45 else ("defendant" if x < 0.93 else "third_party")
            refuses = False if role == "defendant" and self.r() < 0.6 else None
            self._judgment(s, day, role, refuses=refuses, benign=True)

    def _judgment(self, s: _Subject, day: int, role: str, refuses: bool | None, benign: bool) -> dict:
        r = self.r
        st = self.streams["ZY"]["court_judgment"]
        year = date.fromordinal(day).year
        court, prefix = COURTS[0] if r() < 0.2 else self.pick(COURTS[1:])
        rec = self.base(s, st, year, self.stamp_after(day, 10))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        kind = "行初" if s.type == "government_agency" else ("执" if role == "respondent" else "民初")
        rec["case_number"] = self.case_number(prefix, year, kind)
        rec["court"] = court
        cause = "行政管理纠纷" if kind == "行初" else self.pick(CAUSES)
        rec["cause"] = cause
        rec["party_role"] = role
        rec["judged_on"] = day
        amount = round(1 + 300 * r() ** 3, 2)
        rec["amount"] = amount
        if role == "plaintiff":
            rec["result_summary"] = f"被告于判决生效之日起十日内支付原告{_amount_text(amount)}万元"
        elif role in ("defendant", "respondent"):
            rec["result_summary"] = (
                f"{s.name}于判决生效之日起十日内支付原告{_amount_text(amount)}万元"
                if r() < 0.7
                else "驳回原告的诉讼请求"
            )
        else:
            rec["result_summary"] = "驳回原告的诉讼请求"
        if refuses is not None:
            rec["refuses_to_perform"] = refuses
        self.emit(s, "ZY", "court_judgment", rec, benign)
        return rec

    def _dishonest(self, s: _Subject, day: int, removed: int | None, benign: bool) -> None:
        r = self.r
        st = self.streams["ZY"]["dishonest_debtor"]
        year = date.fromordinal(day).year
        court, prefix = self.pick(COURTS)
        basis_day = max(s.est + 1, day - 60 - int(r() * 400))
        basis_year = date.fromordinal(basis_day).year
        rec = self.base(s, st, year, self.stamp_after(removed or day, 3))
        self.identify(s, rec, False)
        rec["subject_name"] = s.name
        rec["legal_representative"] = s.rep
        rec["case_number"] = self.case_number(prefix, year, "执")
        rec["court"] = court
        rec["basis_document"] = self.case_number(prefix, basis_year, "民初")
        rec["obligation"] = (
            f"支付{self.pick(('货款', '借款', '工程款', '租金', '劳动报酬'))}人民币{1 + int(r() * 300)}万元及利息"
        )
        rec["performance"] = "none" if r() < 0.7 else "partial"
        rec["dishonest_behavior"] = self.pick(
            (
                "有履行能力而拒不履行生效法律文书确定义务",
                "违反财产报告制度",
                "违反限制消费令",
                "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            )
        )
        rec["published_on"] = day
        if removed is not None:
            rec["removed_on"] = removed
        self.emit(s, "ZY", "dishonest_debtor", rec, benign)

    def _abnormal(self, s: _Subject, listed: int, reason: str, removed: int | None, benign: bool) -> None:
        r = self.r
        st = self.streams["SCJG"]["abnormal_listing"]
        year = date.fromordinal(listed).year
        rec = self.base(s, st, year, self.stamp_after(removed or listed, 3))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["listed_on"] = listed
        rec["listing_reason"] = reason
        authority = self.authority("SCJG", s.district)
        rec["listing_authority"] = authority
        rec["listing_document_number"] = self.doc_number("SCJG", year, "异列")
        if removed is not None:
            rec["removed_on"] = removed
            rec["removal_reason"] = (
                "补报未报年份的年度报告并公示"
                if reason == "no_annual_report"
                else "依法办理住所变更登记，恢复正常记载状态"
            )
            if r() < 0.8:
                rec["removal_authority"] = authority
        self.emit(s, "SCJG", "abnormal_listing", rec, benign)

    def _serious(self, s: _Subject, listed: int, reason: str, removed: int | None, benign: bool) -> None:
        st = self.streams["SCJG"]["serious_violation"]
        year = date.fromordinal(listed).year
        rec = self.base(s, st, year, self.stamp_after(removed or listed, 3))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["listed_on"] = listed
        rec["listing_reason"] = reason
        rec["authority"] = self.authority("SCJG", s.district)
        rec["document_number"] = self.doc_number("SCJG", year, "严列")
        if removed is not None:
            rec["removed_on"] = removed
            rec["removal_reason"] = "信用修复申请经审核同意"
        self.emit(s, "SCJG", "serious_violation", rec, benign)

    def _benign_listings(self, s: _Subject) -> None:
        r = self.r
        if s.abnormal_keep:
            _, listed, removed, _ = s.abnormal_keep
            self._abnormal(s, listed, "no_annual_report", removed, benign=True)
        if s.market and r() < 0.004 and s.trigger != "abnormal_listing":
            listed = self.day(s, 200, 1500, floor=90)
            if listed:
                self._abnormal(
                    s, listed, "unreachable", min(listed + 30 + int(r() * 150), self.T - 1), benign=True
                )
        if r() < 0.006:
            day = self.day(s, 120, 2500, floor=200)
            if day:
                self._dishonest(s, day, min(day + 60 + int(r() * 500), self.T - 1), benign=True)
        if s.market and r() < 0.0015:
            day = self.day(s, 400, 2500, floor=200)
            if day:
                self._serious(
                    s, day, self.pick(SERIOUS_REASONS), min(day + 365 + int(r() * 400), self.T - 1), True
                )

    def _honors(self, s: _Subject) -> None:
        r = self.r
        if s.colour != "green" or s.type not in ("enterprise", "farmer_cooperative", "individual_business"):
            return
        p = {"enterprise": 0.12, "farmer_cooperative": 0.08}.get(s.type, 0.02)
        if r() >= p and not s.showcase:
            return
        code = s.industry.code
        if s.showcase:
            dept = (
                "ZJJ" if code[0] in "EK" else ("GXJ" if code[0] in "CI" else ("SCJG", "SWJ", "FGW")[s.i % 3])
            )
        elif code[0] in "EK":
            dept = "ZJJ" if r() < 0.6 else "SWJ"
        elif code[0] in "CI" and r() < 0.4:
            dept = "GXJ"
        else:
            x = r()
            dept = "SCJG" if x < 0.45 else ("SWJ" if x < 0.85 else "FGW")
        if s.type == "individual_business":
            dept = "SCJG"
        name, years = self.pick(HONORS[dept])
        if s.type == "individual_business":
            name = "南昌市放心消费示范单位"
        day = self.day(s, 10, 1500, floor=365)
        if day is None:
            return
        if dept == "SWJ":  # A-level taxpayers are announced in April for the year before
            y = date.fromordinal(day).year
            day = min(date(y, 4, 15 + int(r() * 10)).toordinal(), self.T - 1)
            if day <= s.est + 365:
                return
        st = self.streams[dept]["honor"]
        rec = self.base(s, st, date.fromordinal(day).year, self.stamp_after(day, 5))
        rec["uscc"] = s.uscc
        rec["subject_name"] = s.name
        rec["honor_name"] = name
        rec["awarded_on"] = day
        rec["authority"] = self.dept[dept].name
        if years:
            rec["valid_to"] = date(date.fromordinal(day).year + years, 12, 31).toordinal()
        elif r() < 0.5:
            rec["valid_to"] = FOREVER
        if r() < 0.03 and day < self.T - 60:
            rec["revoked_on"] = min(day + 30 + int(r() * 300), self.T - 1)
        self.emit(s, dept, "honor", rec)

    # -- triggers (non-benign: never made bad, so the colour is exactly the target)
    def _t_serious_violation(self, s: _Subject) -> None:
        if s.from_abnormal:
            self._abnormal(s, s.from_abnormal, "no_annual_report", None, benign=False)
            reason = SERIOUS_FROM_ABNORMAL
        else:
            reason = self.pick(SERIOUS_REASONS)
        self._serious(s, s.tday, reason, None, benign=False)

    def _t_dishonest_debtor(self, s: _Subject) -> None:
        day = self.day(s, 15, 1400, floor=90) or self.day(s, 1, 1400, floor=1)
        judged = max(s.est + 1, day - 60 - int(self.r() * 300))
        self._judgment(s, judged, "defendant", None, benign=True)
        self._dishonest(s, day, None, benign=False)
        if s.type == "enterprise" and self.r() < 0.3:
            self._right(s, "equity_freeze", min(day + 10, self.T - 1))

    def _t_court_refusal(self, s: _Subject) -> None:
        day = self.day(s, 60, 1000, floor=30) or self.day(s, 15, 1000, floor=1)
        self._judgment(s, day, "defendant" if self.r() < 0.7 else "respondent", True, benign=False)

    def _t_restrictive_penalty(self, s: _Subject) -> None:
        self._penalty(s, "restrict", s.tday, s.tdept, benign=False)

    def _t_revoked_registration(self, s: _Subject) -> None:
        violation = (
            "登记管理",
            "无正当理由超过六个月未开业或者开业后自行停业连续六个月以上",
            "《中华人民共和国市场主体登记管理条例》第四十六条",
        )
        s.revoked_licence = None
        self._penalty(s, "revoke_business", s.tday, "SCJG", benign=False, violation=violation)

    def _t_abnormal_listing(self, s: _Subject) -> None:
        self._abnormal(s, s.tday, s.from_abnormal, None, benign=False)

    def _t_heavy_penalty(self, s: _Subject) -> None:
        day = self.day(s, 15, 1000, floor=20)
        self._penalty(s, "heavy", day, self._penalty_dept(s), benign=False)

    def _t_bad_inspection(self, s: _Subject) -> None:
        day = self.day(s, 15, 330, floor=20)
        if s.market:
            dept, result = "SCJG", self.pick(("false_disclosure", "unreachable", "unreachable", "refused"))
        else:
            dept, result = "XF", "refused"
        self._inspection(s, dept, day, result, benign=False)

    def _t_long_arrears(self, s: _Subject) -> None:
        since = self.day(s, 220, 1000, floor=10)
        atype, dept = ("tax", "SWJ") if self.r() < 0.6 else ("wages", "RSJ")
        self._arrear(s, dept, atype, since, None, benign=False)

    def _t_penalty(self, s: _Subject) -> None:
        day = self.day(s, 15, 330, floor=10)
        self._penalty(s, "light", day, self._penalty_dept(s), benign=False)

    def _t_arrears(self, s: _Subject) -> None:
        atype, dept, _ = ARREARS_MIX[bisect.bisect_left(ARREARS_CDF, self.r())]
        if atype in ("tax", "wages"):
            since = self.day(s, 20, 150, floor=10)
        else:
            since = self.day(s, 15, 900, floor=10)
        self._arrear(s, dept, atype, since, None, benign=False)

    def _t_inspection(self, s: _Subject) -> None:
        day = self.day(s, 15, 330, floor=10)
        if s.market:
            self._inspection(s, "SCJG", day, "corrected" if self.r() < 0.6 else "undisclosed", benign=False)
        else:
            self._inspection(s, "XF", day, "corrected", benign=False)

    def _t_complaints(self, s: _Subject) -> None:
        for _ in range(3):
            day = self.day(s, 20, 300, floor=5)
            self._complaint(s, day, True, benign=False)

    # -- versions: updates, stale resends, withdrawals (few, counted, never made bad)
    def _versions(self, s: _Subject) -> None:
        r = self.r
        T = self.T
        x = r()
        if x < 0.004 and s.est < T - 90:  # sent outstanding, then settled: the newer version wins
            since = self.day(s, 40, 600, floor=10)
            rec = self._arrear_rec(s, "SDQ", "utilities", since, None)
            newer = dict(rec)
            settled = max(since, T - 1 - int(r() * 10))
            newer["settled_on"] = settled
            newer["as_of"] = settled
            newer["updated_at"] = self.morning_stamp()
            self.emit(s, "SDQ", "arrears", rec, benign=False)
            self.emit_correction("SDQ", "arrears", newer)
            self.versions["updated"] += 1
        elif x < 0.006 and s.est < T - 90:  # settled; an older outstanding version is resent later (stale)
            since = self.day(s, 60, 900, floor=10)
            settled = min(since + 30 + int(r() * 200), T - 1)
            rec = self._arrear_rec(s, "SDQ", "utilities", since, settled)
            older = dict(rec)
            del older["settled_on"]
            older["as_of"] = max(since, settled - 5 - int(r() * 20))
            older["updated_at"] = older["as_of"] * 86400 + 30000
            self.emit(s, "SDQ", "arrears", rec, benign=False)
            self.emit_correction("SDQ", "arrears", older)
            self.versions["stale_resent"] += 1
        elif x < 0.008 and s.est < T - 60:  # a penalty withdrawn later (decision revoked)
            day = self.day(s, 15, 300, floor=10)
            dept = self._penalty_dept(s)
            rec = self._penalty(s, "light", day, dept, benign=False)
            if r() < 0.5:
                withdrawal = dict(rec)  # the whole record again, marked withdrawn
            else:
                withdrawal = {
                    k: rec[k]
                    for k in ("record_id", "uscc", "organization_code", "registration_number", "subject_name")
                    if k in rec
                }
            withdrawal["record_id"] = rec["record_id"]
            withdrawal["op"] = self.pick(("delete", "delete", "删除", "撤回"))
            withdrawal["updated_at"] = self.morning_stamp()
            self.emit_correction(dept, "penalty", withdrawal)
            self.versions["deleted"] += 1


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


# --------------------------------------------------------------------------- the city


_WORKER: tuple[_Setup, bool] | None = None


def _init_worker(setup: _Setup, collect: bool) -> None:
    global _WORKER
    _WORKER = (setup, collect)


def _run_block(index: int, lo: int, hi: int) -> dict:
    setup, collect = _WORKER
    return _Block(setup, index, collect).run(lo, hi)


class CityGenerator:
    """Generates one city into `out`; `run()` writes the files and returns the summary.

    Subjects are generated in blocks of `BLOCK_SUBJECTS` (in worker processes when `workers` > 1)
    and their lines written in block order, so the files are the same for any number of workers
    and memory stays bounded by a few blocks.
    """

    def __init__(
        self,
        out: Path | str,
        subjects: int,
        seed: int,
        as_of: date | None = None,
        max_records_per_file: int = DEFAULT_MAX_RECORDS_PER_FILE,
        observer: CityObserver | None = None,
        workers: int = 1,
    ):
        if not 0 < subjects <= MAX_SUBJECTS:
            raise ValueError(f"subjects must be between 1 and {MAX_SUBJECTS}")
        if max_records_per_file < 1:
            raise ValueError("max_records_per_file must be positive")
        self.out = Path(out)
        self.setup = _Setup(subjects, seed, as_of or date.today())
        self.max_per_file = max_records_per_file
        self.observer = observer
        self.workers = max(1, workers)
        self.files: list[dict] = []
        self.writers = {
            key: {
                role: _FileWriter(self.out, spec, role, max_records_per_file, self._file_done)
                for role in ("main", "corrections")
            }
            for key, spec in self.setup.specs.items()
        }
        self.totals: dict = {
            "counts": {d.code: dict.fromkeys(d.kinds, 0) for d in self.setup.departments},
            "bad": {reason: 0 for reason, _ in _BAD_REASONS},
            "versions": {},
            "types": {},
            "statuses": {},
            "colours": dict.fromkeys(COLOURS, 0),
            "triggers": {},
            "identified_by": {},
        }

    def run(self) -> dict:
        """Generate every block, close the files, resend one file, and return the summary."""
        self.out.mkdir(parents=True, exist_ok=True)
        n = self.setup.n
        blocks = [(b, lo, min(lo + BLOCK_SUBJECTS, n)) for b, lo in enumerate(range(0, n, BLOCK_SUBJECTS))]
        for result in self._results(blocks):
            self._consume(result)
        for roles in self.writers.values():
            roles["main"].close(always=True)
            roles["corrections"].close()
        return self._summary(self._resend_one_file())

    def _results(self, blocks: list[tuple[int, int, int]]) -> Iterator[dict]:
        collect = self.observer is not None
        if self.workers == 1 or len(blocks) == 1:
            for index, lo, hi in blocks:
                yield _Block(self.setup, index, collect).run(lo, hi)
            return
        context = multiprocessing.get_context("fork")
        with context.Pool(self.workers, initializer=_init_worker, initargs=(self.setup, collect)) as pool:
            pending: deque = deque()
            todo = iter(blocks)
            for args in islice(todo, 2 * self.workers):  # a bounded window keeps memory flat
                pending.append(pool.apply_async(_run_block, args))
            while pending:
                result = pending.popleft().get()
                args = next(todo, None)
                if args is not None:
                    pending.append(pool.apply_async(_run_block, args))
                yield result

    def _consume(self, result: dict) -> None:
        for key, (main, corrections) in result["lines"].items():
            if main:
                self.writers[key]["main"].write_lines(main)
            if corrections:
                self.writers[key]["corrections"].write_lines(corrections)
        totals = self.totals
        for code, kinds in result["counts"].items():
            for kind, v in kinds.items():
                totals["counts"][code][kind] += v
        for name in ("bad", "versions", "types", "statuses", "colours", "triggers", "identified_by"):
            for k, v in result[name].items():
                totals[name][k] = totals[name].get(k, 0) + v
        if self.observer is not None:
            for info in result["subjects"]:
                self.observer.subject(info)
            for bad in result["bad_records"]:
                self.observer.bad_record(*bad)

    def _file_done(self, writer: _FileWriter, path: Path, records: int) -> None:
        st = writer.spec.style
        self.files.append(
            {
                "path": path.relative_to(self.out).as_posix(),
                "department": writer.spec.dept.code,
                "kind": writer.spec.kind,
                "role": writer.role,
                "records": records,
                "format": st.format,
                "encoding": st.encoding,
                "header": st.header if st.format == "csv" else ("code" if st.header == "code" else "key"),
                "gzip": st.gzip,
                "bytes": path.stat().st_size,
            }
        )

    def _resend_one_file(self) -> int:
        """Departments sometimes drop the same file again: copy one small file under a later name."""
        candidates = [f for f in self.files if f["role"] == "main" and f["records"] > 0]
        if not candidates:
            return 0
        chosen = min(candidates, key=lambda f: (f["records"], f["path"]))
        src = self.out / chosen["path"]
        spec = self.setup.specs[chosen["department"], chosen["kind"]]
        ext = src.name[src.name.index(".") :]
        target = src.with_name(
            f"{chosen['kind']}_{spec.corrections_stamp[:8]}07{spec.stamp[10:]}_resent{ext}"
        )
        shutil.copyfile(src, target)
        self.files.append({**chosen, "path": target.relative_to(self.out).as_posix(), "role": "resent"})
        return chosen["records"]

    def _summary(self, resent_records: int) -> dict:
        setup = self.setup
        n = setup.n
        totals = self.totals
        by_kind: dict[str, int] = {}
        for kinds in totals["counts"].values():
            for k, v in kinds.items():
                by_kind[k] = by_kind.get(k, 0) + v
        written = sum(by_kind.values())
        total = written + resent_records
        bad = sum(totals["bad"].values())
        files = self.files

        def tally(key: str) -> dict:
            out: dict = {}
            for f in files:
                out[str(f[key])] = out.get(str(f[key]), 0) + 1
            return dict(sorted(out.items()))

        roles: dict[str, int] = {}
        for f in files:
            roles[f["role"]] = roles.get(f["role"], 0) + f["records"]
        colours = totals["colours"]
        return {
            "subjects": n,
            "seed": setup.seed,
            "as_of": setup.as_of.isoformat(),
            "max_records_per_file": self.max_per_file,
            "records": total,
            "records_per_subject": round(total / n, 2),
            "records_by_role": roles,
            "files": len(files),
            "bytes": sum(f["bytes"] for f in files),
            "target_colours": colours,
            "target_colour_share": {c: round(v / n, 4) for c, v in colours.items()},
            "jiangxi_2020_mix": {"green": round(1 - _YELLOW_TO, 4), **COLOUR_MIX},
            "triggers": dict(sorted(totals["triggers"].items())),
            "subject_types": dict(sorted(totals["types"].items())),
            "statuses": dict(sorted(totals["statuses"].items())),
            "by_department": totals["counts"],
            "by_kind": dict(sorted(by_kind.items())),
            "files_by_format": tally("format"),
            "files_by_encoding": tally("encoding"),
            "files_by_header": tally("header"),
            "gzipped_files": sum(1 for f in files if f["gzip"]),
            "bad_records": bad,
            "bad_share": round(bad / max(1, written), 5),
            "bad_by_reason": totals["bad"],
            "versions": totals["versions"],
            "resent_files": 1 if resent_records else 0,
            "resent_records": resent_records,
            "identified_by": totals["identified_by"],
            "file_list": files,
        }


def generate_city(
    out: Path | str,
    subjects: int,
    seed: int,
    as_of: date | None = None,
    max_records_per_file: int = DEFAULT_MAX_RECORDS_PER_FILE,
    observer: CityObserver | None = None,
    workers: int = 1,
) -> dict:
    """Write a demo city into `out` (the inbox layout) and return its summary."""
    return CityGenerator(out, subjects, seed, as_of, max_records_per_file, observer, workers).run()
