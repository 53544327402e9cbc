"""Readers for the three file formats of the feed contract (docs/feeds.md §2), streaming and format-only.

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
import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

import defusedxml.ElementTree as defused
import orjson
from defusedxml import DefusedXmlException

from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason
from warning_system.registry.text import storable_text

FILE_NAME = re.compile(
    r"^(?P<kind>[a-z_]+)_(?P<stamp>\d{14})(?:_[^/]*)?\.(?P<format>csv|jsonl|xml)(?P<gz>\.gz)?$"
)
SNIFF_BYTES = 1 << 20
# Larger than any field may be (contract.py's limits): an overlong value is read, then quarantined
# as too_long with its record, rather than failing the whole file here.
csv.field_size_limit(64 * 1024 * 1024)
MALFORMED = QuarantineReason.MALFORMED_RECORD.value
UNDECODABLE = QuarantineReason.UNDECODABLE.value
CONTROL_CHARACTER = QuarantineReason.CONTROL_CHARACTER.value


class UnreadableFile(Exception):
    """The file as a whole cannot be read; it is rejected with this message."""


@dataclass
class Item:
    position: int  # 1-based record number in the file or batch
    line: int | None
    fields: dict | None  # canonical key -> value as written; None when malformed
    raw: dict  # the record as received (original keys), or {"text": ...} when malformed
    error: str | None = None
    reason: str = MALFORMED  # the quarantine reason of a record that cannot be read
    # The reader has seen no control character in it (one search per line, in C): the per-field
    # search of `control_character_problems` is skipped.
    screened: bool = False


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
    """Open a file of the inbox for reading, never following a link and never blocking on a FIFO.

    The inbox lists only regular files, but a name can be swapped between the listing and the
    open: what is opened is checked again (`fstat`) before a byte is read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("不是普通文件，未读取")
        os.set_blocking(fd, True)
        stream = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    return gzip.open(stream, "rb") if gzipped else stream  # noqa: SIM115


# Control characters no department means to send: C0 except tab, line feed and carriage return,
# and DEL. PostgreSQL cannot store NUL in text at all; the others would reach pages and exports.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Inside XML the transcoder shows each such character as its Unicode control picture (␀ for NUL):
# expat refuses the raw character, which would otherwise reject the whole file.
# Bytes that did not decode, as the surrogateescape error handler carries them.
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_TRANSCODER_MARKS = re.compile("[\ufffd\u2400-\u241f\u2421]")


def control_character_problems(raw: dict) -> list[dict]:
    """One problem per field (key or value) of a record holding a control character."""
    problems = []
    for key, value in raw.items():
        for text in (key, *(value if isinstance(value, list) else (value,))):
            # isprintable() is one C loop; the regular expression runs only when it objects
            # (it objects to ideographic spaces and line breaks too, which are allowed).
            if isinstance(text, str) and not text.isprintable() and _CONTROL.search(text):
                problems.append(
                    {"code": "control_character", "field": storable_text(str(key)),
                     "message": f"“{storable_text(str(key))}”含有控制字符（如 NUL），未入库"}
                )  # fmt: skip
                break
    return problems


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def sniff_text_encoding(head: bytes, *, complete: bool = False) -> str:
    """UTF-8 (BOM or not) or GB18030: the encoding of a CSV is not declared (docs/feeds.md §2).

    Decided by the lines of the head, not by its first bad byte: a UTF-8 file with a few GB18030
    lines stays UTF-8 (those lines are quarantined), and the other way round.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    lines = head.split(b"\n")
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the head may end inside a line
    utf8 = other = 0
    for line in lines:
        if not line.isascii():
            if _is_utf8(line):
                utf8 += 1
            else:
                other += 1
    return "gb18030" if other > utf8 else "utf-8"


class _DecodedLines:
    """The lines of a byte stream in the file's encoding, decoded a megabyte at a time.

    Lines are split as a CSV file opened with newline="" splits them (LF, CR LF, CR). A line that
    does not decode is kept with its bytes escaped (as \\xNN) and its number remembered, so the record
    it belongs to is quarantined and the rest of the file is stored; in a GB18030 file a non-ASCII
    line that is valid UTF-8 was written in UTF-8 and is treated the same way, rather than read as
    mojibake. Lines holding a control character are remembered too.
    """

    CHUNK = 1 << 20

    def __init__(self, stream: BinaryIO, encoding: str):
        self.stream = stream
        self.encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.bom = encoding == "utf-8-sig"
        self.bad: set[int] = set()
        self.controls: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        number, pending, first = 0, b"", True
        while True:
            block = self.stream.read(self.CHUNK)
            if block:
                block = pending + block
                cut = block.rfind(b"\n") + 1  # never inside a UTF-8 or GB18030 character
                if not cut:
                    pending = block
                    continue
                pending, block = block[cut:], block[:cut]
            elif pending:
                block, pending = pending, b""
            else:
                return
            if first:
                block, first = (block.removeprefix(codecs.BOM_UTF8) if self.bom else block), False
            lines = self._lines(block, number)
            number += len(lines)
            yield from lines

    def _lines(self, block: bytes, number: int) -> list[str]:
        try:
            lines = io.StringIO(block.decode(self.encoding), newline="").readlines()
        except UnicodeDecodeError:
            lines = io.StringIO(block.decode(self.encoding, "surrogateescape"), newline="").readlines()
            for i, line in enumerate(lines):
                if _ESCAPED_BYTE.search(line):
                    self.bad.add(number + i + 1)
                    lines[i] = line.encode(self.encoding, "surrogateescape").decode(
                        self.encoding, "backslashreplace"
                    )
        if self.encoding == "gb18030" and not block.isascii():
            # The same block read as UTF-8 splits into the same lines (line breaks are ASCII in both);
            # a non-ASCII line there without a single byte that failed is a line written in UTF-8.
            as_utf8 = io.StringIO(block.decode("utf-8", "surrogateescape"), newline="").readlines()
            self.bad.update(
                number + i + 1
                for i, line in enumerate(as_utf8)
                if not line.isascii() and not _ESCAPED_BYTE.search(line)
            )
        # Control bytes never occur inside a UTF-8 or GB18030 character: one look at the block's bytes.
        if len(block.translate(None, _CONTROL_BYTES)) != len(block):
            self.controls.update(number + i + 1 for i, line in enumerate(lines) if _CONTROL.search(line))
        return lines


class CsvReader:
    def __init__(self, stream: BinaryIO, kind: str, header_map: HeaderMap):
        self.stream = stream
        self.kind = kind
        self.header_map = header_map

    def __iter__(self) -> Iterator[Item]:
        buffered = io.BufferedReader(self.stream, buffer_size=SNIFF_BYTES)
        head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        encoding = sniff_text_encoding(head, complete=len(head) < SNIFF_BYTES)
        lines = _DecodedLines(buffered, encoding)
        reader = csv.reader(lines)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableFile(f"CSV 表头无法读取：{exc}") from exc
        header = [cell.lstrip("\ufeff") for cell in header]
        for number, cell in enumerate(header, start=1):
            if _CONTROL.search(cell):
                raise UnreadableFile(
                    f"CSV 表头第 {number} 列“{storable_text(cell)[:50]}”含有控制字符（如 NUL）"
                )
        keys = [self.header_map.canonical(cell) for cell in header]
        if not any(keys):
            raise UnreadableFile(f"CSV 表头中没有可识别的字段：{','.join(header)[:200]}")
        yield from self._rows(reader, header, keys, lines, encoding)

    def _rows(
        self, reader, header: list[str], keys: list, lines: _DecodedLines, encoding: str
    ) -> Iterator[Item]:
        bad, controls = lines.bad, lines.controls
        position = 0
        last_line = reader.line_num
        try:
            for row in reader:
                first_line, last_line = last_line + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                position += 1
                raw = dict(zip(header, row, strict=False))
                if bad and any(n in bad for n in range(first_line, last_line + 1)):
                    yield Item(position, last_line, None, raw,
                               f"第 {first_line} 行无法按 {encoding} 解码（无法识别的字节以 \\xNN 表示）",
                               reason=UNDECODABLE)  # fmt: skip
                    continue
                if len(row) > len(header):
                    raw["__extra__"] = row[len(header) :]
                    yield Item(
                        position, last_line, None, raw, f"本行有 {len(row)} 列，表头只有 {len(header)} 列"
                    )
                    continue
                fields = {}
                for key, value in zip(keys, row, strict=False):
                    if key is not None and (key not in fields or not fields[key]):
                        fields[key] = value
                screened = not controls or not any(n in controls for n in range(first_line, last_line + 1))
                yield Item(position, last_line, fields, raw, screened=screened)
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
            item = json_item(line, position, line_number, self.header_map)
            # JSON writes control characters only as escapes (\u0000 … \u001f, \u007f): a line
            # without any escape needs no search field by field.
            item.screened = b"\\u" not in line
            yield item


def json_item(text: str | bytes, position: int, line: int | None, header_map: HeaderMap) -> Item:
    try:
        record = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        if isinstance(text, bytes):
            if not _is_utf8(text):
                shown = text.decode("utf-8", "backslashreplace").rstrip("\r\n")
                return Item(position, line, None, {"text": shown[:100_000]},
                            "本行不是有效的 UTF-8（无法识别的字节以 \\xNN 表示）", reason=UNDECODABLE)  # fmt: skip
            text = text.decode("utf-8")
        return Item(position, line, None, {"text": text.rstrip("\r\n")[:100_000]}, f"不是有效的 JSON：{exc}")
    return record_item(record, position, line, header_map)


def record_item(record, position: int, line: int | None, header_map: HeaderMap) -> Item:
    if not isinstance(record, dict):
        return Item(position, line, None, {"value": record}, "记录应为 JSON 对象")
    return Item(position, line, header_map.map(record), record)


class _TranscodedXml(io.RawIOBase):
    """An XML stream in any encoding, re-encoded as UTF-8 for expat, which reads only a few.

    Bytes that do not decode become U+FFFD and control characters their control pictures (␀ …),
    so that expat never refuses the whole document for them: the records holding them are
    quarantined instead (`XmlReader`). The declaration's encoding is rewritten to UTF-8.
    """

    def __init__(self, stream: BinaryIO, encoding: str):
        self.text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
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
                chunk = chunk.lstrip("\ufeff")
                chunk = re.sub(
                    r"""(<\?xml[^>]*?encoding\s*=\s*)["'][^"']+["']""", r'\1"UTF-8"', chunk, count=1
                )
                self.first = False
            if _CONTROL.search(chunk):
                chunk = _CONTROL.sub(lambda m: chr(0x2400 + (ord(m[0]) if m[0] != "\x7f" else 0x21)), chunk)
            self.pending += chunk.encode("utf-8")
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)["']""")
# XML 1.0 appendix F: the byte order mark, or the first characters "<?" in a 16/32-bit encoding.
_XML_SIGNATURES = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)

PROLOG_LIMIT = 65536


def xml_encoding(head: bytes) -> str:
    """The document's encoding: its byte order mark or 16/32-bit signature, else its declaration,
    else UTF-8."""
    for signature, encoding in _XML_SIGNATURES:
        if head.startswith(signature):
            return encoding
    declared = _XML_DECLARATION.match(head)
    encoding = declared[1].decode().lower() if declared else "utf-8"
    if encoding.replace("-", "").replace("_", "") in ("gb2312", "gbk", "cp936"):
        return "gb18030"  # its superset: departments label GB18030 text with the older names
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise UnreadableFile(f"XML 声明的编码“{encoding}”不受支持") from None
    return encoding


def refuse_dtd(head: bytes) -> None:
    """Refuse a document whose prolog declares a DTD or an entity, with defusedxml.

    defusedxml reads the prolog up to the root element: a DTD may stand only there (expat itself
    refuses one after the root starts), and no entity exists without a DTD, so nothing the body
    holds can expand or fetch anything. The body is then read by the standard library's C parser,
    at half the cost of defusedxml's (bench/ingest: XML is two fifths of a city's records).
    """
    try:
        for _event, _element in defused.iterparse(io.BytesIO(head), events=("start",), forbid_dtd=True):
            return  # the root element started: the prolog is clean
    except DefusedXmlException as exc:
        raise UnreadableFile(f"XML 含有 DTD 或实体声明（{type(exc).__name__}），拒收") from None
    except ParseError:
        if len(head) >= PROLOG_LIMIT:
            raise UnreadableFile(f"XML 文档头超过 {PROLOG_LIMIT} 字节，拒收") from None
        # A truncated or broken document: the parser of the body says where.


class _RawFailed(Exception):
    """The raw UTF-8 parse met what expat refuses (a bad byte, a control character)."""


class _DelWatch:
    """The raw byte stream handed to expat, noting whether a DEL (the one control character expat
    lets through) went by; expat reads a record's bytes before it ends the record."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.saw_del = False

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        if not self.saw_del and b"\x7f" in data:
            self.saw_del = True
        return data


class XmlReader:
    """Records of an XML file, streamed.

    A UTF-8 document is handed to expat as it is, which is the quickest; should expat refuse a
    byte on the way (one that does not decode, a control character), the file is read again from
    its start through the transcoder, which makes such bytes visible, and the records already read
    are skipped. Other encodings go through the transcoder from the start.
    """

    def __init__(self, stream: BinaryIO, kind: str, header_map: HeaderMap, reopen: Callable | None = None):
        self.stream = stream
        self.kind = kind
        self.header_map = header_map
        self.reopen = reopen  # opens the file again from its start (None: no second reading)

    def __iter__(self) -> Iterator[Item]:
        buffered = io.BufferedReader(self.stream, buffer_size=PROLOG_LIMIT)
        encoding = xml_encoding(buffered.peek(512)[:512])
        if encoding in ("utf-8", "utf-8-sig") and self.reopen is not None:
            read = 0
            try:
                for item in self._records(buffered, encoding, raw=True):
                    read += 1
                    yield item
                return
            except _RawFailed:
                pass
            with self.reopen() as again:
                buffered = io.BufferedReader(again, buffer_size=PROLOG_LIMIT)
                for item in self._records(buffered, encoding, raw=False):
                    if item.position > read:
                        yield item
            return
        yield from self._records(buffered, encoding, raw=False)

    def _records(self, buffered, encoding: str, *, raw: bool) -> Iterator[Item]:
        source = (
            buffered
            if raw
            else io.BufferedReader(_TranscodedXml(buffered, encoding), buffer_size=PROLOG_LIMIT)
        )
        refuse_dtd(source.peek(PROLOG_LIMIT)[:PROLOG_LIMIT])
        if raw:
            source = self._watch = _DelWatch(source)
        position = 0
        depth = 0
        root = None
        try:
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    depth += 1
                    if depth == 1:
                        root = element
                        self._check_root(element)
                    continue
                depth -= 1
                if depth == 1:
                    position += 1
                    yield self._item(element, position, encoding, raw)
                    root.clear()
        except ParseError as exc:
            if raw:
                raise _RawFailed from exc
            raise UnreadableFile(f"XML 格式错误：{exc}") from exc

    def _check_root(self, element) -> None:
        if element.tag != "records":
            raise UnreadableFile(f"XML 根元素应为 <records>，实为 <{element.tag}>")
        declared_kind = element.get("kind")
        if declared_kind and declared_kind != self.kind:
            raise UnreadableFile(f"XML 声明的数据类型 {declared_kind} 与文件名 {self.kind} 不符")

    def _item(self, element, position: int, encoding: str, raw_parse: bool) -> Item:
        if element.tag != "record":
            return Item(position, None, None, {"tag": element.tag}, f"应为 <record>，实为 <{element.tag}>")
        raw = {child.tag: (child.text or "") for child in element}
        if raw_parse:
            # expat refuses every control character but DEL: where the file holds one, the records are
            # searched field by field like pushed ones.
            return Item(position, None, self.header_map.map(raw), raw, screened=not self._watch.saw_del)
        marked = _TRANSCODER_MARKS.search("".join(raw.values()))
        if marked:
            if marked[0] == "\ufffd":
                return Item(position, None, None, raw, f"含有无法按 {encoding} 解码的字节（以 \ufffd 表示）",
                            reason=UNDECODABLE)  # fmt: skip
            return Item(
                position, None, None, raw, "含有控制字符（如 NUL，以 ␀ 等表示）", reason=CONTROL_CHARACTER
            )
        return Item(position, None, self.header_map.map(raw), raw, screened=True)


READERS = {"csv": CsvReader, "jsonl": JsonLinesReader, "xml": XmlReader}


def read_items(
    stream: BinaryIO, file_format: str, kind: str, header_map: HeaderMap, reopen: Callable | None = None
) -> Iterator[Item]:
    """The items of a file; `reopen` (a file's, not a stream's) lets the XML reader take its quick path."""
    if file_format == "xml":
        return iter(XmlReader(stream, kind, header_map, reopen))
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
