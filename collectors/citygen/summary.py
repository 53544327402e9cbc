"""What a generated city holds, in numbers: the summary `generate_city` returns and the command prints.

Why: a demo or a benchmark run states what it was made of — records per kind and
department, target colours against the Jiangxi mix, bad records by reason, versions, files
by format and encoding — and tests compare these with what they read back from the files.
"""

from __future__ import annotations

from pathlib import Path

from collectors.citygen.colours import COLOUR_MIX, GREEN_SHARE
from collectors.citygen.streams import StreamSpec


def file_entry(out: Path, spec: StreamSpec, role: str, path: Path, records: int) -> dict:
    """One written file, as the summary's file list shows it."""
    st = spec.style
    return {
        "path": path.relative_to(out).as_posix(),
        "department": spec.dept.code,
        "kind": spec.kind,
        "role": role,
        "records": records,
        "format": st.format,
        "encoding": st.encoding,
        "header": st.header if st.format == "csv" else ("code" if st.header == "code" else "key"),
        "gzip": st.gzip,
        "bytes": path.stat().st_size,
    }


def _tally(files: list[dict], key: str) -> dict:
    out: dict = {}
    for f in files:
        out[str(f[key])] = out.get(str(f[key]), 0) + 1
    return dict(sorted(out.items()))


def _files_summary(files: list[dict]) -> dict:
    roles: dict[str, int] = {}
    for f in files:
        roles[f["role"]] = roles.get(f["role"], 0) + f["records"]
    return {
        "records_by_role": roles,
        "files": len(files),
        "bytes": sum(f["bytes"] for f in files),
        "files_by_format": _tally(files, "format"),
        "files_by_encoding": _tally(files, "encoding"),
        "files_by_header": _tally(files, "header"),
        "gzipped_files": sum(1 for f in files if f["gzip"]),
    }


def city_summary(setup, max_per_file: int, totals: dict, files: list[dict], resent_records: int) -> dict:
    """The summary of a city, its keys in the order the command and tools have always read them."""
    n = setup.n
    by_kind: dict[str, int] = {}
    for kinds in totals["counts"].values():
        for k, v in kinds.items():
            by_kind[k] = by_kind.get(k, 0) + v
    written = sum(by_kind.values())
    total = written + resent_records
    bad = sum(totals["bad"].values())
    colours = totals["colours"]
    of_files = _files_summary(files)
    return {
        "subjects": n,
        "seed": setup.seed,
        "as_of": setup.as_of.isoformat(),
        "max_records_per_file": max_per_file,
        "records": total,
        "records_per_subject": round(total / n, 2),
        "records_by_role": of_files["records_by_role"],
        "files": of_files["files"],
        "bytes": of_files["bytes"],
        "target_colours": colours,
        "target_colour_share": {c: round(v / n, 4) for c, v in colours.items()},
        "jiangxi_2020_mix": {"green": round(GREEN_SHARE, 4), **COLOUR_MIX},
        "triggers": dict(sorted(totals["triggers"].items())),
        "subject_types": dict(sorted(totals["types"].items())),
        "statuses": dict(sorted(totals["statuses"].items())),
        "by_department": totals["counts"],
        "by_kind": dict(sorted(by_kind.items())),
        "files_by_format": of_files["files_by_format"],
        "files_by_encoding": of_files["files_by_encoding"],
        "files_by_header": of_files["files_by_header"],
        "gzipped_files": of_files["gzipped_files"],
        "bad_records": bad,
        "bad_share": round(bad / max(1, written), 5),
        "bad_by_reason": totals["bad"],
        "versions": totals["versions"],
        "resent_files": 1 if resent_records else 0,
        "resent_records": resent_records,
        "identified_by": totals["identified_by"],
        "file_list": files,
    }
