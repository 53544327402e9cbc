"""双告知 opening: registrations ingested through the real collectors are matched against the
post-licence catalogue and pushed to the competent departments (docs/rules.md §5)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from supervision.models import DualNotification, DualScopeMatch, DualStatus, DualStep, DualTrigger
from supervision.services import dual as services
from tests.factories import make_uscc
from tests.supervision.dual_feeds import FOOD_AND_LABOUR_SCOPE, FOOD_SCOPE, ingest, registration_record
from warning_system.audit.models import Action, AuditEntry
from warning_system.registry.services import reference_data_load

CHINA = ZoneInfo("Asia/Shanghai")
PUSH_DAY = datetime(2026, 9, 30, 10, 0, tzinfo=CHINA)


@pytest.fixture
def city(db):
    reference_data_load()


@pytest.fixture
def register(city, tmp_path, django_capture_on_commit_callbacks):
    def register(*records: dict) -> None:
        ingest(django_capture_on_commit_callbacks, tmp_path, "SCJG", "registration", list(records))

    return register


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_new_registration_is_pushed_to_each_competent_department(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_AND_LABOUR_SCOPE))
    pushed = {n.department_id: n for n in DualNotification.objects.filter(subject_id=uscc)}
    assert set(pushed) == {"SCJG", "RSJ"}
    assert pushed["SCJG"].licence == "食品经营许可证"
    assert pushed["SCJG"].matched_keywords == ["餐饮服务"]
    assert pushed["RSJ"].licence == "劳务派遣经营许可证"
    assert all(
        n.status == DualStatus.PUSHED and n.trigger == DualTrigger.ESTABLISHED for n in pushed.values()
    )


@time_machine.travel(PUSH_DAY, tick=False)
def test_the_claim_deadline_is_five_working_days_after_the_push_across_national_day(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE))
    notification = DualNotification.objects.get(subject_id=uscc)
    assert notification.claim_due == date(2026, 10, 13)  # the make-up Saturday 10-10 counts


@time_machine.travel(PUSH_DAY, tick=False)
def test_the_licence_is_due_30_days_after_registration(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE))
    assert DualNotification.objects.get(subject_id=uscc).licence_due == date(2026, 10, 28)


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_scope_without_catalogue_keywords_is_not_pushed(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope="日用百货销售；文具用品零售"))
    assert not DualNotification.objects.filter(subject_id=uscc).exists()


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_registration_older_than_the_window_predates_the_system_and_is_not_pushed(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 8, 30), scope=FOOD_SCOPE))  # 31 days
    assert not DualNotification.objects.filter(subject_id=uscc).exists()
    assert DualScopeMatch.objects.filter(subject_uscc=uscc).exists()  # remembered for a later change


@time_machine.travel(PUSH_DAY, tick=False)
def test_the_window_follows_the_setting(register, settings):
    settings.DUAL_NOTIFICATION_WINDOW_DAYS = 60
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 8, 30), scope=FOOD_SCOPE))
    assert DualNotification.objects.filter(subject_id=uscc).count() == 1


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_cancelled_subject_is_not_pushed(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE, status="注销"))
    assert not DualNotification.objects.filter(subject_id=uscc).exists()


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_registration_resent_with_other_changes_pushes_nothing_more(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE))
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE, address="新地址"))
    assert DualNotification.objects.filter(subject_id=uscc).count() == 1


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_scope_change_pushes_only_the_licence_it_adds(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 1), scope=FOOD_SCOPE))
    register(
        registration_record(
            uscc, established_on=date(2026, 9, 1), approved_on=date(2026, 9, 29), scope=FOOD_AND_LABOUR_SCOPE
        )
    )
    added = DualNotification.objects.filter(subject_id=uscc).exclude(department_id="SCJG").get()
    assert (added.licence, added.trigger, added.registered_on) == (
        "劳务派遣经营许可证",
        DualTrigger.SCOPE_CHANGE,
        date(2026, 9, 29),
    )
    assert DualNotification.objects.filter(subject_id=uscc).count() == 2


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_scope_change_of_a_subject_older_than_the_window_is_pushed(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2015, 3, 1), scope="日用百货销售"))
    register(
        registration_record(
            uscc, established_on=date(2015, 3, 1), approved_on=date(2026, 9, 29), scope=FOOD_SCOPE
        )
    )
    notification = DualNotification.objects.get(subject_id=uscc)
    assert (notification.trigger, notification.licence_due) == (DualTrigger.SCOPE_CHANGE, date(2026, 10, 29))


@time_machine.travel(PUSH_DAY, tick=False)
def test_each_push_is_audited_by_the_system_and_the_subject_gets_one_notice_entry(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_AND_LABOUR_SCOPE))
    pushes = AuditEntry.objects.filter(action=Action.PUSH, subject_uscc=uscc)
    assert sorted(pushes.values_list("department_id", flat=True)) == ["RSJ", "SCJG"]
    assert set(pushes.values_list("actor_name", flat=True)) == {"system"}
    notice = AuditEntry.objects.get(action=Action.NOTICE, subject_uscc=uscc)
    assert {item["licence"] for item in notice.after["licences"]} == {"食品经营许可证", "劳务派遣经营许可证"}


@time_machine.travel(PUSH_DAY, tick=False)
def test_each_push_starts_the_timeline_with_the_push_and_the_notice(register):
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE))
    notification = DualNotification.objects.get(subject_id=uscc)
    assert list(DualStep.objects.filter(notification=notification).values_list("step", flat=True)) == [
        "push",
        "notice",
    ]


@time_machine.travel(PUSH_DAY, tick=False)
def test_opening_a_batch_again_is_set_based_and_pushes_nothing(register, django_assert_max_num_queries):
    records = [
        registration_record(make_uscc(), established_on=date(2026, 9, 28), scope=FOOD_AND_LABOUR_SCOPE)
        for _ in range(40)
    ]
    register(*records)
    assert DualNotification.objects.count() == 80
    # Opening again is set-based: its queries do not grow with the batch (audit entries aside).
    run_id = DualNotification.objects.values_list("registration__run_id", flat=True).first()
    with django_assert_max_num_queries(10):
        result = services.dual_notifications_open(run_id=run_id, usccs=[r["uscc"] for r in records])
    assert result.pushed == 0


@time_machine.travel(PUSH_DAY, tick=False)
def test_a_catalogue_edit_changes_what_later_registrations_match(register, staff_of):
    admin = staff_of("SCJG", role="admin")
    services.catalogue_entry_save(
        entry_id=None,
        licence="网络直播营销备案",
        department_id="SWUJ",
        scope_keywords=["直播"],
        legal_basis="",
        author=admin.user,
        note="新增",
    )
    uscc = make_uscc()
    register(registration_record(uscc, established_on=date(2026, 9, 28), scope="互联网直播服务"))
    assert DualNotification.objects.get(subject_id=uscc).department_id == "SWUJ"


@time_machine.travel(PUSH_DAY, tick=False)
def test_the_daily_sweep_opens_what_a_lost_task_never_opened(city, tmp_path):
    uscc = make_uscc()
    record = registration_record(uscc, established_on=date(2026, 9, 28), scope=FOOD_SCOPE)
    ingest(None, tmp_path, "SCJG", "registration", [record])  # the receiver's task never ran
    assert not DualNotification.objects.filter(subject_id=uscc).exists()
    assert services.dual_notifications_advance(sweep=True).pushed == 1
    assert DualNotification.objects.filter(subject_id=uscc).count() == 1


@time_machine.travel(PUSH_DAY, tick=False)
def test_the_daily_sweep_leaves_processed_registrations_alone(register, django_assert_max_num_queries):
    register(registration_record(make_uscc(), established_on=date(2026, 9, 28), scope=FOOD_SCOPE))
    with django_assert_max_num_queries(8):
        assert services.dual_notifications_sweep().pushed == 0


@time_machine.travel(PUSH_DAY, tick=False)
def test_the_backfill_lets_a_later_scope_change_of_an_older_subject_push_only_what_it_adds(city, tmp_path):
    uscc = make_uscc()
    old = registration_record(uscc, established_on=date(2015, 3, 1), scope=FOOD_SCOPE)
    ingest(None, tmp_path, "SCJG", "registration", [old])  # stored before 双告知 was switched on
    assert services.dual_scope_snapshot_backfill() == 1
    assert not DualNotification.objects.exists()
    changed = registration_record(
        uscc, established_on=date(2015, 3, 1), approved_on=date(2026, 9, 29), scope=FOOD_AND_LABOUR_SCOPE
    )
    ingest(None, tmp_path, "SCJG", "registration", [changed])
    services.dual_notifications_advance(sweep=True)
    assert list(DualNotification.objects.values_list("licence", flat=True)) == ["劳务派遣经营许可证"]
