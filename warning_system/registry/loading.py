"""Set-based storing of records: COPY into a temporary staging table, then one statement.

The statement ranks the batch (the newest version of each record_id wins), compares each
winner with what is stored, and in one pass inserts, updates, withdraws (op=delete) or
leaves the record alone, writing the private part (record as received, personal fields)
beside it. It returns how many records ended each way, so that the counts of a run always
add up: received = inserted + updated + unchanged + stale + deleted + quarantined.
"""

from __future__ import annotations

import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, fields
from functools import lru_cache

import orjson
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from . import contract
from .models import PRIVATE_MODELS, RECORD_MODELS
from .services import subjects_mark_for_evaluation
from .signals import records_stored
from .text import storable, storable_text

logger = logging.getLogger(__name__)

IDENTITY_COLUMNS = ("uscc", "registration_number", "organization_code", "subject_name")
QUARANTINE_FLUSH = 1000


@dataclass
class Outcome:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: int = 0
    deleted: int = 0
    quarantined: int = 0
    unresolved: int = 0

    def add(self, other: Outcome) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def received(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.stale + self.deleted + self.quarantined

    def as_dict(self) -> dict[str, int]:
        return {"received": self.received, **{f.name: getattr(self, f.name) for f in fields(self)}}


@dataclass(frozen=True)
class KindSql:
    columns: tuple[str, ...]  # typed columns shared by staging and the kind's table
    create_stage: str
    copy: str
    upsert: str


def _db_type(model, name: str) -> str:
    return model._meta.get_field(name).db_type(connection)


@lru_cache(maxsize=32)
def kind_sql(kind_key: str) -> KindSql:
    model = RECORD_MODELS[kind_key]
    table = model._meta.db_table
    private_table = PRIVATE_MODELS[kind_key]._meta.db_table
    kind = contract.KINDS[kind_key]
    columns = IDENTITY_COLUMNS + tuple(f.key for f in kind.public_fields)
    typed = ",\n".join(f'"{c}" {_db_type(model, c)}' for c in columns)
    stage = f"stage_{kind_key}"
    create_stage = f"""
        CREATE TEMPORARY TABLE {stage} (
            pos integer NOT NULL, record_id text NOT NULL, is_delete boolean NOT NULL,
            updated_at timestamptz NOT NULL, content_hash text NOT NULL, raw json NOT NULL, personal jsonb NOT NULL,
            {typed}
        ) ON COMMIT DROP"""
    copy_columns = (
        "pos",
        "record_id",
        "is_delete",
        "updated_at",
        "content_hash",
        "raw",
        "personal",
        *columns,
    )
    copy = f"COPY {stage} ({', '.join(copy_columns)}) FROM STDIN"
    quoted = ", ".join(f'"{c}"' for c in columns)
    set_columns = ",\n".join(f'"{c}" = EXCLUDED."{c}"' for c in columns)
    staged = ", ".join(f's."{c}"' for c in columns)
    missing, unresolved = _unresolved_sql(kind_key)
    # Classify on narrow columns; wide ones (typed values, raw JSONB) are read from staging once, when written.
    upsert = f"""
    WITH ranked AS (
        SELECT DISTINCT ON (record_id) pos, record_id, updated_at, content_hash, is_delete,
               uscc, organization_code, registration_number
        FROM {stage} ORDER BY record_id, updated_at DESC, pos DESC
    ), cls AS (
        SELECT r.pos, r.record_id, r.updated_at, r.content_hash, r.is_delete, t.id AS target_id,
            t.subject_uscc AS target_uscc,
            CASE
                WHEN t.id IS NULL THEN (CASE WHEN r.is_delete THEN 'deleted' ELSE 'inserted' END)
                WHEN r.updated_at < t.updated_at THEN 'stale'
                WHEN r.is_delete THEN (CASE WHEN t.withdrawn THEN 'unchanged' ELSE 'deleted' END)
                WHEN r.content_hash = t.content_hash AND NOT t.withdrawn THEN 'unchanged'
                ELSE 'updated'
            END AS outcome,
            COALESCE(
                r.uscc,
                (SELECT s.uscc FROM registry_subject s WHERE s.organization_code = r.organization_code
                 ORDER BY s.withdrawn, s.uscc LIMIT 1),
                (SELECT s.uscc FROM registry_subject s WHERE s.registration_number = r.registration_number
                 ORDER BY s.withdrawn, s.uscc LIMIT 1)
            ) AS resolved_uscc
        FROM ranked r
        LEFT JOIN {table} t ON t.department_id = %(department)s AND t.record_id = r.record_id
    ), written AS (
        SELECT pos, record_id, resolved_uscc FROM cls
        WHERE outcome IN ('inserted', 'updated') OR (outcome = 'deleted' AND target_id IS NULL)
    ), upserted AS (
        INSERT INTO {table} (department_id, record_id, updated_at, withdrawn, subject_uscc, {quoted},
                             received_via, run_id, content_hash, received_at, changed_at)
        SELECT %(department)s, s.record_id, s.updated_at, s.is_delete, w.resolved_uscc, {staged},
               %(channel)s, %(run)s, s.content_hash, now(), now()
        FROM written w JOIN {stage} s ON s.pos = w.pos
        ORDER BY s.record_id
        ON CONFLICT (department_id, record_id) DO UPDATE SET
            updated_at = EXCLUDED.updated_at, withdrawn = EXCLUDED.withdrawn, subject_uscc = EXCLUDED.subject_uscc,
            {set_columns},
            received_via = EXCLUDED.received_via, run_id = EXCLUDED.run_id, content_hash = EXCLUDED.content_hash,
            changed_at = now()
        -- Re-checked against the committed row: a concurrent newer version is never overwritten.
        WHERE {table}.updated_at < EXCLUDED.updated_at
           OR ({table}.updated_at = EXCLUDED.updated_at AND {table}.content_hash <> EXCLUDED.content_hash)
        RETURNING id, record_id
    ), withdrawn AS (
        UPDATE {table} t SET withdrawn = true, updated_at = c.updated_at, run_id = %(run)s,
            content_hash = c.content_hash, changed_at = now()
        FROM cls c WHERE c.outcome = 'deleted' AND c.target_id = t.id AND t.updated_at <= c.updated_at
        RETURNING 1
    ), private AS (
        -- Only the rows the upsert really wrote (its version guard passed) get their private part.
        INSERT INTO {private_table} (row_id, raw, personal)
        SELECT u.id, s.raw, s.personal
        FROM upserted u JOIN written w ON w.record_id = u.record_id JOIN {stage} s ON s.pos = w.pos
        ORDER BY u.id
        ON CONFLICT (row_id) DO UPDATE SET raw = EXCLUDED.raw, personal = EXCLUDED.personal
        RETURNING 1
    ), {missing}
    SELECT outcome, count(*), count(*) FILTER (WHERE unresolved),
           -- The subjects whose records changed: their colours are re-evaluated after commit.
           array_remove(array_agg(DISTINCT resolved_uscc), NULL), array_remove(array_agg(DISTINCT target_uscc), NULL)
    FROM (
        SELECT outcome, {unresolved} AS unresolved, resolved_uscc, target_uscc FROM cls
        UNION ALL
        SELECT CASE WHEN s.updated_at < r.updated_at THEN 'stale' ELSE 'unchanged' END, false, NULL, NULL
        FROM {stage} s JOIN ranked r ON r.record_id = s.record_id AND r.pos <> s.pos
    ) o GROUP BY outcome
    """
    return KindSql(columns, create_stage, copy, upsert)


def _unresolved_sql(kind_key: str) -> tuple[str, str]:
    """A CTE of the subjects this batch names that are not registered, and the test per record.

    Each distinct subject is looked up once (annual reports name theirs five times over); a
    registration defines its subject, so it never waits for one.
    """
    if kind_key == "registration":
        return "missing AS (SELECT NULL::text AS uscc WHERE false)", "false"
    missing = """missing AS (
        SELECT d.uscc FROM (
            SELECT DISTINCT resolved_uscc AS uscc FROM cls
            WHERE outcome IN ('inserted', 'updated') AND NOT is_delete AND resolved_uscc IS NOT NULL
        ) d WHERE NOT EXISTS (SELECT 1 FROM registry_subject s WHERE s.uscc = d.uscc)
    )"""
    test = (
        "(outcome IN ('inserted', 'updated') AND NOT is_delete"
        " AND (resolved_uscc IS NULL OR resolved_uscc IN (SELECT uscc FROM missing)))"
    )
    return missing, test


SUBJECT_COLUMNS = (
    "name",
    "subject_type",
    "enterprise_type",
    "legal_representative",
    "registered_capital",
    "established_on",
    "operating_from",
    "operating_to",
    "registration_authority",
    "approved_on",
    "status",
    "address",
    "district_code",
    "industry_code",
    "business_scope",
    "registration_number",
)

# Rebuild the subjects whose registration records this batch touched, from their newest live
# registration; keep the name they drop in the name history.
SUBJECTS_FROM_REGISTRATIONS = f"""
WITH touched AS (
    SELECT DISTINCT r.subject_uscc AS uscc FROM registry_registration r
    JOIN stage_registration st ON st.record_id = r.record_id
    WHERE r.department_id = %(department)s AND r.subject_uscc IS NOT NULL
), latest AS (
    SELECT DISTINCT ON (r.subject_uscc) r.* FROM registry_registration r
    WHERE r.subject_uscc IN (SELECT uscc FROM touched) AND NOT r.withdrawn
    ORDER BY r.subject_uscc, r.updated_at DESC, r.id DESC
), renamed AS (
    INSERT INTO registry_subjectnamehistory (subject_id, name, used_until)
    SELECT s.uscc, s.name, now() FROM registry_subject s JOIN latest l ON l.subject_uscc = s.uscc
    WHERE s.name <> l.name AND s.source_updated_at <= l.updated_at
    RETURNING 1
), upserted AS (
    INSERT INTO registry_subject (uscc, {", ".join(SUBJECT_COLUMNS)}, registered_by_id, source_updated_at,
                                  withdrawn, created_at, changed_at)
    SELECT subject_uscc, {", ".join(SUBJECT_COLUMNS)}, department_id, updated_at, false, now(), now() FROM latest
    ORDER BY subject_uscc
    ON CONFLICT (uscc) DO UPDATE SET {", ".join(f"{c} = EXCLUDED.{c}" for c in SUBJECT_COLUMNS)},
        registered_by_id = EXCLUDED.registered_by_id, source_updated_at = EXCLUDED.source_updated_at,
        withdrawn = false, changed_at = now()
    WHERE registry_subject.source_updated_at <= EXCLUDED.source_updated_at OR registry_subject.withdrawn
    RETURNING 1
)
UPDATE registry_subject s SET withdrawn = true, changed_at = now()
WHERE s.uscc IN (SELECT uscc FROM touched) AND NOT s.withdrawn
  AND NOT EXISTS (SELECT 1 FROM registry_registration r WHERE r.subject_uscc = s.uscc AND NOT r.withdrawn)
"""


def link_pending_records(usccs_sql: str | None = None, params: dict | None = None) -> set[str]:
    """Link records that named their subject by a legacy code once that subject is registered;
    returns the subjects that gained records.

    With `usccs_sql` only subjects in that sub-select are considered (a registration batch);
    without, every pending record is tried (after parallel loads, whose order is unknown).
    """
    linked: set[str] = set()
    subject_filter = f"AND s.uscc IN ({usccs_sql})" if usccs_sql else ""
    with connection.cursor() as cursor:
        for model in RECORD_MODELS.values():
            table = model._meta.db_table
            for column in ("organization_code", "registration_number"):
                # Mostly nothing waits: the partial index answers that at once, whereas the planner,
                # without statistics for a table just loaded, may start the join from the other side
                # (~150 ms per registration file of 50,000 in bench/ingest).
                cursor.execute(
                    f"SELECT EXISTS (SELECT 1 FROM {table} WHERE subject_uscc IS NULL AND {column} IS NOT NULL)"
                )
                if not cursor.fetchone()[0]:
                    continue
                cursor.execute(
                    f"""UPDATE {table} t SET subject_uscc = s.uscc
                        FROM registry_subject s
                        WHERE t.subject_uscc IS NULL AND t.{column} IS NOT NULL AND s.{column} = t.{column}
                          AND NOT s.withdrawn {subject_filter}
                        RETURNING s.uscc""",
                    params or {},
                )
                linked.update(uscc for (uscc,) in cursor.fetchall())
    subjects_mark_for_evaluation(usccs=linked)
    return linked


def analyze_tables(kinds: set[str], *, parallel: int = 1) -> None:
    """ANALYZE the tables of these kinds and the subjects; with `parallel` > 1 on that many
    connections at once (after a parallel load the other cores are idle).

    The private parts are left to autovacuum: they are only ever read by their row id, so no plan
    depends on their statistics, and analysing them cost a fifth of this step (bench/ingest)."""
    tables = [RECORD_MODELS[k]._meta.db_table for k in sorted(kinds) if k in RECORD_MODELS]
    tables.append("registry_subject")
    if parallel > 1 and len(tables) > 1:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            list(pool.map(_analyze_on_own_connection, tables))
    else:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")
    if "registration" in kinds:
        # New names wait in the GIN index's pending list, which every name search scans (up to
        # 4 MB) until autovacuum merges it: merged now, a search after a load costs what it should.
        with connection.cursor() as cursor:
            cursor.execute("SELECT gin_clean_pending_list('subject_name_bigrams'::regclass)")


def _analyze_on_own_connection(table: str) -> None:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    finally:
        connections.close_all()  # this thread's connections only


def unresolved_by_run(run_ids: list[int]) -> dict[int, int]:
    """Records these runs stored whose subject is still not registered, per run."""
    counts: dict[int, int] = {}
    if not run_ids:
        return counts
    with connection.cursor() as cursor:
        for model in RECORD_MODELS.values():
            cursor.execute(
                f"""SELECT t.run_id, count(*) FROM {model._meta.db_table} t
                    LEFT JOIN registry_subject s ON s.uscc = t.subject_uscc
                    WHERE t.run_id = ANY(%s) AND NOT t.withdrawn AND s.uscc IS NULL
                    GROUP BY t.run_id""",
                [run_ids],
            )
            for run_id, count in cursor.fetchall():
                counts[run_id] = counts.get(run_id, 0) + count
    return counts


def content_hash(raw_json: bytes, delete: bool) -> str:
    """The record as received decides whether it changed (the contract: content, not name)."""
    return hashlib.md5(raw_json, usedforsecurity=False).hexdigest() + ("D" if delete else "")


def _pg_array(values: list[str]) -> str:
    """Enum codes as a PostgreSQL array literal; faster than the driver's generic list dumper."""
    return "{" + ",".join(values) + "}"


def _json_default(value):
    return str(value)


_QUARANTINE = """
INSERT INTO registry_quarantinedrecord AS q (run_id, department_id, kind, channel, position, line, record_id, raw,
    reasons, errors, status, created_at, fingerprint, deliveries, last_delivered_at)
SELECT %(run)s, %(department)s, %(kind)s, %(channel)s, e.position, e.line, e.record_id, e.raw::jsonb,
       e.reasons::varchar[], e.errors::jsonb, 'open', now(), e.fingerprint, e.deliveries, now()
FROM unnest(%(position)s::int[], %(line)s::int[], %(record_id)s::text[], %(raw)s::text[], %(reasons)s::text[],
            %(errors)s::text[], %(fingerprint)s::text[], %(deliveries)s::int[])
     AS e (position, line, record_id, raw, reasons, errors, fingerprint, deliveries)
ON CONFLICT (department_id, kind, fingerprint) WHERE status = 'open' AND fingerprint <> ''
DO UPDATE SET deliveries = q.deliveries + EXCLUDED.deliveries, last_delivered_at = now(), run_id = EXCLUDED.run_id,
    channel = EXCLUDED.channel, position = EXCLUDED.position, line = EXCLUDED.line,
    reasons = EXCLUDED.reasons, errors = EXCLUDED.errors
"""


def _announce(stored: dict) -> None:
    """Tell the receivers after commit; what they fail to do never undoes a stored batch."""
    for receiver, result in records_stored.send_robust(sender=RecordLoader, **stored):
        if isinstance(result, Exception):
            logger.error("records_stored receiver %r failed", receiver, exc_info=result)


class RecordLoader:
    """Stages one batch of normalised records of one kind and department, then stores it.

    Use inside `transaction.atomic()`; nothing is visible to others until that commits, so
    a killed worker leaves nothing half-stored.
    """

    def __init__(
        self, *, kind: str, department_id: str, channel: str, run_id: int, keep_quarantine: bool = True,
        remember_quarantined: bool = False,
    ):  # fmt: skip
        self.kind = kind
        self.department_id = department_id
        self.channel = channel
        self.run_id = run_id
        self.sql = kind_sql(kind)
        multi = {f.key for f in contract.KINDS[kind].fields if f.type == contract.MULTI_ENUM}
        self._array_indexes = [7 + i for i, column in enumerate(self.sql.columns) if column in multi]
        self.outcome = Outcome()
        self.touched_subjects: set[str] = set()
        # Time spent marking subjects for evaluation (the outbox's cost, reported by bench/ingest).
        self.mark_seconds = 0.0
        self._quarantine: list[dict] = []
        self.keep_quarantine = keep_quarantine
        # (position, problems) of this batch's quarantined records, for a push receipt or re-processing.
        self.quarantined_here: list[tuple[int, list[dict]]] | None = (
            [] if remember_quarantined or not keep_quarantine else None
        )
        self._stack = ExitStack()
        self._copy = None
        self._cursor = None

    def __enter__(self) -> RecordLoader:
        self._cursor = self._stack.enter_context(connection.cursor())
        # Room to sort and hash a whole batch in memory; JIT costs more than it saves here.
        self._cursor.execute("SET LOCAL work_mem = '256MB'")
        self._cursor.execute("SET LOCAL jit = off")
        self._cursor.execute(f"DROP TABLE IF EXISTS stage_{self.kind}")
        self._cursor.execute(self.sql.create_stage)
        return self

    def __exit__(self, *exc) -> None:
        self._close_copy()
        self._stack.close()

    def _open_copy(self):
        if self._copy is None:
            self._copy_cm = self._cursor.cursor.copy(self.sql.copy)
            self._copy = self._copy_cm.__enter__()
        return self._copy

    def _close_copy(self) -> None:
        if self._copy is not None:
            copy_cm, self._copy = self._copy_cm, None
            copy_cm.__exit__(None, None, None)

    def add(self, position: int, normalized, raw: dict) -> None:
        values = normalized.values
        raw_json = orjson.dumps(raw, default=_json_default)
        personal = normalized.personal
        row = [
            position,
            normalized.record_id,
            normalized.delete,
            normalized.updated_at,
            content_hash(raw_json, normalized.delete),
            raw_json.decode(),
            orjson.dumps(personal, default=_json_default).decode() if personal else "{}",
        ]
        row.extend(map(values.get, self.sql.columns))
        for index in self._array_indexes:
            if row[index] is not None:
                row[index] = _pg_array(row[index])
        self._open_copy().write_row(row)

    def quarantine(
        self, *, position: int, line: int | None, raw: dict, problems: list[dict], record_id: str = ""
    ) -> None:
        """Keep a record that breaks the contract, with its reasons (in memory only when the loader
        was made with `keep_quarantine=False`: re-processing merges them into the entry it fixes)."""
        self.outcome.quarantined += 1
        if self.quarantined_here is not None:
            self.quarantined_here.append((position, problems))
        if not self.keep_quarantine:
            return
        raw = storable(raw)
        self._quarantine.append(
            {
                "position": position,
                "line": line,
                "record_id": storable_text(record_id or "")[:200],
                "raw": orjson.dumps(raw, default=_json_default).decode(),
                "reasons": sorted({p["code"] for p in problems}),
                "errors": orjson.dumps(storable(problems), default=_json_default).decode(),
                "fingerprint": hashlib.md5(
                    orjson.dumps(raw, option=orjson.OPT_SORT_KEYS, default=_json_default),
                    usedforsecurity=False,
                ).hexdigest(),
            }
        )
        if len(self._quarantine) >= QUARANTINE_FLUSH:
            self._flush_quarantine()

    def _flush_quarantine(self) -> None:
        """One statement: a record already waiting in the quarantine (same department, kind and
        content) gains a delivery instead of a second entry."""
        if not self._quarantine:
            return
        self._close_copy()
        by_fingerprint: dict[str, dict] = {}
        for entry in self._quarantine:
            kept = by_fingerprint.setdefault(entry["fingerprint"], {**entry, "deliveries": 0})
            kept["deliveries"] += 1
        self._quarantine = []
        entries = list(by_fingerprint.values())
        columns = ("position", "line", "record_id", "raw", "reasons", "errors", "fingerprint", "deliveries")
        self._cursor.execute(
            _QUARANTINE,
            {
                "run": self.run_id, "department": self.department_id, "kind": self.kind, "channel": self.channel,
                **{name: [e[name] for e in entries] for name in columns},
                "reasons": [_pg_array(e["reasons"]) for e in entries],
            },
        )  # fmt: skip

    def store(self) -> Outcome:
        """Write the staged batch and mark the subjects it changed for evaluation, in the caller's
        transaction; returns this batch's outcome counts."""
        self._flush_quarantine()
        self._close_copy()
        params = {
            "department": self.department_id,
            "channel": self.channel,
            "run": self.run_id,
        }
        cursor = self._cursor
        cursor.execute(self.sql.upsert, params)
        for outcome, count, unresolved, named, previously in cursor.fetchall():
            setattr(self.outcome, outcome, getattr(self.outcome, outcome) + count)
            self.outcome.unresolved += unresolved
            if outcome in ("inserted", "updated", "deleted"):
                self.touched_subjects.update(named, previously)
        if self.kind == "registration":
            # A registration defines its subject, so it is never waiting for one.
            self.outcome.unresolved = 0
            cursor.execute(SUBJECTS_FROM_REGISTRATIONS, params)
            self.touched_subjects |= link_pending_records(
                "SELECT r.subject_uscc FROM registry_registration r JOIN stage_registration st "
                "ON st.record_id = r.record_id WHERE r.department_id = %(department)s",
                params,
            )
        cursor.execute(f"TRUNCATE stage_{self.kind}")
        started = time.perf_counter()
        subjects_mark_for_evaluation(usccs=self.touched_subjects)
        self.mark_seconds += time.perf_counter() - started
        if self.touched_subjects:
            stored = {"kind": self.kind, "department_id": self.department_id, "run_id": self.run_id,
                      "usccs": frozenset(self.touched_subjects)}  # fmt: skip
            transaction.on_commit(lambda: _announce(stored))
        return self.outcome
