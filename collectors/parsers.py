"""Readers for the three file formats of the feed contract (§2), streaming and format-only.

A reader turns bytes into `Item`s: the record's fields under their canonical keys, the raw
record as received, and its position; or a malformed item that goes to quarantine. It
never decides what a value means (that is `normalize.py`). A file that cannot be read at
all raises `UnreadableFile`, and the whole file is rejected.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

import orjson

from warning_system.registry import contract

FILE_NAME = re.compile(
    r"^(?P<kind>[a-z_]+)_(?P<stamp>\d{14})(?:_[^/]*)?\.(?P<format>csv|jsonl|xml)(?P<gz>\.gz)?$"
)
SNIFF_BYTES = 1 << 20
csv.field_size_limit(16 * 1024 * 1024)


class UnreadableFile(Exception):
    """The file as a whole cannot be read; it is rejected with this message."""


@dataclass
class Item:
    position: int  # 1-based record number in the file or batch
    line: int | None
    fields: dict | None  # canonical key -> value as written; None when malformed
    raw: dict  # the record as received (original keys), or {"text": ...} when malformed
    error: str | None = None


@dataclass(frozen=True)
class FeedFileName:
    kind: str
    stamp: str
    format: str
    gzipped: bool


def is_temporary(name: str) -> bool:
    """Departments write under a temporary name, then rename (docs/feeds.md §1)."""
    return name.startswith(".") or name.endswith(".part")


def parse_file_name(name: str) -> FeedFileName | None:
    m = FILE_NAME.match(name)
    if not m:
        return None
    return FeedFileName(m["kind"], m["stamp"], m["format"], bool(m["gz"]))


def header_key(cell: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell.strip().lstrip("\ufeff")))


@lru_cache(maxsize=32)
def header_lookup(kind_key: str) -> dict[str, str]:
    """Header spelling (canonical key, 双公示 code or Chinese label) -> canonical key."""
    lookup: dict[str, str] = {}
    for f in contract.KINDS[kind_key].fields:
        for spelling in (f.key, *f.aliases):
            lookup.setdefault(header_key(spelling), f.key)
            lookup.setdefault(header_key(spelling).lower(), f.key)
    return lookup


_AMBIGUOUS = object()


@dataclass
class HeaderMap:
    kind: str
    ignored: list[str] = field(default_factory=list)
    _cache: dict[str, str | None] = field(default_factory=dict)
    _layouts: dict[tuple, object] = field(default_factory=dict)

    def canonical(self, spelling: str) -> str | None:
        try:
            return self._cache[spelling]
        except KeyError:
            pass
        lookup = header_lookup(self.kind)
        key = header_key(spelling)
        canonical = lookup.get(key) or lookup.get(key.lower())
        self._cache[spelling] = canonical
        if canonical is None and spelling not in self.ignored:
            self.ignored.append(spelling)
        return canonical

    def map(self, raw: dict) -> dict:
        """Canonical keys for one record; records of a file share a layout, so its mapping is cached."""
        layout = tuple(raw)
        pairs = self._layouts.get(layout)
        if pairs is None:
            pairs = self._layouts[layout] = self._pairs(layout)
        if pairs is _AMBIGUOUS:
            return self._map_slow(raw)
        return {key: raw[spelling] for spelling, key in pairs}

    def _pairs(self, layout: tuple):
        keys = [self.canonical(spelling) for spelling in layout]
        known = [k for k in keys if k is not None]
        if len(known) != len(set(known)):
            return _AMBIGUOUS  # two spellings of one field: keep the first non-empty value
        return tuple((spelling, key) for spelling, key in zip(layout, keys, strict=True) if key is not None)

    def _map_slow(self, raw: dict) -> dict:
        out = {}
        for spelling, value in raw.items():
            key = self.canonical(spelling)
            if key is not None and (key not in out or out[key] in (None, "")):
                out[key] = value
        return out


def open_binary(path: Path, gzipped: bool) -> BinaryIO:
    return gzip.open(path, "rb") if gzipped else open(path, "rb")  # noqa: SIM115


def sniff_text_encoding(head: bytes) -> str:
    """UTF-8 (BOM or not) or GB18030: the encoding of a CSV is not declared (docs/feeds.md §2)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


class CsvReader:
    def __init__(self, stream: BinaryIO, kind: str, header_map: HeaderMap):
        self.stream = stream
        self.kind = kind
        self.header_map = header_map

    def __iter__(self) -> Iterator[Item]:
        buffered = io.BufferedReader(self.stream, buffer_size=SNIFF_BYTES)
        encoding = sniff_text_encoding(buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES])
        text = io.TextIOWrapper(buffered, encoding=encoding, newline="")
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as exc:
            raise UnreadableFile(f"CSV 表头无法读取：{exc}") from exc
        header = [cell.lstrip("\ufeff") for cell in header]
        keys = [self.header_map.canonical(cell) for cell in header]
        if not any(keys):
            raise UnreadableFile(f"CSV 表头中没有可识别的字段：{','.join(header)[:200]}")
        position = 0
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                position += 1
                raw = dict(zip(header, row, strict=False))
                if len(row) > len(header):
                    raw["__extra__"] = row[len(header) :]
                    yield Item(
                        position,
                        reader.line_num,
                        None,
                        raw,
                        f"本行有 {len(row)} 列，表头只有 {len(header)} 列",
                    )
                    continue
                fields = {}
                for key, value in zip(keys, row, strict=False):
                    if key is not None and (key not in fields or not fields[key]):
                        fields[key] = value
                yield Item(position, reader.line_num, fields, raw)
        except UnicodeDecodeError as exc:
            raise UnreadableFile(
                f"第 {reader.line_num + 1} 行附近无法按 {encoding} 解码：{exc.reason}"
            ) from exc
        except csv.Error as exc:
            raise UnreadableFile(f"第 {reader.line_num} 行 CSV 格式错误：{exc}") from exc


class JsonLinesReader:
    def __init__(self, stream: BinaryIO, kind: str, header_map: HeaderMap):
        self.stream = stream
        self.header_map = header_map

    def __iter__(self) -> Iterator[Item]:
        position = 0
        for line_number, line in enumerate(self.stream, start=1):
            if not line.strip():
                continue
            position += 1
            if line_number == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            # orjson rejects invalid UTF-8 itself: such a line is quarantined as malformed.
            yield json_item(line, position, line_number, self.header_map)


def json_item(text: str | bytes, position: int, line: int | None, header_map: HeaderMap) -> Item:
    try:
        record = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return Item(position, line, None, {"text": text.rstrip("\r\n")[:100_000]}, f"不是有效的 JSON：{exc}")
    return record_item(record, position, line, header_map)


def record_item(record, position: int, line: int | None, header_map: HeaderMap) -> Item:
    if not isinstance(record, dict):
        return Item(position, line, None, {"value": record}, "记录应为 JSON 对象")
    return Item(position, line, header_map.map(record), record)


class _TranscodedXml(io.RawIOBase):
    """Re-encodes an XML stream declared in another encoding as UTF-8 for expat.

    expat reads only UTF-8/UTF-16/Latin-1 itself; GB18030 files are decoded here and
    their declaration rewritten, so that the parser still streams.
    """

    def __init__(self, stream: BinaryIO, encoding: str):
        self.text = io.TextIOWrapper(stream, encoding=encoding)
        self.pending = b""
        self.first = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while len(self.pending) < len(buffer):
            chunk = self.text.read(65536)
            if not chunk:
                break
            if self.first:
                chunk = re.sub(
                    r"""(<\?xml[^>]*?encoding\s*=\s*)["'][^"']+["']""", r'\1"UTF-8"', chunk, count=1
                )
                self.first = False
            self.pending += chunk.encode("utf-8")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")


PROLOG_LIMIT = 65536


def refuse_dtd(head: bytes) -> None:
    """Refuse any declaration (<!DOCTYPE, <!ENTITY …) in the prolog of an XML document.

    The prolog is the only place a DTD may stand; expat rejects one after the root element
    starts. No entity can be declared without a DTD, so entity expansion and external
    entities are impossible (docs/feeds.md §2: a department never sends a DTD or an entity declaration).
    """
    position = 0
    text = head.lstrip(codecs.BOM_UTF8)
    while True:
        while position < len(text) and text[position : position + 1].isspace():
            position += 1
        rest = text[position:]
        if rest.startswith(b"<?"):
            terminator = b"?>"
        elif rest.startswith(b"<!--"):
            terminator = b"-->"
        elif rest.startswith(b"<!"):
            raise UnreadableFile("XML 含有 DTD 或实体声明（<!DOCTYPE/<!ENTITY），拒收")
        else:
            if not rest and len(head) >= PROLOG_LIMIT:
                raise UnreadableFile(f"XML 文档头超过 {PROLOG_LIMIT} 字节，拒收")
            return
        end = rest.find(terminator)
        if end < 0:
            if len(head) >= PROLOG_LIMIT:
                raise UnreadableFile(f"XML 文档头超过 {PROLOG_LIMIT} 字节，拒收")
            return  # truncated document: the parser reports it
        position += end + len(terminator)


class XmlReader:
    def __init__(self, stream: BinaryIO, kind: str, header_map: HeaderMap):
        self.stream = stream
        self.kind = kind
        self.header_map = header_map

    def __iter__(self) -> Iterator[Item]:
        buffered = io.BufferedReader(self.stream, buffer_size=PROLOG_LIMIT)
        head = buffered.peek(512)[:512].lstrip(codecs.BOM_UTF8)
        declared = _XML_DECLARATION.match(head)
        encoding = declared[1].decode().lower() if declared else "utf-8"
        source: BinaryIO = buffered
        if encoding.replace("-", "").replace("_", "") not in ("utf8", "usascii", "ascii"):
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise UnreadableFile(f"XML 声明的编码“{encoding}”不受支持") from None
            source = io.BufferedReader(_TranscodedXml(buffered, encoding), buffer_size=PROLOG_LIMIT)
        refuse_dtd(source.peek(PROLOG_LIMIT)[:PROLOG_LIMIT])
        position = 0
        depth = 0
        root = None
        try:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = element
                        if element.tag != "records":
                            raise UnreadableFile(f"XML 根元素应为 <records>，实为 <{element.tag}>")
                        declared_kind = element.get("kind")
                        if declared_kind and declared_kind != self.kind:
                            raise UnreadableFile(
                                f"XML 声明的数据类型 {declared_kind} 与文件名 {self.kind} 不符"
                            )
                    continue
                depth -= 1
                if depth == 1:
                    position += 1
                    if element.tag != "record":
                        yield Item(
                            position, None, None, {"tag": element.tag}, f"应为 <record>，实为 <{element.tag}>"
                        )
                    else:
                        raw = {child.tag: (child.text or "") for child in element}
                        yield Item(position, None, self.header_map.map(raw), raw)
                    root.clear()
        except ParseError as exc:
            raise UnreadableFile(f"XML 格式错误：{exc}") from exc
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"XML 无法按 {encoding} 解码：{exc.reason}") from exc


READERS = {"csv": CsvReader, "jsonl": JsonLinesReader, "xml": XmlReader}


def read_items(stream: BinaryIO, file_format: str, kind: str, header_map: HeaderMap) -> Iterator[Item]:
    return iter(READERS[file_format](stream, kind, header_map))


class BadBody(Exception):
    """A pushed body that is not JSON (HTTP 400)."""


def parse_push_body(body: bytes, content_type: str, kind: str) -> tuple[list[Item], HeaderMap]:
    """A pushed batch: a JSON array, or JSON Lines (docs/feeds.md §1, push)."""
    header_map = HeaderMap(kind)
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadBody(f"请求体不是 UTF-8：{exc.reason}") from None
    if "ndjson" in content_type or "jsonl" in content_type or "json-seq" in content_type:
        items = []
        position = 0
        for line_number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                position += 1
                items.append(json_item(line, position, line_number, header_map))
        if items and all(item.fields is None and "text" in item.raw for item in items):
            raise BadBody("请求体不是 JSON Lines：没有一行是有效的 JSON")
        return items, header_map
    try:
        records = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise BadBody(f"请求体不是有效的 JSON：{exc}") from None
    if isinstance(records, dict) and isinstance(records.get("records"), list):
        records = records["records"]
    if not isinstance(records, list):
        raise BadBody("请求体应为记录的 JSON 数组")
    return [record_item(r, i, None, header_map) for i, r in enumerate(records, start=1)], header_map
