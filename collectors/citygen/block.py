"""A block of subjects generated together: the unit of work of a worker process.

Why: a city of a million subjects must be generated in flat memory and may be shared among
processes, yet be the same bytes for any number of them. So subjects are generated in
blocks; each block has its own random stream (seed and block number) and its own ranges of
record ids and document numbers, renders its records per stream and hands back the lines
and tallies. A block also carries the small helpers every record family draws with.
"""

from __future__ import annotations

import bisect
import math
import random
from datetime import date

from collectors.citygen import (
    annual_reports,
    complaints,
    courts,
    debts,
    honours,
    inspections,
    licences,
    listings,
    penalties,
    registrations,
    triggers,
    versions,
)
from collectors.citygen.bad_records import BAD_REASONS, BAD_RECORD_SHARE, corrupt
from collectors.citygen.city_setup import CitySetup
from collectors.citygen.colours import COLOURS
from collectors.citygen.documents import DEPT_SHORT, SCJG_BRANCH_SHORT, decision_number
from collectors.citygen.places import CITY
from collectors.citygen.planning import plan
from collectors.citygen.rendering import Renderer
from collectors.citygen.spellings import fullwidth
from collectors.citygen.subjects import Subject, new_subject

SEQ_STRIDE = 10_000  # document and licence numbers of a block start at block * SEQ_STRIDE


class Block:
    """Generates the subjects of one block: their records rendered per stream, and the tallies.

    A block has its own random stream (seed and block number), so a city is the same whatever
    the number of worker processes; its sequence numbers start at the block's own base.
    """

    def __init__(self, setup: CitySetup, index: int, collect: bool):
        self.__dict__.update(vars(setup))  # the shared tables, as attributes (read in the hot loops)
        self.index = index
        self.collect = collect  # keep what the observer is told (subjects, bad records)
        self.rng = random.Random(f"citygen-{setup.seed}-{index}")
        self.r = self.rng.random
        self.streams: dict[str, dict[str, Renderer]] = {d.code: {} for d in self.departments}
        for (code, kind), spec in setup.specs.items():
            self.streams[code][kind] = Renderer(spec, index, self.rng, self.r)
        self.seq_base = index * SEQ_STRIDE
        self.bad: dict[str, int] = {reason: 0 for reason, _ in BAD_REASONS}
        self.versions = {"updated": 0, "stale_resent": 0, "deleted": 0, "fixed_after_quarantine": 0}
        self.types: dict[str, int] = {}
        self.statuses: dict[str, int] = {}
        self.colours = dict.fromkeys(COLOURS, 0)
        self.triggers: dict[str, int] = {}
        self.identified_by = {"uscc": 0, "organization_code": 0, "registration_number": 0}
        self.seqs: dict[tuple | str, int] = {}
        self.subjects_info: list[dict] = []
        self.bad_records: list[tuple[str, str, str, str, str]] = []
        self._scope_cache: dict[str, tuple[int, ...]] = {}

    def run(self, lo: int, hi: int) -> dict:
        """Generate subjects lo..hi-1; return their lines per stream and the block's tallies."""
        for i in range(lo, hi):
            self.subject(i)
        return {
            "index": self.index,
            "lines": {(code, kind): st.lines for code, d in self.streams.items() for kind, st in d.items()},
            "counts": {code: {k: st.count for k, st in d.items()} for code, d in self.streams.items()},
            "bad": self.bad,
            "versions": self.versions,
            "types": self.types,
            "statuses": self.statuses,
            "colours": self.colours,
            "triggers": self.triggers,
            "identified_by": self.identified_by,
            "subjects": self.subjects_info,
            "bad_records": self.bad_records,
        }

    # -- a subject's records
    def subject(self, i: int) -> None:
        """All records of subject `i`: registration, benign records of every kind, then its trigger."""
        s = new_subject(self, i)
        plan(self, s)
        self.types[s.type] = self.types.get(s.type, 0) + 1
        self.statuses[s.status] = self.statuses.get(s.status, 0) + 1
        self.colours[s.colour] += 1
        registrations.registration(self, s)
        licences.licences(self, s)
        annual_reports.annual_reports(self, s)
        if not s.quiet:
            inspections.inspections(self, s)
            complaints.complaints(self, s)
            penalties.benign_penalties(self, s)
            debts.arrears(self, s)
            debts.property_rights(self, s)
            courts.court_cases(self, s)
            listings.benign_listings(self, s)
            honours.honour(self, s)
            if s.trigger:
                triggers.TRIGGERS[s.trigger](self, s)
            versions.versions(self, s)
        if self.collect:
            self.subjects_info.append(_subject_info(s))

    # -- drawing
    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def pick_cdf(self, cdf: list[float]) -> int:
        return bisect.bisect_left(cdf, self.r())

    def poisson(self, mean: float) -> int:
        """A small Poisson count (Knuth), enough for per-subject record counts."""
        limit = math.exp(-mean)
        k = 0
        p = self.r()
        while p > limit:
            k += 1
            p *= self.r()
        return k

    def day(self, s: Subject, lo: int, hi: int, floor: int = 1) -> int | None:
        """A day between `hi` and `lo` days before as_of, not before the subject existed."""
        start = max(self.today - hi, s.established + floor)
        end = self.today - lo
        if start > end:
            return None
        return start + int(self.r() * (end - start + 1))

    def stamp_after(self, o: int, max_days: int = 6) -> int:
        """An updated_at (as int seconds) a few days after day `o`, never on or after as_of."""
        d = min(o + int(self.r() * max_days), self.today - 1)
        return d * 86400 + 28800 + int(self.r() * 36000)

    def morning_stamp(self) -> int:
        """A version written on the morning of as_of (corrections sent after the main files)."""
        return self.today * 86400 + 3600 + int(self.r() * 16000)

    # -- numbers and names departments give
    def doc_number(self, dept: str, year: int, kind: str = "处罚", district: str | None = None) -> str:
        """A decision number: 洪市监处罚〔2026〕101号, or with a district branch's prefix (红市监简罚…)."""
        key = (dept, year)
        n = self.seqs[key] = self.seqs.get(key, self.seq_base) + 1
        short = DEPT_SHORT.get(dept, "洪")
        if dept == "SCJG" and district in SCJG_BRANCH_SHORT and self.r() < 0.6:
            short = SCJG_BRANCH_SHORT[district]
        return decision_number(short, dept, year, kind, n)

    def next_number(self, series: str) -> int:
        """The next number of a licence's (or a register's) own series, from the block's base."""
        n = self.seqs[series] = self.seqs.get(series, self.seq_base) + 1
        return n

    def case_number(self, prefix: str, year: int, kind: str) -> str:
        """A court case number, (2025)赣0111民初123号, its brackets full- or half-width."""
        key = (prefix + kind, year)
        n = self.seqs[key] = self.seqs.get(key, self.seq_base) + 1
        if prefix == "赣01" and kind == "民初":
            kind = self.pick(("民初", "民终"))
        return f"（{year}）{prefix}{kind}{n}号" if self.r() < 0.6 else f"({year}){prefix}{kind}{n}号"

    def authority(self, dept: str, district: str) -> str:
        """The deciding authority: the market regulator's district branch, else the department."""
        name = self.dept[dept].name
        if dept == "SCJG":
            dname = self.districts.names[district]
            if dname.endswith("区") and district not in ("360112",):
                return f"{CITY}市市场监督管理局{dname[:-1]}分局"
            return f"{dname}市场监督管理局" if not dname.endswith("区") else f"{CITY}市{dname}市场监督管理局"
        return name

    def scope_matches(self, scope: str) -> tuple[int, ...]:
        """Catalogue entries (by index) whose keywords the business scope contains."""
        found = self._scope_cache.get(scope)
        if found is None:
            found = tuple(sorted({idx for kw, idx in self.keyword_index if kw in scope}))
            if len(self._scope_cache) > 50_000:
                self._scope_cache.clear()
            self._scope_cache[scope] = found
        return found

    # -- records
    def base(self, st: Renderer, year: int, updated: int) -> dict:
        """A record's first fields: its id, how the stream writes an upsert, its version."""
        return {"record_id": st.next_id(year), "op": st.style.op, "updated_at": updated}

    def identify(self, s: Subject, rec: dict, uscc_required: bool) -> None:
        """Name the subject: mostly by USCC (sometimes written loosely), else by a legacy code."""
        r = self.r
        x = r()
        if not uscc_required:
            if x < 0.025:
                rec["organization_code"] = s.org_code[:8] + "-" + s.org_code[8] if r() < 0.5 else s.org_code
                self.identified_by["organization_code"] += 1
                return
            if x < 0.05 and s.registration_number:
                rec["registration_number"] = s.registration_number
                self.identified_by["registration_number"] += 1
                return
        self.identified_by["uscc"] += 1
        u = s.uscc
        if x > 0.985:
            y = r()
            if y < 0.3:
                u = u.lower()
            elif y < 0.55:
                u = u[:16] + "-" + u[16:]
            elif y < 0.8:
                u = fullwidth(u)
            else:
                u = f"{u[:2]} {u[2:8]} {u[8:]}"
        rec["uscc"] = u
        if x < 0.08 and uscc_required:
            rec["organization_code"] = s.org_code

    def emit(self, dept: str, kind: str, rec: dict, benign: bool = True) -> None:
        """Render a record; a benign one is occasionally made bad the way departments get records wrong."""
        st = self.streams[dept][kind]
        if benign and self.r() < BAD_RECORD_SHARE:
            good = dict(rec) if kind == "registration" else None
            reason = corrupt(self.r, kind, st.column_set, rec)
            st.emit(rec)
            self.bad[reason] += 1
            if self.collect:
                written = st.text("updated_at", rec["updated_at"])
                self.bad_records.append((dept, kind, rec["record_id"], str(written), reason))
            if good is not None:  # the registry fixes a registration and sends it again
                good["updated_at"] = self.morning_stamp()
                st.emit(good, corrections=True)
                self.versions["fixed_after_quarantine"] += 1
            return
        st.emit(rec)

    def emit_correction(self, dept: str, kind: str, rec: dict) -> None:
        """Render a later version of a record into the stream's corrections file."""
        self.streams[dept][kind].emit(rec, corrections=True)


def _subject_info(s: Subject) -> dict:
    """What the observer is told about a subject."""
    return {
        "index": s.index,
        "uscc": s.uscc,
        "name": s.name,
        "subject_type": s.type,
        "colour": s.colour,
        "trigger": s.trigger,
        "status": s.status,
        "organization_code": s.org_code,
        "registration_number": s.registration_number,
        "department": s.registry,
        "established_on": date.fromordinal(s.established),
        "business_scope": s.scope,
    }
