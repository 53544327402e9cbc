"""Checking the trail: walk the hash chain in seq order and hold it against the anchors of its head.

PostgreSQL refuses UPDATE, DELETE and TRUNCATE, but a superuser can switch the triggers off
(`SET session_replication_role = replica`) and edit the rows. What each edit leaves behind:

- a row's content changed: its hash no longer matches its content (ALTERED);
- a row appended by someone without AUDIT_CHAIN_KEY: whatever hash they computed (plain SHA-256,
  or an HMAC under another key) does not match its content (ALTERED), even at the end of the chain;
- a row's content changed and its hash recomputed: the next entry still records the old hash as
  its predecessor (ALTERED, named as the entry before the break);
- a row deleted: a gap in seq (REMOVED); deleted and the rest renumbered: every hash after it
  breaks, since seq is hashed (ALTERED at the first renumbered entry);
- a forged row inserted: a seq taken twice (the unique constraint dropped), a seq out of place
  that chains to the entry before the gap, or a prev_hash naming an entry that is already followed
  (INSERTED);
- the tail deleted: an anchor (one every ten minutes) names a seq beyond the last entry
  (TRUNCATED), from the table or, when its rows were deleted too, from the anchor file kept apart;
- a stretch rewritten consistently, hashes and all, or a cut tail written again: an anchor it
  covers no longer matches the entry it names (REWRITTEN);
- anchors changed or deleted in the table: they disagree with the file, or a later anchor names
  an earlier entry than the one before it (ANCHOR).

The walk stops at the first problem in seq order and names it; it streams the entries, so it
runs in constant memory over millions of them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.utils import timezone

from warning_system.audit import chain
from warning_system.audit.models import AuditAnchor, AuditEntry
from warning_system.audit.services import anchor_file, line_time

CHUNK_SIZE = 5_000
WALKED_FIELDS = ("id", "prev_hash", "hash", *chain.HASHED_FIELDS)

ALTERED = "altered"
REMOVED = "removed"
INSERTED = "inserted"
TRUNCATED = "truncated"
REWRITTEN = "rewritten"
ANCHOR = "anchor"

TABLE = "table"
FILE = "file"


@dataclass(frozen=True)
class Anchor:
    at: datetime
    seq: int
    hash: str
    source: str  # TABLE or FILE


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str
    seq: int | None = None  # the entry named (for REMOVED: the first one missing)
    entry_id: int | None = None


@dataclass
class Verification:
    entries: int = 0
    last_seq: int = 0
    anchors: int = 0
    problem: Problem | None = None
    anchors_from: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem is None

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "last_seq": self.last_seq,
            "anchors": self.anchors,
            "anchors_from": self.anchors_from,
            "problem": asdict(self.problem) if self.problem else None,
        }


class _AnchorFileError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem


# --------------------------------------------------------------------------- anchors


def table_anchors() -> list[Anchor]:
    return [
        Anchor(at, seq, hash_, TABLE)
        for at, seq, hash_ in AuditAnchor.objects.values_list("at", "seq", "hash")
    ]


def file_anchors(path: Path) -> list[Anchor]:
    """The lines of the anchor file; a line that cannot be read is a problem in itself."""
    anchors = []
    with path.open(encoding="utf-8") as lines:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                anchors.append(Anchor(line_time(line), int(line["seq"]), str(line["hash"]), FILE))
            except (ValueError, KeyError, TypeError) as exc:
                raise _AnchorFileError(
                    Problem(ANCHOR, f"line {number} of the anchor file {path} cannot be read ({exc})")
                ) from exc
    return anchors


def _anchor_disagreement(table: list[Anchor], from_file: list[Anchor]) -> Problem | None:
    """Every anchor the file keeps must be in the table with the same head (the file may start later)."""
    by_time = {a.at: a for a in table}
    file_times: dict[datetime, Anchor] = {}
    for anchor in from_file:
        kept = file_times.setdefault(anchor.at, anchor)
        if (kept.seq, kept.hash) != (anchor.seq, anchor.hash):
            return Problem(ANCHOR, f"the anchor file gives {_when(anchor)} two different heads", anchor.seq)
    for at, anchor in sorted(file_times.items()):
        row = by_time.get(at)
        if row is None:
            return Problem(
                ANCHOR,
                f"the anchor of {_when(anchor)} (entry {anchor.seq}) was removed from the table; the file keeps it",
                anchor.seq,
            )
        if (row.seq, row.hash) != (anchor.seq, anchor.hash):
            return Problem(
                ANCHOR,
                f"the anchor of {_when(anchor)} in the table (entry {row.seq}, {row.hash[:12]}…) differs from the "
                f"file's (entry {anchor.seq}, {anchor.hash[:12]}…)",
                anchor.seq,
            )
    return None


def _anchor_order(anchors: list[Anchor]) -> Problem | None:
    """The heads of one source never move backwards from one anchor to the next."""
    previous = None
    for anchor in sorted(anchors, key=lambda a: a.at):
        if anchor.seq <= 0 and anchor.hash != chain.GENESIS:  # anchored before the first entry
            return Problem(ANCHOR, f"{_describe(anchor)} names no entry but a hash")
        if previous is not None and anchor.seq < previous.seq:
            return Problem(
                ANCHOR,
                f"{_describe(anchor)} names entry {anchor.seq}, before entry {previous.seq} of the anchor of "
                f"{_when(previous)}",
                anchor.seq,
            )
        previous = anchor
    return None


def _when(anchor: Anchor) -> str:
    return timezone.localtime(anchor.at).strftime("%Y-%m-%d %H:%M:%S")


def _describe(anchor: Anchor) -> str:
    return f"the anchor of {_when(anchor)} ({'anchor file' if anchor.source == FILE else 'anchors table'})"


# --------------------------------------------------------------------------- the walk


def verify_chain(*, anchor_path: Path | str | None = None, chunk_size: int = CHUNK_SIZE) -> Verification:
    """Walk every entry in seq order and return what was checked and the first problem, if any.

    `anchor_path` defaults to settings.AUDIT_ANCHOR_FILE; a configured file that does not exist
    yet (nothing anchored) is not a problem.
    """
    result = Verification()
    path = Path(anchor_path) if anchor_path else anchor_file()
    # Anchors first: each names an entry committed before it was written, so before the walk starts.
    anchors = table_anchors()
    result.anchors_from.append(TABLE)
    from_file: list[Anchor] = []
    if path is not None and path.exists():
        try:
            from_file = file_anchors(path)
        except _AnchorFileError as exc:
            result.problem = exc.problem
            return result
        result.anchors_from.append(FILE)
    result.anchors = len({a.at for a in anchors} | {a.at for a in from_file})
    result.problem = _anchor_order(anchors) or _anchor_order(from_file)
    if result.problem is not None:
        return result
    pending = sorted({a for a in anchors + from_file if a.seq > 0}, key=lambda a: (a.seq, a.source, a.at))

    prev = None  # (seq, id, hash) of the entry before; None before the first
    next_anchor = 0
    rows = (
        AuditEntry.objects.order_by("seq", "id").values_list(*WALKED_FIELDS).iterator(chunk_size=chunk_size)
    )
    for values in rows:
        row = dict(zip(WALKED_FIELDS, values, strict=True))
        problem = _check(row, prev)
        if problem is not None:
            result.problem = problem
            return result
        while next_anchor < len(pending) and pending[next_anchor].seq <= row["seq"]:
            anchor = pending[next_anchor]
            next_anchor += 1
            if anchor.seq == row["seq"] and anchor.hash != row["hash"]:
                result.problem = Problem(
                    REWRITTEN,
                    f"entry {row['seq']} (id {row['id']}) is not the entry {_describe(anchor)} recorded: the "
                    f"chain was rewritten at or before it (hash {row['hash'][:12]}…, anchored {anchor.hash[:12]}…)",
                    row["seq"],
                    row["id"],
                )
                return result
        prev = (row["seq"], row["id"], row["hash"])
        result.entries += 1
        result.last_seq = row["seq"]

    if next_anchor < len(pending):
        beyond = max(pending[next_anchor:], key=lambda a: a.seq)
        first_missing = result.last_seq + 1
        result.problem = Problem(
            TRUNCATED,
            f"the trail was truncated: the last entry is {result.last_seq}, but {_describe(beyond)} names "
            f"entry {beyond.seq}: entries {first_missing}–{beyond.seq} (at least) were removed",
            first_missing,
        )
        return result
    result.problem = _anchor_disagreement(anchors, from_file) if from_file else None
    return result


def _check(row: dict, prev: tuple[int, int, str] | None) -> Problem | None:
    """The first thing wrong with `row` given the entry walked before it (None: it is the first)."""
    prev_seq, prev_id, prev_hash = prev if prev is not None else (0, None, chain.GENESIS)
    seq, entry_id = row["seq"], row["id"]
    content_ok = chain.expected_hash(row["prev_hash"], row) == row["hash"]

    if seq == prev_seq:
        return _duplicate(seq, prev_id, entry_id)
    if seq > prev_seq + 1:
        if row["prev_hash"] == prev_hash and content_ok:
            return Problem(
                INSERTED,
                f"entry {seq} (id {entry_id}) was inserted out of place: it chains to entry {prev_seq}, "
                f"but entries {prev_seq + 1}–{seq - 1} never existed",
                seq,
                entry_id,
            )
        missing = f"entry {prev_seq + 1}" if seq == prev_seq + 2 else f"entries {prev_seq + 1}–{seq - 1}"
        where = f"between {prev_seq} and {seq}" if prev is not None else f"before {seq}"
        return Problem(REMOVED, f"{missing} missing {where}", prev_seq + 1)
    if row["prev_hash"] != prev_hash:
        if not content_ok:
            return Problem(
                ALTERED,
                f"entry {seq} (id {entry_id}) was altered: its content does not match its hash",
                seq,
                entry_id,
            )
        followed = (
            AuditEntry.objects.filter(hash=row["prev_hash"]).exclude(pk=entry_id).values("seq", "id").first()
        )
        if followed is not None:
            return Problem(
                INSERTED,
                f"entry {seq} (id {entry_id}) was inserted: it chains to entry {followed['seq']} "
                f"(id {followed['id']}), which entry {followed['seq'] + 1} already follows",
                seq,
                entry_id,
            )
        if prev is None:
            return Problem(
                ALTERED, f"entry {seq} (id {entry_id}) was altered: the first entry must chain to the genesis hash",
                seq, entry_id,
            )  # fmt: skip
        return Problem(
            ALTERED,
            f"entry {prev_seq} (id {prev_id}) was altered and re-hashed, or replaced: entry {seq} records "
            f"another predecessor ({row['prev_hash'][:12]}…, found in no entry)",
            prev_seq,
            prev_id,
        )
    if not content_ok:
        return Problem(
            ALTERED,
            f"entry {seq} (id {entry_id}) was altered: its content does not match its hash",
            seq,
            entry_id,
        )
    return None


def _duplicate(seq: int, first_id: int, second_id: int) -> Problem:
    """Two rows with one seq (the unique constraint was dropped): the one the next entry follows is
    the original; without a next entry, the one added later is named."""
    both = dict(AuditEntry.objects.filter(pk__in=(first_id, second_id)).values_list("id", "hash"))
    followed_by = AuditEntry.objects.filter(seq=seq + 1).values_list("prev_hash", flat=True).first()
    forged = second_id
    if followed_by is not None and both.get(second_id) == followed_by:
        forged = first_id
    original = first_id if forged == second_id else second_id
    return Problem(
        INSERTED,
        f"entry {seq} (id {forged}) was inserted: seq {seq} is taken twice (ids {original} and {forged})",
        seq,
        forged,
    )
