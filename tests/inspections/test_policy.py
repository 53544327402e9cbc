"""The 双随机 policy as versioned configuration (docs/rules.md): ratios, inspectors per subject and the
result deadline; a change is a new version with its author and note; a new draft starts from it."""

from datetime import date

import pytest

from supervision.forms.inspections import TaskForm
from supervision.selectors import inspections as workspace_selectors
from supervision.workdays import add_workdays
from warning_system.audit.models import Action, AuditEntry
from warning_system.inspections import selectors
from warning_system.inspections import services as core
from warning_system.inspections.models import DEFAULT_POLICY, InspectionPolicy

pytestmark = pytest.mark.django_db

RATIOS = {"green": 0.03, "yellow": 0.1, "orange": 0.25, "red": 1.0}


def save(user, **changes):
    data = {
        "ratios": RATIOS,
        "inspectors_per_subject": 3,
        "result_workdays": 15,
        "note": "2027 年度抽查计划",
        **changes,
    }
    return core.policy_save(user=user, **data)


def test_without_a_stored_version_the_rules_defaults_apply(db):
    policy = selectors.current_policy()
    assert (policy.version, policy.ratios, policy.result_workdays) == (0, DEFAULT_POLICY["ratios"], 20)


def test_a_change_is_a_new_version_with_its_author_and_note(scjg_leader):
    save(scjg_leader.user)
    save(scjg_leader.user, result_workdays=25, note="延长期限")
    versions = list(
        InspectionPolicy.objects.order_by("version").values_list("version", "result_workdays", "note")
    )
    assert versions == [(1, 15, "2027 年度抽查计划"), (2, 25, "延长期限")]
    assert selectors.current_policy().author == scjg_leader.user


def test_a_change_is_audited_with_before_and_after(scjg_leader):
    save(scjg_leader.user)
    entry = AuditEntry.objects.get(
        action=Action.POLICY_CHANGE, object_id=str(InspectionPolicy.objects.get().pk)
    )
    assert (entry.before["result_workdays"], entry.after["result_workdays"]) == (20, 15)


def test_a_change_needs_a_note_and_valid_numbers(scjg_leader):
    with pytest.raises(core.InspectionError, match="须说明理由"):
        save(scjg_leader.user, note=" ")
    with pytest.raises(core.InspectionError, match="至少须由 2 名"):
        save(scjg_leader.user, inspectors_per_subject=1)
    with pytest.raises(core.InspectionError, match="0 至 100%"):
        save(scjg_leader.user, ratios={**RATIOS, "red": 1.5})
    assert not InspectionPolicy.objects.exists()


def test_a_new_draft_starts_from_the_current_version(scjg_leader):
    save(scjg_leader.user)
    form = TaskForm(policy=selectors.current_policy())
    assert form.fields["ratio_green"].initial == 3 and form.fields["ratio_yellow"].initial == 10
    assert form.fields["inspectors_per_subject"].initial == 3


def test_the_result_deadline_follows_the_current_version(scjg_leader):
    save(scjg_leader.user, result_workdays=15)
    day = date(2026, 3, 2)
    assert workspace_selectors.result_deadline(day) == add_workdays(day, 15)
