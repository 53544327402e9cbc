"""Reads for the colour engine: the ruleset of a day, and the records its rules can still use."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from warning_system.registry.models import RECORD_MODELS, EvaluationMark, Subject

from . import rules
from .models import ColourVerification, RepairApplication, RepairStatus, Ruleset, SubjectColour

# Fields each kind's rules read (beside id, department_id, record_id, subject_uscc).
RULE_FIELDS = {
    "registration": ("status", "approved_on"),
    "penalty": ("penalty_categories", "procedure", "fine_amount", "decided_on", "penalty_valid_to",
                "violation_type", "document_number"),
    "abnormal_listing": ("listed_on", "removed_on", "listing_reason"),
    "serious_violation": ("listed_on", "removed_on", "listing_reason"),
    "dishonest_debtor": ("published_on", "removed_on", "case_number"),
    "court_judgment": ("judged_on", "refuses_to_perform", "case_number"),
    "inspection": ("inspected_on", "result"),
    "arrears": ("arrears_type", "since", "settled_on", "amount"),
    "complaint": ("received_on", "mediation_result"),
}  # fmt: skip
BASE_FIELDS = ("id", "department_id", "record_id", "subject_id")


def ruleset_for(day: date) -> Ruleset:
    """The newest version in effect on `day` (the seed version is effective from the start)."""
    ruleset = Ruleset.objects.filter(effective_from__lte=day).order_by("-effective_from", "-version").first()
    return ruleset or Ruleset.objects.order_by("version").first()


def _candidate_filter(kind: str, ruleset_rules: list[dict], day: date) -> Q:
    """Records of `kind` that some rule could still use on `day` or later (time only moves on)."""
    of_kind = [r for r in ruleset_rules if rules._rule_kind(r) == kind]
    if not of_kind:
        return Q(pk__in=[])
    q = Q()
    if kind == "penalty":
        years = max(r["years"] for r in of_kind)
        q = Q(decided_on__gt=rules.add_years(day, -years)) | Q(penalty_valid_to__gte=day)
    elif kind in ("abnormal_listing", "serious_violation", "dishonest_debtor"):
        q = Q(removed_on__isnull=True) | Q(removed_on__gt=day)
    elif kind == "court_judgment":
        q = Q(refuses_to_perform=True, judged_on__gt=rules.add_years(day, -max(r["years"] for r in of_kind)))
    elif kind == "inspection":
        results = sorted({x for r in of_kind for x in r["results"]})
        q = Q(result__in=results, inspected_on__gt=rules.add_years(day, -max(r["years"] for r in of_kind)))
    elif kind == "arrears":
        q = Q(settled_on__isnull=True) | Q(settled_on__gt=day)
    elif kind == "complaint":
        months = max(r["months"] for r in of_kind)
        q = Q(mediation_result="failure", received_on__gt=rules.add_months(day, -months))
    elif kind == "registration":
        statuses = sorted({s for r in of_kind for s in r["statuses"]})
        q = Q(status__in=statuses, subject__status__in=statuses)
    return q & Q(withdrawn=False, subject__isnull=False)


def repaired_records(kind: str, record_pks: Iterable[int]) -> set[int]:
    return set(
        RepairApplication.objects.filter(
            kind=kind, record_pk__in=list(record_pks), status=RepairStatus.APPROVED
        ).values_list("record_pk", flat=True)
    )


def rule_records(
    ruleset_rules: list[dict], day: date, usccs: list[str] | None = None,
    uscc_range: tuple[str, str] | None = None,
) -> dict[str, dict[str, list[dict]]]:  # fmt: skip
    """uscc -> kind -> records (dicts) that the rules may use on `day` or later.

    With `usccs`, only those subjects; with `uscc_range` (first, last), the subjects between them
    (a share of the full recompute); with neither, the whole city.
    """
    by_subject: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for kind in rules.RULE_KINDS:
        model = RECORD_MODELS[kind]
        queryset = model.objects.filter(_candidate_filter(kind, ruleset_rules, day))
        if usccs is not None:
            queryset = queryset.filter(subject_id__in=usccs)
        if uscc_range is not None:
            queryset = queryset.filter(subject_id__gte=uscc_range[0], subject_id__lte=uscc_range[1])
        records = list(queryset.values(*BASE_FIELDS, *RULE_FIELDS[kind]))
        if not records:
            continue
        repaired = (
            repaired_records(kind, [r["id"] for r in records])
            if kind in ("penalty", "abnormal_listing")
            else ()
        )
        for record in records:
            if record["id"] in repaired:
                continue
            by_subject[record["subject_id"]][kind].append(record)
    return by_subject


def subject_records(uscc: str, ruleset_rules: list[dict], day: date) -> Mapping[str, list[dict]]:
    return rule_records(ruleset_rules, day, [uscc]).get(uscc, {})


def all_subject_usccs() -> list[str]:
    return list(Subject.objects.filter(withdrawn=False).values_list("uscc", flat=True))


def registered(usccs: Iterable[str]) -> list[str]:
    return sorted(Subject.objects.filter(uscc__in=list(set(usccs))).values_list("uscc", flat=True))


def evaluation_marks(
    *, after_seq: int = 0, limit: int | None = None, uscc_range: tuple[str, str] | None = None
) -> list[tuple[str, int]]:
    """(uscc, seq) of the subjects waiting in the evaluation outbox, oldest mark first: those marked
    after `after_seq`, or those within a USCC range (a share of a whole-city pass)."""
    marks = EvaluationMark.objects.filter(seq__gt=after_seq)
    if uscc_range is not None:
        marks = marks.filter(uscc__gte=uscc_range[0], uscc__lte=uscc_range[1])
    marks = marks.order_by("seq").values_list("uscc", "seq")
    return list(marks[:limit] if limit else marks)


def published_colours(*, uscc_range: tuple[str, str]) -> dict[str, tuple[str, dict]]:
    """uscc -> (colour, stored explanation) of the subjects in a USCC range, as published."""
    rows = SubjectColour.objects.filter(subject_id__gte=uscc_range[0], subject_id__lte=uscc_range[1])
    return {uscc: (colour, explanation) for uscc, colour, explanation in
            rows.values_list("subject_id", "colour", "explanation").iterator(chunk_size=20_000)}  # fmt: skip


def evaluation_backlog() -> int:
    return EvaluationMark.objects.count()


def latest_verification() -> ColourVerification | None:
    """The newest run of the colour watchdog (classify --verify), for the dashboard."""
    return ColourVerification.objects.order_by("-started_at").first()


def colour_counts() -> dict[str, int]:
    counts = dict.fromkeys(rules.COLOURS, 0)
    rows = SubjectColour.objects.filter(subject__withdrawn=False).values("colour").annotate(n=Count("pk"))
    for row in rows.order_by():
        counts[row["colour"]] = row["n"]
    return counts


def due_subjects(day: date) -> list[str]:
    """Subjects whose colour changes on or before `day` without new data."""
    return list(SubjectColour.objects.filter(next_change_on__lte=day).values_list("subject_id", flat=True))


# --------------------------------------------------------------------------- pre-warnings (预警提醒)


@dataclass(frozen=True)
class PreWarning:
    """Shown to the subject and its regulators; never a colour (docs/rules.md §4)."""

    code: str
    uscc: str
    department_id: str
    due_on: date
    message: str


def _licences_expiring(day: date, days: int, q: Q) -> list[PreWarning]:
    rows = (
        RECORD_MODELS["license"]
        .objects.filter(
            q,
            withdrawn=False,
            subject__isnull=False,
            valid_to__gte=day,
            valid_to__lte=day + timedelta(days=days),
        )
        .exclude(status__in=["invalid", "cancelled", "withdrawn", "revoked"])
    )
    return [
        PreWarning("licence_expiring", r.subject_id, r.department_id, r.valid_to,
                   _("许可“%(name)s”将于 %(day)s 到期") % {"name": r.certificate_name or r.document_number,
                                                        "day": r.valid_to})
        for r in rows.only("subject_id", "department_id", "valid_to", "certificate_name", "document_number")
    ]  # fmt: skip


def _annual_reports_missing(day: date, q: Q) -> list[PreWarning]:
    """After 30 June: market subjects established before this year without last year's report."""
    deadline = date(day.year, 6, 30)
    if day <= deadline:
        return []
    year = day.year - 1
    # An anti-join (NOT EXISTS), not NOT IN: for one subject's page it is one index probe, where
    # NOT IN hashed every report of the year first (~150 ms at 100,000 subjects).
    filed = RECORD_MODELS["annual_report"].objects.filter(
        subject_id=OuterRef("uscc"), year=year, withdrawn=False
    )
    subjects = (
        Subject.objects.filter(q, withdrawn=False, established_on__lt=date(day.year, 1, 1))
        .filter(status__in=["existing", "operating"], subject_type__in=["enterprise", "farmer_cooperative",
                                                                         "individual_business"])
        .filter(~Exists(filed))
    )  # fmt: skip
    return [
        PreWarning("annual_report_missing", s.uscc, s.registered_by_id, deadline,
                   _("%(year)s 年度报告未在 %(day)s 前报送") % {"year": year, "day": deadline})
        for s in subjects.only("uscc", "registered_by_id")
    ]  # fmt: skip


def _abnormal_reaching_three_years(day: date, days: int, q: Q) -> list[PreWarning]:
    """Listings that reach 3 years within `days` move to the serious-violation list then."""
    rows = RECORD_MODELS["abnormal_listing"].objects.filter(
        q, withdrawn=False, removed_on__isnull=True, subject__isnull=False,
        listed_on__gt=rules.add_years(day, -3), listed_on__lte=rules.add_years(day + timedelta(days=days), -3),
    )  # fmt: skip
    return [
        PreWarning("abnormal_three_years", r.subject_id, r.department_id, rules.add_years(r.listed_on, 3),
                   _("列入经营异常名录将于 %(day)s 满3年，届时列入严重违法失信名单")
                   % {"day": rules.add_years(r.listed_on, 3)})
        for r in rows.only("subject_id", "department_id", "listed_on")
    ]  # fmt: skip


def pre_warnings(
    day: date, *, uscc: str | None = None, department: str | None = None, licence_days: int = 30,
    abnormal_days: int = 60,
) -> list[PreWarning]:  # fmt: skip
    """Pre-warnings on `day`, for one subject or one department (or the city)."""
    record_q = Q(subject_id=uscc) if uscc else Q()
    subject_q = Q(uscc=uscc) if uscc else Q()
    if department:
        record_q &= Q(department_id=department)
        subject_q &= Q(registered_by_id=department)
    warnings = (
        _licences_expiring(day, licence_days, record_q)
        + _annual_reports_missing(day, subject_q)
        + _abnormal_reaching_three_years(day, abnormal_days, record_q)
    )
    return sorted(warnings, key=lambda w: (w.due_on, w.uscc, w.code))


def repair_eligibility(kind: str, record: dict, day: date, repair: dict) -> tuple[bool, str]:
    """Whether a record may be repaired on `day` under a ruleset's `repair` conditions, and why not (a
    read: the workspace's review page shows it too). docs/rules.md §4: penalties after 6 months of publication (12 in sensitive fields), never the
    restrictive ones; abnormal listings once the cause is cured (the department decides)."""
    if kind not in repair["repairable_kinds"]:
        return False, _("该类信息不适用信用修复申请，待其自然到期或依数据更新解除")
    if kind == "penalty":
        categories = set(record.get("penalty_categories") or ())
        if categories & set(repair["not_repairable_categories"]):
            return False, _("吊销、责令关闭、限制从业等处罚不可修复")
        sensitive = record.get("department_id") in repair["sensitive_departments"] or any(
            word in (record.get("violation_type") or "") for word in repair["sensitive_keywords"]
        )
        months = repair["sensitive_penalty_months" if sensitive else "penalty_months"]
        eligible_on = rules.add_months(record["decided_on"], months)
        if day < eligible_on:
            return False, _("处罚决定公示满%(months)s个月后（%(day)s 起）方可申请") % {
                "months": months,
                "day": eligible_on.isoformat(),
            }
    if kind == "abnormal_listing" and record.get("removed_on"):
        return False, _("已移出经营异常名录，无需修复")
    return True, ""
