"""Readers for the three file formats of the feed contract (docs/feeds.md §2), streaming and format-only.

A reader turns bytes into `Item`s: the record's fields under their canonical keys, the raw
record as received, and its position; or a malformed item that goes to quarantine. It
never decides what a value means (that is `normalize.py`). A file that cannot be read at
all raises `UnreadableFile`, and the whole file is rejected.

Parts: `base` (items, file names, headers, opening), `text` (control characters, encodings, lines),
`delimited` (CSV, JSON Lines), `xmlfiles` (XML); here: choosing the reader, and a pushed body.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO

import orjson

from .base import (
    CONTROL_CHARACTER,
    FILE_NAME,
    MALFORMED,
    SNIFF_BYTES,
    UNDECODABLE,
    FeedFileName,
    HeaderMap,
    Item,
    UnreadableFile,
    header_key,
    header_lookup,
    is_temporary,
    open_binary,
    parse_file_name,
)
from .delimited import CsvReader, JsonLinesReader, json_item, record_item
from .text import control_character_problems, sniff_text_encoding
from .xmlfiles import PROLOG_LIMIT, XmlReader, refuse_dtd, xml_encoding

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


__all__ = [
    "BadBody",
    "CONTROL_CHARACTER",
    "CsvReader",
    "FILE_NAME",
    "FeedFileName",
    "HeaderMap",
    "Item",
    "JsonLinesReader",
    "MALFORMED",
    "PROLOG_LIMIT",
    "READERS",
    "SNIFF_BYTES",
    "UNDECODABLE",
    "UnreadableFile",
    "XmlReader",
    "control_character_problems",
    "header_key",
    "header_lookup",
    "is_temporary",
    "json_item",
    "open_binary",
    "parse_file_name",
    "parse_push_body",
    "read_items",
    "record_item",
    "refuse_dtd",
    "sniff_text_encoding",
    "xml_encoding",
]
