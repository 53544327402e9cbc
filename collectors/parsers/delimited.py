"""CSV (encoding sniffed, header mapped) and JSON Lines readers, and one record or JSON line as an item."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from warning_system.registry.text import storable_text

from .base import (
    SNIFF_BYTES,
    UNDECODABLE,
    HeaderMap,
    Item,
    UnreadableFile,
)
from .text import (
    _CONTROL,
    _DecodedLines,
    _is_utf8,
    sniff_text_encoding,
)


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
