"""The core's own actions write their audit entry in their own transaction: one entry each, with
before and after, and none when the action is rolled back."""

import json
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from collectors.parsers import parse_push_body
from collectors.services import batch_ingest
from tests.factories import StaffFactory, make_uscc, penalty, registration
from warning_system.audit.models import Action, AuditEntry
from warning_system.classification import rules, services
from warning_system.classification.models import RepairApplication
from warning_system.registry.models import Department, Penalty
from warning_system.registry.services import reference_data_load

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def scjg(db) -> Department:
    reference_data_load()
    return Department.objects.get(code="SCJG")


@pytest.fixture
def repairable(scjg, django_capture_on_commit_callbacks) -> Penalty:
    """A penalty decided seven months ago, on a registered subject: open to credit repair."""
    uscc = make_uscc()
    decided = (timezone.localdate() - relativedelta(months=7)).isoformat()
    for kind, records in (("registration", [registration(uscc)]),
                          ("penalty", [penalty(uscc, "P-AUDIT-1", decided_on=decided, fine_amount="1")])):  # fmt: skip
        items, _ = parse_push_body(json.dumps(records, ensure_ascii=False).encode(), "application/json", kind)
        with django_capture_on_commit_callbacks(execute=True):
            batch_ingest(department=scjg, kind=kind, items=items, channel="push")
    return Penalty.objects.get(record_id="P-AUDIT-1")


def apply(record: Penalty, **overrides) -> RepairApplication:
    arguments = {"kind": "penalty", "record_pk": record.pk, "applicant": "subject",
                 "applicant_name": "南昌测试贸易有限公司", "reason": "已整改完毕"}  # fmt: skip
    return services.repair_apply(**arguments | overrides)


def without_penalty_rule() -> list[dict]:
    return [dict(r) for r in rules.DEFAULT_RULES if r["key"] != "penalty"]


# --------------------------------------------------------------------------- rulesets


def test_publishing_a_ruleset_writes_one_entry_with_versions_dates_and_author(scjg):
    services.ruleset_for(timezone.localdate())  # version 1, the defaults
    author = StaffFactory(department=scjg, role="admin").user
    tomorrow = timezone.localdate() + relativedelta(days=1)

    ruleset, _ = services.ruleset_publish(
        rules_data=without_penalty_rule(), effective_from=tomorrow, author=author
    )

    entry = AuditEntry.objects.get(action=Action.RULESET_CHANGE)
    assert (entry.actor_name, entry.department_id, entry.object_type, entry.object_id) == (
        author.username, "SCJG", "classification.ruleset", str(ruleset.pk),
    )  # fmt: skip
    assert (entry.before["version"], entry.before["effective_from"]) == (1, "2000-01-01")
    assert (entry.after["version"], entry.after["effective_from"], entry.after["author"]) == (
        2, tomorrow.isoformat(), author.username,
    )  # fmt: skip
    assert entry.before["rules_sha256"] != entry.after["rules_sha256"]


def test_a_ruleset_rolled_back_leaves_no_entry(scjg):
    with pytest.raises(Rollback), transaction.atomic():
        services.ruleset_publish(rules_data=without_penalty_rule(), effective_from=date(2099, 1, 1))
        raise Rollback

    assert not AuditEntry.objects.filter(action=Action.RULESET_CHANGE).exists()


# --------------------------------------------------------------------------- credit repair


def test_applying_for_repair_writes_one_entry_for_the_records_department(repairable):
    staff = StaffFactory(department__code="TAPP")

    application = apply(repairable, actor=staff.user)

    entry = AuditEntry.objects.get(action=Action.REPAIR_APPLY)
    assert (entry.actor_name, entry.department_id, entry.subject_uscc, entry.object_id) == (
        staff.user.username, "SCJG", application.subject_id, str(application.pk),
    )  # fmt: skip
    assert entry.before is None
    assert entry.after | {"applicant_name": None} == {
        "kind": "penalty", "record_id": "P-AUDIT-1", "applicant": "subject", "applicant_name": None,
        "reason": "已整改完毕", "status": "pending",
    }  # fmt: skip


def test_a_subjects_own_application_is_recorded_as_the_systems(repairable):
    apply(repairable)

    assert AuditEntry.objects.get(action=Action.REPAIR_APPLY).actor_name == "system"


def test_an_application_rolled_back_leaves_no_entry(repairable):
    with pytest.raises(Rollback), transaction.atomic():
        apply(repairable)
        raise Rollback

    assert not AuditEntry.objects.filter(action=Action.REPAIR_APPLY).exists()


def test_deciding_a_repair_writes_one_entry_with_the_status_before_and_after(repairable):
    application = apply(repairable)
    reviewer = StaffFactory(department__code="TREV").user

    services.repair_decide(application=application, approve=False, reviewer=reviewer, reason="材料不全")

    entry = AuditEntry.objects.get(action=Action.REPAIR_DECIDE)
    assert (entry.actor_name, entry.department_id, entry.subject_uscc) == (
        reviewer.username, "SCJG", application.subject_id,
    )  # fmt: skip
    assert entry.before == {"status": "pending", "decision_reason": ""}
    assert entry.after == {"status": "rejected", "decision_reason": "材料不全"}


def test_a_decision_rolled_back_leaves_no_entry(repairable):
    application = apply(repairable)

    with pytest.raises(Rollback), transaction.atomic():
        services.repair_decide(application=application, approve=True, reviewer=None, reason="ok")
        raise Rollback

    assert not AuditEntry.objects.filter(action=Action.REPAIR_DECIDE).exists()


def test_a_refused_decision_writes_no_entry(repairable):
    application = apply(repairable)

    with pytest.raises(services.RepairError):
        services.repair_decide(application=application, approve=False, reviewer=None, reason=" ")

    assert not AuditEntry.objects.filter(action=Action.REPAIR_DECIDE).exists()


def test_a_second_decision_on_a_stale_copy_is_refused(repairable):
    application = apply(repairable)
    stale = RepairApplication.objects.get(pk=application.pk)
    services.repair_decide(application=application, approve=True, reviewer=None, reason="ok")

    with pytest.raises(services.RepairError, match="已审核"):
        services.repair_decide(application=stale, approve=False, reviewer=None, reason="驳回")

    assert AuditEntry.objects.filter(action=Action.REPAIR_DECIDE).count() == 1
