"""The demo city generator: reproducible, complete, realistic, and exactly as bad and as coloured as it says.

The city is read back the way the collectors read it (`read_items` + `HeaderMap` +
`RecordNormalizer`), and its colours are recomputed here from docs/rules.md §2, independently of
the generator, as of the city's as-of day. No database: the generator is pure Python.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from stdnum.cn import ric, uscc

from collectors import citygen
from collectors.citygen import CityObserver, generate_city, target_colour_counts
from collectors.normalize import Normalized, RecordNormalizer, clean_text, organization_code_check
from collectors.parsers import HeaderMap, open_binary, parse_file_name, read_items
from warning_system.registry import contract

AS_OF = date(2026, 11, 27)
SEED = 20260
SUBJECTS = 2_000
JIANGXI_2020 = {"green": 0.84, "yellow": 0.1165, "orange": 0.016, "red": 0.024}


class Recorder(CityObserver):
    def __init__(self):
        self.subjects: dict[str, dict] = {}
        self.bad: dict[tuple[str, str, str, str], str] = {}

    def subject(self, info: dict) -> None:
        self.subjects[info["uscc"]] = info

    def bad_record(self, department, kind, record_id, updated_at, reason) -> None:
        self.bad[department, kind, record_id, updated_at] = reason


def read_city(folder: Path):
    """Every record of every file, as the collectors read it: (department, file, item fields, raw)."""
    for path in sorted(folder.glob("*/*")):
        name = parse_file_name(path.name)
        assert name is not None, f"{path.name} does not follow the file name convention"
        header_map = HeaderMap(name.kind)
        with open_binary(path, name.gzipped) as stream:
            for item in read_items(stream, name.format, name.kind, header_map):
                assert item.fields is not None, f"{path.name} #{item.position}: {item.error}"
                yield path.parent.name, path, name.kind, item.fields, item.raw


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    folder = tmp_path_factory.mktemp("city")
    recorder = Recorder()
    summary = generate_city(folder, SUBJECTS, SEED, AS_OF, observer=recorder)
    normalizers = {key: RecordNormalizer(kind) for key, kind in contract.KINDS.items()}
    records = []
    for dept, path, kind, fields, raw in read_city(folder):
        version = fields.get("updated_at")
        key = (dept, kind, str(fields.get("record_id")), str(version))
        records.append((key, path, fields, raw, normalizers[kind].normalize(fields)))
    return folder, summary, recorder, records


# --------------------------------------------------------------------------- reproducible


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_the_same_bytes_whatever_the_workers(tmp_path, monkeypatch):
    # Several blocks, so workers really share the work.
    monkeypatch.setattr(citygen.city, "BLOCK_SUBJECTS", 120)
    one = generate_city(tmp_path / "one", 400, 5, AS_OF, max_records_per_file=700, workers=1)
    two = generate_city(tmp_path / "two", 400, 5, AS_OF, max_records_per_file=700, workers=2)
    other = generate_city(tmp_path / "other", 400, 6, AS_OF, max_records_per_file=700, workers=1)
    first = file_bytes(tmp_path / "one")
    assert first == file_bytes(tmp_path / "two")
    assert one == two
    assert first != file_bytes(tmp_path / "other")
    assert other["records"] != one["records"] or other["target_colours"] != one["target_colours"]


def test_files_rotate_at_the_maximum_and_keep_every_record(tmp_path):
    whole = generate_city(tmp_path / "whole", 300, 9, AS_OF)
    parts = generate_city(tmp_path / "parts", 300, 9, AS_OF, max_records_per_file=100)
    assert max(f["records"] for f in parts["file_list"]) == 100
    assert parts["records"] == whole["records"]
    assert parts["files"] > whole["files"]
    names = [f["path"] for f in parts["file_list"]]
    assert any(re.search(r"_\d{14}_0002\.", n) for n in names)
    assert parts["by_kind"] == whole["by_kind"]
    resent = next(f for f in parts["file_list"] if f["role"] == "resent")
    counted = Counter(k for _, _, k, _, _ in read_city(tmp_path / "parts"))
    assert counted == Counter(parts["by_kind"]) + Counter({resent["kind"]: resent["records"]})


# --------------------------------------------------------------------------- complete


def test_every_department_sends_every_kind_it_sends_and_nothing_else(city):
    folder, summary, _, records = city
    sent = Counter((key[0], key[1]) for key, *_ in records)
    for dept in citygen.load_departments():
        for kind in dept.kinds:
            assert sent[dept.code, kind] > 0, f"{dept.code} sent no {kind}"
        for path in (folder / dept.code).iterdir():
            assert parse_file_name(path.name).kind in dept.kinds, path
    assert sum(sent.values()) == summary["records"]
    expected = {(d, k): n for d, kinds in summary["by_department"].items() for k, n in kinds.items()}
    resent = next(f for f in summary["file_list"] if f["role"] == "resent")
    expected[resent["department"], resent["kind"]] += resent["records"]
    assert dict(sent) == expected


def test_registrations_come_from_their_registries_with_valid_codes(city):
    _, _, recorder, records = city
    prefixes = {"SCJG": ("91", "92", "93"), "MZJ": ("51", "52", "53"), "BB": ("11", "12")}
    seen = Counter()
    for key, _, _, _, result in records:
        if key[1] != "registration" or not isinstance(result, Normalized):
            continue
        code = result.values["uscc"]
        assert code[:2] in prefixes[key[0]], (key, code)
        seen[code[:2]] += 1
        assert uscc.is_valid(code)
        assert organization_code_check(code[8:16]) == code[16]
        assert result.values["district_code"] in {c for c, _ in citygen.load_districts()}
        if result.values.get("registration_number"):
            assert result.values["established_on"] < date(2015, 10, 1)
        assert ric.is_valid(result.personal["legal_rep_id_number"]), result.personal
    assert set(seen) == {p for ps in prefixes.values() for p in ps}
    assert set(recorder.subjects) == {
        r[4].values["uscc"] for r in records if r[0][1] == "registration" and isinstance(r[4], Normalized)
    }


def test_all_formats_encodings_and_header_styles_are_written(city):
    folder, summary, _, _ = city
    formats, encodings, headers, gzipped = set(), set(), set(), set()
    for path in folder.glob("*/*"):
        name = parse_file_name(path.name)
        formats.add(name.format)
        if name.gzipped:
            gzipped.add(name.format)
        data = gzip.decompress(path.read_bytes()) if name.gzipped else path.read_bytes()
        if not data:
            continue
        if name.format == "csv":
            encodings.add(("csv", sniff(data)))
            text = data.decode(sniff(data))
            headers.add(
                ("csv", header_style(name.kind, next(iter(__import__("csv").reader(io.StringIO(text))))))
            )
        elif name.format == "xml":
            declared = re.match(rb'<\?xml[^>]*encoding="([^"]+)"', data)[1].decode().lower()
            data.decode(declared)
            encodings.add(("xml", declared))
            headers.add(("xml", "code" if re.search(rb"<(XK|CF)_", data) else "key"))
        else:
            first = json.loads(data.decode("utf-8").splitlines()[0])
            headers.add(("jsonl", "code" if any(k.startswith(("XK_", "CF_")) for k in first) else "key"))
    assert formats == {"csv", "jsonl", "xml"}
    assert gzipped == {"csv", "jsonl", "xml"}
    assert {e for f, e in encodings if f == "csv"} == {"utf-8", "utf-8-sig", "gb18030"}
    assert {e for f, e in encodings if f == "xml"} == {"utf-8", "gb18030"}
    assert {h for f, h in headers if f == "csv"} == {"key", "code", "label"}
    assert {h for f, h in headers if f != "csv"} == {"key", "code"}
    assert summary["files"] == len(list(folder.glob("*/*")))


def sniff(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        data.decode("gb18030")
        return "gb18030"


def header_style(kind: str, header: list[str]) -> str:
    fields = contract.KINDS[kind].fields
    keys = {f.key for f in fields}
    codes = {a for f in fields for a in f.aliases if a.isascii() and a.isupper()}
    cells = [c.lstrip("\ufeff") for c in header]
    if any(c in codes for c in cells):
        return "code"
    known = [c for c in cells if c in keys or any(c in f.aliases for f in fields)]
    return "key" if all(c in keys for c in known) else "label"


def test_values_are_written_the_ways_departments_write_them(city):
    _, summary, recorder, records = city
    dates, amounts, enums, separators, usccs, legacy = (
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
        Counter(),
    )
    for key, path, fields, _, result in records:
        kind = contract.KINDS[key[1]]
        for f in kind.fields:
            value = fields.get(f.key)
            if not isinstance(value, str) or not value:
                continue
            if f.type == contract.DATE:
                dates[date_style(value)] += 1
            elif f.type == contract.AMOUNT and "," in value:
                amounts["thousands"] += 1
            elif f.type == contract.ENUM and f.enum in ("subject_type", "arrears_type"):
                enums["code" if value.isascii() else "label"] += 1
            elif f.type == contract.MULTI_ENUM:
                separators.update(c for c in ";；、" if c in value)
        if "_resent" in path.name or not isinstance(result, Normalized) or result.delete:
            continue
        code = clean_text(fields.get("uscc"))
        if code:
            usccs[
                "lower"
                if code != code.upper()
                else "full-width"
                if not code.isascii()
                else "spaced"
                if re.search(r"[\s-]", code)
                else "plain"
            ] += 1
        elif clean_text(fields.get("organization_code")):
            legacy["organization_code"] += 1
        elif clean_text(fields.get("registration_number")):
            legacy["registration_number"] += 1
        if isinstance(result, Normalized):
            for p in ("legal_rep_id_number",):
                if p in result.personal:
                    assert ric.is_valid(result.personal[p])
    assert {"iso", "slash", "compact", "chinese"} <= set(dates)
    assert amounts["thousands"] > 0
    assert enums["code"] > 0 and enums["label"] > 0
    assert set(separators) == {";", "；", "、"}
    assert {"plain", "lower", "full-width", "spaced"} <= set(usccs)
    assert legacy["organization_code"] > 0 and legacy["registration_number"] > 0
    # the generator counts every subject reference it wrote, good or deliberately bad
    assert (
        0
        <= summary["identified_by"]["organization_code"] - legacy["organization_code"]
        <= summary["bad_records"]
    )
    assert (
        0
        <= summary["identified_by"]["registration_number"] - legacy["registration_number"]
        <= summary["bad_records"]
    )


def date_style(value: str) -> str:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return "iso"
    if re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", value):
        return "slash"
    if re.fullmatch(r"\d{8}", value):
        return "compact"
    if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", value):
        return "chinese"
    return "other"


def test_about_twelve_records_per_subject(city):
    _, summary, _, records = city
    assert len(records) == summary["records"]
    assert 10.5 <= len(records) / SUBJECTS <= 13.5
    assert summary["by_kind"]["annual_report"] < 0.5 * summary["records"]


def test_realistic_names_and_documents(city):
    _, _, recorder, records = city
    names = [s["name"] for s in recorder.subjects.values()]
    assert any(n.endswith("有限公司") and n.startswith(("南昌", "江西")) for n in names)
    assert any(n.endswith("专业合作社") for n in names)
    assert any(
        n.endswith(("协会", "商会", "学会", "基金会", "学校", "幼儿园", "养老服务中心", "门诊部"))
        for n in names
    )
    assert any(re.search(r"(局|人民政府|办事处|委员会)$", n) for n in names)
    assert len(set(names)) > 0.95 * len(names)
    good = [(r[0][1], r[4].values) for r in records if isinstance(r[4], Normalized) and not r[4].delete]
    docs = [v["document_number"] for kind, v in good if kind == "penalty"]
    assert any(re.fullmatch(r"洪市监处罚〔20\d\d〕\d+号", d) for d in docs)
    assert any(re.fullmatch(r"[东西青湖新红安进]市监简罚〔20\d\d〕\d+号", d) for d in docs)
    cases = [v["case_number"] for kind, v in good if kind == "court_judgment"]
    assert all(re.fullmatch(r"[(（]20\d\d[)）]赣01\d{0,2}(民初|民终|执|行初)\d+号", c) for c in cases), cases[
        :5
    ]
    scopes = [s["business_scope"] for s in recorder.subjects.values()]
    catalogue = [k for e in citygen.load_catalog() for k in e.keywords]
    hitting = sum(1 for scope in scopes if any(k in scope for k in catalogue))
    assert 0.3 < hitting / len(scopes) < 0.9


# --------------------------------------------------------------------------- exactly as bad as it says


def test_good_records_pass_the_normaliser_and_bad_ones_fail_for_their_reason(city):
    _, summary, recorder, records = city
    failing_good, passing_bad = [], []
    for key, path, _, _, result in records:
        reason = recorder.bad.get(key)
        problems = [p.code for p in result] if isinstance(result, list) else []
        if reason is None and problems:
            failing_good.append((path.name, key, problems))
        if reason is not None and reason not in problems:
            passing_bad.append((path.name, key, reason, problems))
    assert failing_good == []
    assert passing_bad == []
    bad_seen = sum(1 for key, *_ in records if key in recorder.bad)
    assert bad_seen == len(recorder.bad) == summary["bad_records"]
    assert Counter(recorder.bad.values()) == Counter({k: v for k, v in summary["bad_by_reason"].items() if v})
    assert 0.003 <= summary["bad_records"] / summary["records"] <= 0.007
    assert len(Counter(recorder.bad.values())) == len(citygen._BAD_REASONS)


def test_record_ids_are_unique_per_department_and_kind_except_versions(city):
    _, summary, _, records = city
    versions = Counter((key[0], key[1], key[2]) for key, *_ in records)
    repeated = sum(n - 1 for n in versions.values())
    v = summary["versions"]
    expected = (
        v["updated"]
        + v["stale_resent"]
        + v["deleted"]
        + v["fixed_after_quarantine"]
        + summary["resent_records"]
    )
    assert repeated == expected
    assert 0 < repeated < 0.01 * len(records)


# --------------------------------------------------------------------------- exactly as coloured as it says


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, 28))


RESTRICTIVE = {"revoke_license", "order_closure", "order_suspension", "restrict_practice"}
HEAVIER = {
    "confiscate_illegal_gains",
    "confiscate_illegal_property",
    "suspend_license",
    "lower_qualification",
    "restrict_production",
}


def colours_by_rules(records, today: date) -> dict[str, str]:
    """docs/rules.md §2, read independently of the generator: the newest version of each record counts."""
    newest: dict[tuple, tuple] = {}
    for key, _, _, _, result in records:
        if not isinstance(result, Normalized):
            continue
        ident = key[:3]
        if ident not in newest or result.updated_at > newest[ident][1].updated_at:
            newest[ident] = (key[1], result)
    live = [(kind, r.values) for kind, r in newest.values() if not r.delete]
    registry = {v["uscc"]: v for kind, v in live if kind == "registration"}
    by_org = {u[8:17]: u for u in registry}
    by_regno = {v["registration_number"]: u for u, v in registry.items() if v.get("registration_number")}
    level = dict.fromkeys(registry, 0)
    failures: Counter = Counter()

    def flag(subject: str | None, colour: int) -> None:
        assert subject in level, f"a record about an unknown subject {subject}"
        level[subject] = max(level[subject], colour)

    for kind, v in live:
        subject = (
            v.get("uscc")
            or by_org.get(v.get("organization_code"))
            or by_regno.get(v.get("registration_number"))
        )
        red = (
            (kind == "registration" and v["status"] == "revoked")
            or (kind in ("serious_violation", "dishonest_debtor") and not v.get("removed_on"))
            or (
                kind == "court_judgment"
                and v.get("refuses_to_perform")
                and add_years(v["judged_on"], 3) > today
            )
        )
        if red:
            flag(subject, 3)
        elif kind == "abnormal_listing" and not v.get("removed_on"):
            flag(subject, 2)
        elif kind == "penalty":
            cats = set(v["penalty_categories"])
            if cats == {"warning"}:
                continue
            heavier = cats & HEAVIER or (
                v.get("procedure") == "ordinary" and (v.get("fine_amount") or 0) >= 10
            )
            if cats & RESTRICTIVE and add_years(v["decided_on"], 3) > today:
                flag(subject, 3)
            elif heavier and add_years(v["decided_on"], 3) > today:
                flag(subject, 2)
            elif add_years(v["decided_on"], 1) > today:
                flag(subject, 1)
        elif kind == "inspection" and add_years(v["inspected_on"], 1) > today:
            if v["result"] in ("false_disclosure", "unreachable", "refused"):
                flag(subject, 2)
            elif v["result"] in ("corrected", "undisclosed"):
                flag(subject, 1)
        elif kind == "arrears" and not v.get("settled_on"):
            long = v["arrears_type"] in ("tax", "wages") and add_months(v["since"], 6) <= today
            flag(subject, 2 if long else 1)
        elif kind == "complaint" and v.get("mediation_result") == "failure":
            if add_years(v["received_on"], 1) > today:
                failures[subject] += 1
        elif subject is not None:
            assert subject in level, f"{kind} about an unknown subject"
    for subject, n in failures.items():
        if n >= 3:
            flag(subject, 1)
    names = ("green", "yellow", "orange", "red")
    return {subject: names[n] for subject, n in level.items()}


def test_every_subject_has_exactly_its_target_colour_by_the_rules(city):
    _, _, recorder, records = city
    computed = colours_by_rules(records, AS_OF)
    wrong = {
        u: (s["colour"], computed.get(u), s["trigger"])
        for u, s in recorder.subjects.items()
        if computed.get(u) != s["colour"]
    }
    assert wrong == {}
    assert len(computed) == SUBJECTS


def test_the_colour_mix_is_the_jiangxi_2020_mix(city):
    _, summary, recorder, _ = city
    counts = Counter(s["colour"] for s in recorder.subjects.values())
    assert dict(counts) == {c: n for c, n in summary["target_colours"].items() if n}
    assert summary["target_colours"] == target_colour_counts(SUBJECTS, SEED)
    for colour, share in JIANGXI_2020.items():
        assert abs(counts[colour] / SUBJECTS - share) <= 0.005, (colour, counts[colour])
    # every colour is reached in more than one way
    triggers = Counter(t.split(":")[0] for t in summary["triggers"])
    assert triggers["red"] >= 4 and triggers["orange"] >= 3 and triggers["yellow"] >= 4


def test_target_colour_counts_follow_the_mix_at_any_size():
    for n in (100, 1_000, 50_000):
        counts = target_colour_counts(n, 3)
        assert sum(counts.values()) == n
        exact = {**citygen.COLOUR_MIX, "green": 1 - sum(citygen.COLOUR_MIX.values())}
        for colour, share in exact.items():  # a low-discrepancy sequence: off by a few subjects at most
            assert abs(counts[colour] - share * n) <= 3 + 0.0005 * n, (n, colour, counts)


# --------------------------------------------------------------------------- the command


def test_the_command_prints_a_summary_and_json(tmp_path):
    out = io.StringIO()
    call_command(
        "generate_city",
        "--subjects",
        "120",
        "--seed",
        "4",
        "--out",
        str(tmp_path / "a"),
        "--as-of",
        "2026-11-27",
        "--workers",
        "1",
        stdout=out,
    )
    text = out.getvalue()
    assert "120 subjects" in text and "target colours" in text and "deliberately bad records" in text
    out = io.StringIO()
    call_command(
        "generate_city",
        "--subjects",
        "120",
        "--seed",
        "4",
        "--out",
        str(tmp_path / "b"),
        "--as-of",
        "2026-11-27",
        "--json",
        "--workers",
        "1",
        stdout=out,
    )
    summary = json.loads(out.getvalue())
    assert summary["subjects"] == 120 and summary["as_of"] == "2026-11-27"
    assert file_bytes(tmp_path / "a") == file_bytes(tmp_path / "b")
    with pytest.raises(CommandError, match="unread feed files"):
        call_command("generate_city", "--subjects", "10", "--out", str(tmp_path / "a"), stdout=io.StringIO())
