"""XML: any declaration in the prolog refused before parsing (defusedxml reads the prolog, the
standard C parser the body); GB18030 and the other encodings expat cannot read transcoded to UTF-8."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from typing import BinaryIO
from xml.etree.ElementTree import ParseError, iterparse

import defusedxml.ElementTree as defused
from defusedxml import DefusedXmlException

from .base import (
    CONTROL_CHARACTER,
    UNDECODABLE,
    HeaderMap,
    Item,
    UnreadableFile,
)
from .text import (
    _CONTROL,
    _TRANSCODER_MARKS,
)


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
