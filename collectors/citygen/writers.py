"""Rendered lines into the inbox's files: formats' headers and footers, encodings, gzip, rotation.

Why: the collectors poll department folders, so a file must appear whole — it is written
under a temporary name and renamed when complete, as departments do (docs/feeds.md §1). Files
rotate at a maximum number of records, as large exports do; gzip is written without a name
or time stamp, so the same city has the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
from collections.abc import Callable
from pathlib import Path

from collectors.citygen.streams import StreamSpec


def _write_header(text: io.TextIOWrapper, spec: StreamSpec) -> None:
    """What opens a file of the stream's format: a CSV header row, or the XML declaration and root."""
    style = spec.style
    if style.format == "csv":
        header = ([spec.extra[0]] if spec.extra else []) + list(spec.names)
        csv.writer(text, lineterminator="\r\n" if style.crlf else "\n").writerow(header)
    elif style.format == "xml":
        declared = "GB18030" if style.encoding == "gb18030" else "UTF-8"
        text.write(f'<?xml version="1.0" encoding="{declared}"?>\n<records kind="{spec.kind}">\n')


def _write_footer(text: io.TextIOWrapper, spec: StreamSpec) -> None:
    if spec.style.format == "xml":
        text.write("</records>\n")


class FileWriter:
    """Writes rendered lines of one (department, kind, role) into files rotating at max records.

    A file is written under a temporary name and renamed when complete, as departments do
    (docs/feeds.md §1), so that a collector polling the inbox never reads half a file.
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
        self.text = None
        self.tmp_path: Path | None = None

    def _open(self) -> None:
        style = self.spec.style
        self.part += 1
        self.count = 0
        self.folder.mkdir(parents=True, exist_ok=True)
        self.tmp_path = self.folder / f".{self.spec.kind}_{self.stamp}_{self.role}_{self.part}.part"
        self.handle = raw = open(self.tmp_path, "wb")  # noqa: SIM115 - closed in _close
        if style.gzip:
            raw = gzip.GzipFile(filename="", mode="wb", fileobj=self.handle, mtime=0, compresslevel=1)
        self.text = io.TextIOWrapper(raw, encoding=style.encoding, newline="")
        _write_header(self.text, self.spec)

    def _close(self, numbered: bool) -> None:
        if self.handle is None:
            return
        _write_footer(self.text, self.spec)
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
