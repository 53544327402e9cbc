"""Records to text lines, one stream of one block at a time, in the stream's format and spellings.

Why: blocks run in worker processes and hand their output to the parent, which only appends
it to files; so a block renders each record to its final text at once (a CSV row, a JSON
line or an XML element), typed values spelled the way the stream's department spells them.
A record is left typed, so a caller may render another version of it (a correction).
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from types import SimpleNamespace

from collectors.citygen.data import table
from collectors.citygen.spellings import Raw, converters
from collectors.citygen.streams import StreamSpec
from warning_system.registry import contract

ID_STRIDE = 100_000  # record ids of a block start at block * ID_STRIDE, per feed
KIND_PREFIX = table("feeds")["record_id_prefixes"]  # the kind's letters in a record id


def xml_escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Renderer:
    """Turns typed records of one stream into text lines as its department writes them (one block)."""

    def __init__(self, spec: StreamSpec, block_index: int, rng: random.Random, r: Callable[[], float]):
        self.spec = spec
        self.dept = spec.dept
        self.kind = spec.kind
        self.style = style = spec.style
        self.columns = spec.columns
        self.column_set = frozenset(spec.columns)
        self.conv = dict(converters(contract.KINDS[spec.kind], style, self.column_set, r))
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
        self.seq = block_index * ID_STRIDE
        self.seq_end = self.seq + ID_STRIDE
        self.rng = rng
        self.count = 0

    def next_id(self, year: int) -> str:
        """A record id as the department numbers its records (or a random 128-bit one)."""
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

        `rec` is left typed, so that a caller may send another version of it. The three formats
        are written inline: this runs once per record, and is most of the generator's time.
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
        if "&" in (joined := "".join([v for v in values if v is not None])) or "<" in joined:
            values = [None if v is None else xml_escape(v) for v in values]
        if self.style.empty_elements:
            parts = [
                o + c if v is None else f"{o}{v}{c}" for (o, c), v in zip(self.tags, values, strict=True)
            ]
        else:
            parts = [f"{o}{v}{c}" for (o, c), v in zip(self.tags, values, strict=True) if v is not None]
        self.lines[corrections].append("  <record>" + "".join(parts) + "</record>\n")
