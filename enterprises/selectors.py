"""Reads of the enterprise's pages, always for the account's own subject."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warning_system.accounts.models import EnterpriseAccount
from warning_system.classification import rules
from warning_system.classification.models import Colour, RepairApplication, SubjectColour
from warning_system.classification.repairable import RepairOption, repair_options, subject_applications
from warning_system.classification.selectors import PreWarning, pre_warnings
from warning_system.notices import DualNotice, dual_notices
from warning_system.objections.models import Objection
from warning_system.objections.selectors import open_record_pks, subject_objections

COLOUR_LABELS = dict(Colour.choices)

# What to do about each pre-warning (docs/rules.md §4), shown beside it.
PRE_WARNING_ADVICE = {
    "licence_expiring": gettext_lazy("请在到期前向发证部门申请延续，逾期将失效并影响经营。"),
    "annual_report_missing": gettext_lazy(
        "请尽快通过国家企业信用信息公示系统补报年度报告，否则将被列入经营异常名录（黄色）。"
    ),
    "abnormal_three_years": gettext_lazy(
        "请尽快履行公示义务或恢复联系，并向登记机关申请移出经营异常名录；满3年将列入严重违法失信名单（红色）。"
    ),
}


@dataclass
class ColourReason:
    label: str
    colour: str
    ends_on: str | None
    repair: str


@dataclass
class EnterpriseColour:
    """The colour as the public sees it: the stored evaluation the portal also reads."""

    colour: str
    since: date | None
    reasons: list[ColourReason] = field(default_factory=list)
    next_change: dict | None = None

    @property
    def label(self) -> str:
        return _(str(COLOUR_LABELS[self.colour]))


@dataclass(frozen=True)
class PreWarningAdvice:
    warning: PreWarning
    advice: str


@dataclass
class EnterpriseHome:
    account: EnterpriseAccount
    colour: EnterpriseColour
    notices: list[DualNotice]
    pre_warnings: list[PreWarningAdvice]
    options: list[RepairOption]
    applications: list[RepairApplication]
    objections: list[Objection]


def enterprise_colour(uscc: str) -> EnterpriseColour:
    stored = SubjectColour.objects.filter(subject_id=uscc).first()
    if stored is None:
        return EnterpriseColour(rules.GREEN, None)
    explanation = stored.explanation or {}
    reasons = [
        ColourReason(_(r.get("label", r["rule"])), r["colour"], r.get("ends_on"), _(r.get("repair", "")))
        for r in explanation.get("rules", [])
    ]
    return EnterpriseColour(stored.colour, stored.since, reasons, explanation.get("next_change"))


def enterprise_home(account: EnterpriseAccount, day: date | None = None) -> EnterpriseHome:
    day = day or timezone.localdate()
    uscc = account.subject_id
    options = repair_options(uscc, day)
    disputed = open_record_pks(uscc)
    for option in options:
        option.open_objection = disputed.get((option.kind, option.record_pk))
    return EnterpriseHome(
        account=account,
        colour=enterprise_colour(uscc),
        notices=dual_notices(uscc),
        pre_warnings=[
            PreWarningAdvice(w, str(PRE_WARNING_ADVICE.get(w.code, ""))) for w in pre_warnings(day, uscc=uscc)
        ],
        options=options,
        applications=list(subject_applications(uscc)),
        objections=list(subject_objections(uscc)),
    )


def own_application(account: EnterpriseAccount, pk: int) -> RepairApplication | None:
    return subject_applications(account.subject_id).filter(pk=pk).first()


def own_objection(account: EnterpriseAccount, pk: int) -> Objection | None:
    return subject_objections(account.subject_id).filter(pk=pk).first()


def department_name(code: str) -> str:
    from warning_system.registry.models import Department

    return Department.objects.filter(code=code).values_list("name", flat=True).first() or code
