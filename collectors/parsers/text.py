"""Text as departments send it: control characters found and screened, the encoding sniffed, lines
decoded one block at a time (a wrong byte is an undecodable record, never a rejected file)."""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from typing import BinaryIO

from warning_system.registry.text import storable_text

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
