"""What every reader shares: the item a reader yields, the file names of the inbox, the header map
(header spellings to canonical keys through the contract) and opening a file, gzipped or not."""

from __future__ import annotations

import csv
import gzip
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from warning_system.registry import contract
from warning_system.registry.choices import QuarantineReason

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
