"""联合惩戒 in the workspace: a regulator's checks (one, or an uploaded batch), the outcome its
department reports back, and new catalogue versions. The core's services decide and audit; this
module reads what people paste or upload and says who is asking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc

from warning_system.accounts.models import StaffProfile
from warning_system.registry.codes import compact_code
from warning_system.sanctions import measures
from warning_system.sanctions import selectors as sanctions_selectors
from warning_system.sanctions import services as sanctions
from warning_system.sanctions.models import JointCheck
from warning_system.sanctions.services import BatchResult, CheckResult, Requester, SanctionError
from warning_system.spreadsheets import SpreadsheetError, csv_rows, header_key, xlsx_rows

UPLOAD_EXTENSIONS = ("csv", "xlsx")
UPLOAD_MAX_BYTES = 5 * 1024 * 1024
CODE_HEADERS = ("统一社会信用代码", "社会信用代码", "信用代码", "uscc", "代码")
USE_HEADERS = ("事项", "核查事项", "用途", "应用领域", "use")
HEADER_SEARCH_ROWS = 5
ERRORS_SHOWN = 10

# The short names offices write for the shipped uses; a use's own key and label always work too.
USE_SHORT_NAMES = {
    "采购": "procurement",
    "招投标": "bidding", "投标": "bidding",
    "财政补贴": "subsidy", "补贴": "subsidy", "财政奖励": "subsidy",
    "荣誉评选": "honour", "荣誉": "honour", "评先评优": "honour", "守合同重信用": "honour",
    "融资": "financing", "授信": "financing", "贷款": "financing",
    "上市": "listing",
    "行政许可": "licensing", "行政审批": "licensing", "许可": "licensing", "审批": "licensing",
}  # fmt: skip


def use_spellings() -> dict[str, str]:
    """How people write a use in a sheet, for the uses of the catalogue in force: its key, its label
    as stored and as translated, and the short names (of uses still in force)."""
    in_force = sanctions_selectors.measures_in_effect(timezone.localdate())
    spellings = {written: use for written, use in USE_SHORT_NAMES.items() if use in in_force}
    for use in measures.uses_of(in_force):
        entry = in_force[use] if isinstance(in_force[use], dict) else {}
        for written in (use, str(entry.get("label") or ""), sanctions_selectors.use_label(use, in_force)):
            if written:
                spellings[written] = use
    return spellings


def joint_check(*, staff: StaffProfile, uscc: str, use: str) -> CheckResult:
    return sanctions.subject_check(uscc=uscc, use=use, requester=Requester.of_staff(staff))


def joint_batch(*, staff: StaffProfile, pairs: list[tuple[str, str]]) -> BatchResult:
    return sanctions.subjects_check(pairs=pairs, requester=Requester.of_staff(staff))


def joint_outcome(*, staff: StaffProfile, check: JointCheck, action: str, on: date, note: str) -> JointCheck:
    return sanctions.outcome_report(
        check=check, action=action, on=on, note=note, requester=Requester.of_staff(staff)
    )


def joint_catalogue_publish(*, staff: StaffProfile, measures_data: dict, effective_from: date, note: str):
    return sanctions.catalogue_publish(
        measures_data=measures_data, effective_from=effective_from, author=staff.user, note=note
    )


# --------------------------------------------------------------------------- reading a batch


@dataclass(frozen=True)
class Line:
    number: int  # as the user counts: the file's row, or the pasted line
    code: str
    use: str  # as written (blank: the form's default)


def _use_of(written: str, default: str, spellings: dict[str, str]) -> str | None:
    written = (written or "").strip()
    if not written:
        return default
    return spellings.get(written) or spellings.get(written.lower())


def pairs_of(lines: list[Line], default_use: str) -> list[tuple[str, str]]:
    """(uscc, use) of every line, or SanctionError naming the lines that are wrong (all of them are
    checked, so the user fixes the file once)."""
    problems, pairs = [], []
    spellings = use_spellings()
    for line in lines:
        code = compact_code(line.code)
        use = _use_of(line.use, default_use, spellings)
        if not stdnum_uscc.is_valid(code):
            problems.append(
                _("第 %(n)s 行：“%(code)s”不是有效的统一社会信用代码") % {"n": line.number, "code": line.code}
            )
        elif use is None:
            problems.append(_("第 %(n)s 行：无法识别的事项“%(use)s”") % {"n": line.number, "use": line.use})
        else:
            pairs.append((code, use))
    if problems:
        shown = "；".join(problems[:ERRORS_SHOWN])
        more = (
            _("（另有 %(n)s 处错误）") % {"n": len(problems) - ERRORS_SHOWN}
            if len(problems) > ERRORS_SHOWN
            else ""
        )
        raise SanctionError("invalid_lines", shown + more)
    if not pairs:
        raise SanctionError("empty", _("没有可核查的统一社会信用代码。"))
    return list(dict.fromkeys(pairs))


def lines_from_text(text: str) -> list[Line]:
    """One subject per line: “USCC” or “USCC,事项” (comma, tab, full-width comma)."""
    lines = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        cells = [c.strip() for c in raw.replace("，", ",").replace("\t", ",").split(",")]
        if cells and cells[0]:
            lines.append(Line(number, cells[0], cells[1] if len(cells) > 1 else ""))
    return lines


def _columns(rows: list[list[str]]) -> tuple[int, int, int | None]:
    """(first data row, code column, use column or None): by header among the first rows, else
    codes in the first column and, if there is one, the use in the second."""
    for position, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = [header_key(cell) for cell in row]
        code_column = next((keys.index(h) for h in CODE_HEADERS if h in keys), None)
        if code_column is not None:
            use_column = next((keys.index(h) for h in USE_HEADERS if h in keys), None)
            return position + 1, code_column, use_column
    return 0, 0, 1


def lines_from_upload(name: str, data: bytes) -> list[Line]:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_EXTENSIONS:
        raise SanctionError("bad_file", _("仅支持 .csv 和 .xlsx 文件（.xls 请另存为 .xlsx）。"))
    if len(data) > UPLOAD_MAX_BYTES:
        raise SanctionError("bad_file", _("文件过大（最大 %(mb)s MB）。") % {"mb": UPLOAD_MAX_BYTES // 2**20})
    try:
        rows = csv_rows(data) if extension == "csv" else xlsx_rows(data)
    except SpreadsheetError as exc:
        raise SanctionError("bad_file", exc.message) from None
    start, code_column, use_column = _columns(rows)
    lines = []
    for number, row in enumerate(rows[start:], start=start + 1):
        code = row[code_column].strip() if code_column < len(row) else ""
        use = row[use_column] if use_column is not None and use_column < len(row) else ""
        if code:
            lines.append(Line(number, code, use))
    return lines
