"""双告知 steps after the push: claim, return, pool after 5 working days, licence arrival, overdue
with a written notice, feedback and closing — each timed, on the timeline and in the audit trail."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from supervision.models import DualFeedback, DualNotification, DualStatus, DualStep, WrittenNoticeSequence
from supervision.services import dual as services
from tests.factories import make_uscc
from tests.supervision.dual_feeds import FOOD_SCOPE, ingest, licence_record, registration_record
from warning_system.audit.models import Action, AuditEntry

CHINA = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CHINA)


@pytest.fixture
def push(staff_of, tmp_path, django_capture_on_commit_callbacks):
    """push(established_on, pushed_on) → the food-licence notification pushed to SCJG that day."""

    def push(established_on: date, pushed_on: date, uscc: str | None = None) -> DualNotification:
        uscc = uscc or make_uscc()
        with time_machine.travel(at(pushed_on), tick=False):
            ingest(
                django_capture_on_commit_callbacks,
                tmp_path,
                "SCJG",
                "registration",
                [registration_record(uscc, established_on=established_on, scope=FOOD_SCOPE)],
            )
        return DualNotification.objects.get(subject_id=uscc)

    return push


@pytest.fixture
def grant(tmp_path, django_capture_on_commit_callbacks):
    def grant(notification: DualNotification, decided_on: date, dept: str = "SCJG", **overrides) -> None:
        with time_machine.travel(at(decided_on, 16), tick=False):
            ingest(
                django_capture_on_commit_callbacks,
                tmp_path,
                dept,
                "license",
                [
                    licence_record(
                        notification.subject_id, "食品经营许可证", decided_on=decided_on, **overrides
                    )
                ],
            )

    return grant


def advance(moment: datetime) -> services.AdvanceResult:
    with time_machine.travel(moment, tick=False):
        return services.dual_notifications_advance()


def reload(notification: DualNotification) -> DualNotification:
    return DualNotification.objects.get(pk=notification.pk)


def steps(notification: DualNotification) -> list[str]:
    return list(
        DualStep.objects.filter(notification=notification).order_by("at", "id").values_list("step", flat=True)
    )


def audited(notification: DualNotification) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="supervision.dualnotification", object_id=str(notification.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


# --------------------------------------------------------------------------- claim and return


def test_the_competent_department_claims_what_was_pushed_to_it(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    scjg = staff_of("SCJG")
    services.dual_notification_claim(notification_id=notification.pk, staff=scjg)
    claimed = reload(notification)
    assert (claimed.status, claimed.claimed_by_id) == (DualStatus.CLAIMED, "SCJG")
    entry = AuditEntry.objects.get(action=Action.CLAIM, object_id=str(notification.pk))
    assert (entry.actor_id, entry.department_id, entry.before["status"]) == (scjg.user.pk, "SCJG", "pushed")


def test_another_department_may_not_claim_what_was_pushed_to_the_competent_one(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    with pytest.raises(PermissionDenied):
        services.dual_notification_claim(notification_id=notification.pk, staff=staff_of("RSJ"))
    assert reload(notification).status == DualStatus.PUSHED


def test_a_return_needs_a_reason(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    with pytest.raises(services.DualActionError):
        services.dual_notification_return(
            notification_id=notification.pk, staff=staff_of("SCJG"), reason="  "
        )


def test_a_returned_notification_goes_to_the_shared_pool_at_once(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    services.dual_notification_return(
        notification_id=notification.pk, staff=staff_of("SCJG"), reason="非本部门事项"
    )
    returned = reload(notification)
    assert (returned.status, returned.returned_by_id, returned.return_reason) == (
        DualStatus.POOLED,
        "SCJG",
        "非本部门事项",
    )
    assert (
        AuditEntry.objects.get(action=Action.RETURN, object_id=str(notification.pk)).after["reason"]
        == "非本部门事项"
    )


def test_any_department_may_claim_from_the_shared_pool(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    services.dual_notification_return(
        notification_id=notification.pk, staff=staff_of("SCJG"), reason="非本部门事项"
    )
    services.dual_notification_claim(notification_id=notification.pk, staff=staff_of("CGJ"))
    assert reload(notification).claimed_by_id == "CGJ"


def test_a_claimed_notification_cannot_be_claimed_again(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    services.dual_notification_claim(notification_id=notification.pk, staff=staff_of("SCJG"))
    with pytest.raises(services.DualActionError):
        services.dual_notification_claim(notification_id=notification.pk, staff=staff_of("SCJG"))


# --------------------------------------------------------------------------- pool after 5 working days


def test_an_unclaimed_notification_stays_out_of_the_pool_on_its_fifth_working_day(push):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    # Monday to Friday alone would have ended the claim period on 10-07, inside the holiday.
    advance(at(date(2026, 10, 13), 23, 45))
    assert reload(notification).status == DualStatus.PUSHED


def test_an_unclaimed_notification_is_pooled_the_day_after_its_fifth_working_day(push):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    # Without the make-up Saturday 10-10 the fifth working day would be 10-14.
    result = advance(at(date(2026, 10, 14), 0, 15))
    pooled = reload(notification)
    assert (result.pooled, pooled.status) == (1, DualStatus.POOLED)
    assert pooled.pooled_at == at(date(2026, 10, 14), 0, 15)


def test_pooling_is_audited_as_a_system_step(push):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    advance(at(date(2026, 10, 14), 0, 15))
    entry = AuditEntry.objects.get(action=Action.POOL, object_id=str(notification.pk))
    assert (entry.actor_id, entry.actor_name, entry.department_id) == (None, "system", "SCJG")
    assert steps(notification)[-1] == "pool"


def test_a_claimed_notification_is_never_pooled(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    with time_machine.travel(at(date(2026, 10, 12)), tick=False):
        services.dual_notification_claim(notification_id=notification.pk, staff=staff_of("SCJG"))
    advance(at(date(2026, 10, 20)))
    assert reload(notification).status == DualStatus.CLAIMED


# --------------------------------------------------------------------------- licence arrival


def test_a_matching_licence_closes_the_notification_as_licensed(push, grant):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    grant(notification, date(2026, 10, 15))
    licensed = reload(notification)
    assert (licensed.status, licensed.licensed_on, licensed.licensed_in_time) == (
        DualStatus.LICENSED,
        date(2026, 10, 15),
        True,
    )
    assert licensed.licence_record_id is not None and licensed.closed_at is not None
    assert audited(notification)[-1] == Action.LICENSED


def test_a_licence_of_another_department_does_not_settle_the_notification(push, grant):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    grant(notification, date(2026, 10, 15), dept="WJW", authority="南昌市卫生健康委员会")
    assert reload(notification).status == DualStatus.PUSHED


def test_a_licence_already_held_settles_the_notification_when_it_is_pushed(
    push, tmp_path, django_capture_on_commit_callbacks
):
    uscc = make_uscc()
    with time_machine.travel(at(date(2026, 9, 29), 16), tick=False):
        record = licence_record(uscc, "食品经营许可证", decided_on=date(2026, 9, 29))
        ingest(django_capture_on_commit_callbacks, tmp_path, "SCJG", "license", [record])
    notification = push(date(2026, 9, 28), date(2026, 9, 30), uscc=uscc)
    assert (notification.status, notification.licensed_on) == (DualStatus.LICENSED, date(2026, 9, 29))


def test_the_periodic_job_catches_a_licence_whose_receiver_never_ran(push, tmp_path):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    with time_machine.travel(at(date(2026, 10, 2), 16), tick=False):
        record = licence_record(notification.subject_id, "食品经营许可证", decided_on=date(2026, 10, 2))
        ingest(None, tmp_path, "SCJG", "license", [record])
    assert reload(notification).status == DualStatus.PUSHED
    result = advance(at(date(2026, 10, 3)))
    assert (result.licensed, reload(notification).status) == (1, DualStatus.LICENSED)


# --------------------------------------------------------------------------- overdue and written notice


def test_no_licence_30_days_after_registration_raises_a_warning_with_a_written_notice(push):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    advance(at(date(2026, 10, 28), 23))  # the 30th day: not yet
    assert reload(notification).status != DualStatus.OVERDUE
    result = advance(at(date(2026, 10, 29), 0, 15))
    overdue = reload(notification)
    assert (result.overdue, overdue.status, overdue.notice_number) == (
        1,
        DualStatus.OVERDUE,
        "双告知〔2026〕0001号",
    )
    assert overdue.feedback_due == date(2026, 11, 12)  # 10 working days
    assert audited(notification)[-2:] == [Action.OVERDUE, Action.WRITTEN_NOTICE]
    assert steps(notification)[-2:] == ["overdue", "written_notice"]


def test_written_notices_are_numbered_uniquely_in_sequence(push):
    first = push(date(2026, 9, 28), date(2026, 9, 30))
    second = push(date(2026, 9, 28), date(2026, 9, 30))
    advance(at(date(2026, 10, 29)))
    third = push(date(2026, 10, 2), date(2026, 10, 9))
    advance(at(date(2026, 11, 2)))
    numbers = [reload(n).notice_number for n in (first, second, third)]
    assert numbers == ["双告知〔2026〕0001号", "双告知〔2026〕0002号", "双告知〔2026〕0003号"]
    assert WrittenNoticeSequence.objects.get(year=2026).last == 3


def test_the_periodic_job_is_idempotent(push):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    advance(at(date(2026, 10, 29)))
    before = audited(notification)
    assert not any(advance(at(date(2026, 10, 29), 10, 15)).as_dict().values())
    assert audited(notification) == before


def test_the_written_notice_goes_to_the_department_that_claimed_it(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    services.dual_notification_return(
        notification_id=notification.pk, staff=staff_of("SCJG"), reason="非本部门"
    )
    services.dual_notification_claim(notification_id=notification.pk, staff=staff_of("CGJ"))
    advance(at(date(2026, 10, 29)))
    assert (
        AuditEntry.objects.get(action=Action.WRITTEN_NOTICE, object_id=str(notification.pk)).department_id
        == "CGJ"
    )


def test_a_licence_arriving_after_the_warning_is_recorded_but_feedback_is_still_due(push, grant):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    advance(at(date(2026, 10, 29)))
    grant(notification, date(2026, 11, 2))
    late = reload(notification)
    assert (late.status, late.licensed_on, late.licensed_in_time) == (
        DualStatus.OVERDUE,
        date(2026, 11, 2),
        False,
    )


# --------------------------------------------------------------------------- feedback and closing


@pytest.fixture
def overdue(push):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    advance(at(date(2026, 10, 29)))
    return notification


def test_the_department_reports_what_it_found(overdue, staff_of):
    scjg = staff_of("SCJG")
    services.dual_notification_feedback(
        notification_id=overdue.pk, staff=scjg, choice=DualFeedback.CASE_OPENED, note="已立案"
    )
    answered = reload(overdue)
    assert (answered.status, answered.feedback, answered.feedback_by_id) == (
        DualStatus.FEEDBACK,
        DualFeedback.CASE_OPENED,
        scjg.user.pk,
    )
    assert (
        AuditEntry.objects.get(action=Action.FEEDBACK, object_id=str(overdue.pk)).after["feedback"]
        == "case_opened"
    )


def test_feedback_other_needs_an_explanation(overdue, staff_of):
    with pytest.raises(services.DualActionError):
        services.dual_notification_feedback(
            notification_id=overdue.pk, staff=staff_of("SCJG"), choice="other"
        )


def test_another_department_may_not_answer_the_written_notice(overdue, staff_of):
    with pytest.raises(PermissionDenied):
        services.dual_notification_feedback(
            notification_id=overdue.pk, staff=staff_of("RSJ"), choice="licensed"
        )


def test_feedback_cannot_be_given_before_the_warning(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    with pytest.raises(services.DualActionError):
        services.dual_notification_feedback(
            notification_id=notification.pk, staff=staff_of("SCJG"), choice="licensed"
        )


def test_a_leader_closes_after_the_feedback(overdue, staff_of):
    services.dual_notification_feedback(
        notification_id=overdue.pk, staff=staff_of("SCJG"), choice="not_operating"
    )
    leader = staff_of("SCJG", role="leader")
    services.dual_notification_close(notification_id=overdue.pk, staff=leader, note="同意")
    closed = reload(overdue)
    assert (closed.status, closed.closed_by_id) == (DualStatus.CLOSED, leader.user.pk)
    assert audited(overdue)[-2:] == [Action.FEEDBACK, Action.CLOSE]


def test_staff_may_not_close(overdue, staff_of):
    services.dual_notification_feedback(
        notification_id=overdue.pk, staff=staff_of("SCJG"), choice="not_operating"
    )
    with pytest.raises(PermissionDenied):
        services.dual_notification_close(notification_id=overdue.pk, staff=staff_of("SCJG"))


def test_closing_needs_the_feedback_first(overdue, staff_of):
    with pytest.raises(services.DualActionError):
        services.dual_notification_close(notification_id=overdue.pk, staff=staff_of("SCJG", role="leader"))


def test_every_step_of_a_full_flow_is_on_the_timeline_and_in_the_audit_trail(push, staff_of):
    notification = push(date(2026, 9, 28), date(2026, 9, 30))
    scjg, leader = staff_of("SCJG"), staff_of("SCJG", role="leader")
    advance(at(date(2026, 10, 14)))
    with time_machine.travel(at(date(2026, 10, 15)), tick=False):
        services.dual_notification_claim(notification_id=notification.pk, staff=scjg)
    advance(at(date(2026, 10, 29)))
    with time_machine.travel(at(date(2026, 11, 2)), tick=False):
        services.dual_notification_feedback(notification_id=notification.pk, staff=scjg, choice="licensed")
    with time_machine.travel(at(date(2026, 11, 3)), tick=False):
        services.dual_notification_close(notification_id=notification.pk, staff=leader)
    expected = ["push", "pool", "claim", "overdue", "written_notice", "feedback", "close"]
    assert audited(notification) == expected
    assert steps(notification) == ["push", "notice", *expected[1:]]
