"""Writes of 联合惩戒: checks (one, or a batch set-wise), the outcome the asker reports back, and new
versions of the measures catalogue. Each is one transaction with its audit entry."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warning_system.audit import chain
from warning_system.audit.models import Action
from warning_system.audit.services import audit_record
from warning_system.registry.codes import compact_code

from . import measures, selectors
from .models import (
    Channel,
    JointCheck,
    MeasuresCatalogue,
    Outcome,
    ReportedAction,
    RequesterKind,
    actions_for,
)
from .signals import catalogue_published

# One batch upload checks at most this many (subject, use) pairs.
BATCH_MAX = 5_000
NOTE_MAX = 2_000


class SanctionError(ValueError):
    """A check, outcome or catalogue that cannot be accepted; `code` is stable, `message` for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Requester:
    """Who asks: a regulator (department + user) or an institution (id, name, API key id). The core
    keeps them generically, so it never depends on the portal that serves institutions."""

    kind: str
    label: str
    department_id: str | None = None
    user: object | None = None
    institution_id: int | None = None
    api_key_id: int | None = None

    @classmethod
    def of_staff(cls, profile) -> Requester:
        return cls(RequesterKind.DEPARTMENT, profile.department.name, department_id=profile.department_id,
                   user=profile.user)  # fmt: skip

    @classmethod
    def of_institution(cls, *, institution_id: int | None, label: str, api_key_id: int | None) -> Requester:
        return cls(RequesterKind.INSTITUTION, label, institution_id=institution_id, api_key_id=api_key_id)

    def owns(self, check: JointCheck) -> bool:
        if self.kind == RequesterKind.INSTITUTION:
            return (
                check.requester_kind == RequesterKind.INSTITUTION
                and check.institution_id == self.institution_id
            )
        return check.requester_kind == RequesterKind.DEPARTMENT and check.department_id == self.department_id

    def facts(self) -> dict:
        return {"kind": self.kind, "label": self.label, "department": self.department_id or "",
                "institution_id": self.institution_id, "api_key_id": self.api_key_id}  # fmt: skip


@dataclass
class CheckResult:
    """The answer shown and returned; `check` is the stored row (None when the subject is unknown)."""

    uscc: str
    use: str
    checked_on: date
    found: bool = True
    name: str = ""
    outcome: str = ""
    colour: str = ""
    reasons: list[dict] = field(default_factory=list)
    measure: str = ""
    legal_basis: str = ""
    catalogue_version: int | None = None
    check: JointCheck | None = None

    @property
    def restricted(self) -> bool:
        return self.outcome == Outcome.RESTRICTED

    use_label: str = ""


def _valid_use(use: str, catalogue: MeasuresCatalogue) -> str:
    """A use of the catalogue in force on the day of the check: the uses are its keys."""
    if use not in catalogue.measures:
        raise SanctionError(
            "unknown_use",
            _("未知的事项“%(use)s”，可选：%(uses)s")
            % {"use": use, "uses": "、".join(measures.uses_of(catalogue.measures))},
        )
    return use


def _snapshot(decision: measures.Decision, details: dict) -> list[dict]:
    """The restricting rules with their public records (as of the check), without internal row ids."""
    reasons = []
    for reason in decision.reasons:
        records = [details[ref["kind"], ref["id"]] for ref in reason.get("records", [])
                   if (ref.get("kind"), ref.get("id")) in details]  # fmt: skip
        reasons.append({"rule": reason["rule"], "label": reason.get("label", reason["rule"]),
                        "colour": reason.get("colour", ""), "basis": reason["basis"],
                        "ends_on": reason.get("ends_on"), "records": records})  # fmt: skip
    return reasons


def _evaluate(pairs: list[tuple[str, str]], day: date, catalogue: MeasuresCatalogue) -> list[CheckResult]:
    """Answers for (uscc, use) pairs, in order, in a fixed number of queries whatever their number."""
    labels = {use: selectors.use_label(use, catalogue.measures) for use in {use for _, use in pairs}}
    states = selectors.subject_states(uscc for uscc, _ in pairs)
    decisions = {}
    for uscc, use in pairs:
        state = states.get(uscc)
        if state is not None:
            decisions[uscc, use] = measures.decide(catalogue.measures[use], state.colour, state.triggered)
    refs = [ref for d in decisions.values() for reason in d.reasons for ref in reason.get("records", [])]
    details = selectors.record_details(refs, day)
    results = []
    for uscc, use in pairs:
        state = states.get(uscc)
        if state is None:
            results.append(CheckResult(uscc, use, day, found=False, use_label=labels[use]))
            continue
        decision = decisions[uscc, use]
        entry = catalogue.measures[use]
        results.append(
            CheckResult(
                uscc,
                use,
                day,
                name=state.name,
                outcome=decision.outcome,
                colour=state.colour,
                reasons=_snapshot(decision, details),
                measure=entry.get("measure", ""),
                legal_basis=entry.get("legal_basis", ""),
                catalogue_version=catalogue.version,
                use_label=labels[use],
            )  # fmt: skip
        )
    return results


def _row(result: CheckResult, catalogue: MeasuresCatalogue, requester: Requester, channel: str,
         batch: uuid.UUID | None) -> JointCheck:  # fmt: skip
    return JointCheck(
        subject_id=result.uscc, subject_name=result.name, use=result.use, checked_on=result.checked_on,
        outcome=result.outcome, colour=result.colour, reasons=result.reasons, measure=result.measure,
        legal_basis=result.legal_basis, catalogue=catalogue, channel=channel, batch=batch,
        requester_kind=requester.kind, department_id=requester.department_id, user=requester.user,
        institution_id=requester.institution_id, api_key_id=requester.api_key_id,
        requester_label=requester.label[:200],
    )  # fmt: skip


def subject_check(
    *, uscc: str, use: str, requester: Requester, channel: str = Channel.PAGE, day: date | None = None
) -> CheckResult:
    """Check one subject for one use and record it. A subject not in the registry is answered
    `found=False` and nothing is stored."""
    day = day or timezone.localdate()
    catalogue = catalogue_in_effect(day)
    uscc, use = compact_code(uscc), _valid_use(use, catalogue)
    (result,) = _evaluate([(uscc, use)], day, catalogue)
    if not result.found:
        return result
    with transaction.atomic():
        check = _row(result, catalogue, requester, channel, None)
        check.save()
        audit_record(
            action=Action.JOINT_CHECK, actor=requester.user, department_id=requester.department_id or "",
            subject_uscc=uscc, obj=check,
            after={"use": use, "outcome": result.outcome, "colour": result.colour, "channel": channel,
                   "catalogue_version": catalogue.version, "requester": requester.facts(),
                   "rules": [r["rule"] for r in result.reasons]},
        )  # fmt: skip
    result.check = check
    return result


@dataclass
class BatchResult:
    batch: uuid.UUID
    results: list[CheckResult]

    @property
    def counts(self) -> dict[str, int]:
        return {
            Outcome.RESTRICTED: sum(1 for r in self.results if r.found and r.restricted),
            Outcome.ALLOWED: sum(1 for r in self.results if r.found and not r.restricted),
            "not_found": sum(1 for r in self.results if not r.found),
        }


def subjects_check(
    *,
    pairs: list[tuple[str, str]],
    requester: Requester,
    channel: str = Channel.BATCH,
    day: date | None = None,
) -> BatchResult:
    """Check many (uscc, use) pairs at once: set-based reads, one INSERT for the checks and one audit
    entry for the batch (naming every check), whatever the number of pairs."""
    if not pairs:
        raise SanctionError("empty", _("没有可核查的主体。"))
    if len(pairs) > BATCH_MAX:
        raise SanctionError(
            "too_many",
            _("一次最多核查 %(max)s 条，本次提交了 %(n)s 条。") % {"max": BATCH_MAX, "n": len(pairs)},
        )
    day = day or timezone.localdate()
    catalogue = catalogue_in_effect(day)
    pairs = [(compact_code(uscc), _valid_use(use, catalogue)) for uscc, use in pairs]
    results = _evaluate(pairs, day, catalogue)
    batch = uuid.uuid4()
    found = [r for r in results if r.found]
    with transaction.atomic():
        stored = JointCheck.objects.bulk_create(
            [_row(r, catalogue, requester, channel, batch) for r in found]
        )
        for result, check in zip(found, stored, strict=True):
            result.check = check
        audit_record(
            action=Action.JOINT_CHECK, actor=requester.user, department_id=requester.department_id or "",
            object_type="sanctions.batch", object_id=str(batch),
            after={"channel": channel, "catalogue_version": catalogue.version, "requester": requester.facts(),
                   "checks": [[c.pk, c.subject_id, c.use, c.outcome] for c in stored],
                   "not_found": [[r.uscc, r.use] for r in results if not r.found]},
        )  # fmt: skip
    return BatchResult(batch, results)


def outcome_report(
    *, check: JointCheck, action: str, note: str = "", on: date | None = None, requester: Requester
) -> JointCheck:
    """The asker's feedback on a check of its own: what it did (e.g. rejected the bid), when, and why.
    Once per check; a restriction can be reported only on a restricted answer, and only one that fits
    the use."""
    if not requester.owns(check):
        raise SanctionError("not_yours", _("只能反馈本单位的核查。"))
    if action not in ReportedAction.values:
        raise SanctionError("unknown_action", _("未知的措施“%(action)s”。") % {"action": action})
    if action != ReportedAction.NONE:
        if action not in actions_for(check.use):
            raise SanctionError(
                "action_mismatch", _("该措施不适用于“%(use)s”事项。") % {"use": check.use_label}
            )
        if check.outcome != Outcome.RESTRICTED:
            raise SanctionError("not_restricted", _("核查结果为允许，不能反馈惩戒措施。"))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise SanctionError("future_date", _("措施日期不能晚于今天。"))
    if on < check.checked_on:
        raise SanctionError("before_check", _("措施日期不能早于核查日期。"))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise SanctionError("note_too_long", _("说明不能超过 %(n)s 字。") % {"n": NOTE_MAX})
    with transaction.atomic():
        locked = JointCheck.objects.select_for_update().get(pk=check.pk)
        if locked.reported_action:
            raise SanctionError("already_reported", _("该核查已反馈，不能重复反馈。"))
        locked.reported_action, locked.reported_note, locked.reported_on = action, note, on
        locked.reported_at = timezone.now()
        locked.reported_by = requester.user
        locked.save(
            update_fields=["reported_action", "reported_note", "reported_on", "reported_at", "reported_by"]
        )
        audit_record(
            action=Action.JOINT_OUTCOME, actor=requester.user, department_id=requester.department_id or "",
            subject_uscc=locked.subject_id, obj=locked,
            after={"use": locked.use, "action": action, "on": on, "note": note, "requester": requester.facts()},
        )  # fmt: skip
    return locked


# --------------------------------------------------------------------------- catalogue


def catalogue_in_effect(day: date) -> MeasuresCatalogue:
    """The version in effect on `day`; the defaults become version 1 if there is none (a database
    flushed by tests, or restored without its seed)."""
    catalogue = selectors.catalogue_for(day)
    if catalogue is None:
        catalogue, _created = MeasuresCatalogue.objects.get_or_create(
            version=1,
            defaults={"measures": measures.default_measures(), "effective_from": date(2000, 1, 1),
                      "note": "系统默认措施"},
        )  # fmt: skip
    return catalogue


def _catalogue_facts(catalogue: MeasuresCatalogue) -> dict:
    """What the trail keeps of a version: who, when, and per use the colours and lists; the texts by digest."""
    return {
        "version": catalogue.version,
        "effective_from": catalogue.effective_from,
        "note": catalogue.note,
        "restrictions": {use: {"colours": e.get("colours", []), "lists": e.get("lists", [])}
                         for use, e in catalogue.measures.items()},
        "measures_sha256": hashlib.sha256(chain.canonical(catalogue.measures).encode()).hexdigest(),
    }  # fmt: skip


def catalogue_publish(
    *, measures_data: dict, effective_from: date | None = None, author=None, note: str = ""
) -> MeasuresCatalogue:
    """A new version (never an edit in place), in effect from `effective_from` (today or later):
    checks made before keep the version they were answered with."""
    problems = measures.validate(measures_data)
    if problems:
        raise SanctionError("invalid_catalogue", "；".join(problems))
    effective_from = effective_from or timezone.localdate()
    if effective_from < timezone.localdate():
        raise SanctionError("past_date", _("生效日期不能早于今天：已作出的核查不溯及既往。"))
    with transaction.atomic():
        latest = MeasuresCatalogue.objects.select_for_update().order_by("-version").first()
        catalogue = MeasuresCatalogue.objects.create(
            version=(latest.version + 1) if latest else 1, measures=measures_data,
            effective_from=effective_from, author=author, note=(note or "").strip(),
        )  # fmt: skip
        audit_record(
            action=Action.MEASURES_CHANGE, actor=author, obj=catalogue,
            before=_catalogue_facts(latest) if latest else None, after=_catalogue_facts(catalogue),
        )  # fmt: skip
        transaction.on_commit(_announce_catalogue)
    return catalogue


def _announce_catalogue() -> None:
    cache.set(selectors.MEASURES_TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    selectors.forget_local_measures()
    catalogue_published.send(sender=MeasuresCatalogue)
