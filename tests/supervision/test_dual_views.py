"""双告知 workspace pages: queues with filters and bounded queries, the detail page with its
timeline and actions (POST only, CSRF, checked on the server, audited), the printable documents,
the dashboard and the catalogue editor."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from supervision.models import CatalogRevision, DualNotification, DualStatus
from supervision.selectors import dual as selectors
from supervision.services import dual as services
from tests.auth import log_in
from tests.factories import make_uscc
from tests.supervision.dual_feeds import FOOD_AND_LABOUR_SCOPE, FOOD_SCOPE, ingest, registration_record
from warning_system.audit.models import Action, AuditEntry
from warning_system.registry.models import PostLicenceCatalogEntry

CHINA = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=CHINA)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def register(staff_of, tmp_path, django_capture_on_commit_callbacks):
    """register(n, scope=…, district=…) → the usccs of n new subjects registered 2026-11-18."""

    def register(n: int = 1, *, scope: str = FOOD_SCOPE, district: str = "360102") -> list[str]:
        usccs = [make_uscc() for _ in range(n)]
        records = [
            registration_record(u, established_on=date(2026, 11, 18), scope=scope, district_code=district)
            for u in usccs
        ]
        ingest(django_capture_on_commit_callbacks, tmp_path, "SCJG", "registration", records)
        return usccs

    return register


def notification_of(uscc: str, dept: str = "SCJG") -> DualNotification:
    return DualNotification.objects.get(subject_id=uscc, department_id=dept)


def client_of(staff, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    log_in(client, staff)
    return client


def make_overdue(notification: DualNotification) -> None:
    with time_machine.travel(datetime(2026, 12, 19, 9, tzinfo=CHINA), tick=False):
        services.dual_notifications_advance()


# --------------------------------------------------------------------------- queues


def test_the_claim_queue_lists_what_was_pushed_to_the_department(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    response = client_of(staff_of("SCJG")).get(reverse("supervision:dual_queue", args=["to_claim"]))
    assert response.status_code == 200
    assert food in response.content.decode()


def test_the_claim_queue_does_not_list_another_departments_notifications(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    response = client_of(staff_of("RSJ")).get(reverse("supervision:dual_queue", args=["to_claim"]))
    assert food not in response.content.decode()


def test_an_unknown_queue_is_404(staff_of, reference_data):
    assert (
        client_of(staff_of("SCJG")).get(reverse("supervision:dual_queue", args=["nope"])).status_code == 404
    )


def test_the_queue_page_does_not_query_per_row(register, staff_of, django_assert_max_num_queries):
    register(30, scope=FOOD_AND_LABOUR_SCOPE)
    client = client_of(staff_of("SCJG"))
    url = reverse("supervision:dual_queue", args=["to_claim"])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count("食品经营许可证") >= 30


def test_the_admin_all_queue_does_not_query_per_row(register, staff_of, django_assert_max_num_queries):
    register(30, scope=FOOD_AND_LABOUR_SCOPE)
    client = client_of(staff_of("SCJG", role="admin"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("supervision:dual_queue", args=["all"]))
    assert response.status_code == 200


def test_the_filter_narrows_the_list_by_licence(register, staff_of):
    register(2, scope=FOOD_AND_LABOUR_SCOPE)
    admin = staff_of("SCJG", role="admin")
    queryset = selectors.queue_notifications(admin, "all")
    from supervision.filters.dual import DualNotificationFilter

    assert DualNotificationFilter({"licence": "劳务派遣经营许可证"}, queryset=queryset).qs.count() == 2
    assert DualNotificationFilter({}, queryset=queryset).qs.count() == 4


def test_the_filter_narrows_the_list_by_district_and_status(register, staff_of):
    from supervision.filters.dual import DualNotificationFilter

    [east] = register(scope=FOOD_SCOPE, district="360102")
    register(scope=FOOD_SCOPE, district="360111")
    services.dual_notification_claim(notification_id=notification_of(east).pk, staff=staff_of("SCJG"))
    queryset = selectors.queue_notifications(staff_of("SCJG", role="admin"), "all")
    assert [n.subject_id for n in DualNotificationFilter({"district": "360102"}, queryset=queryset).qs] == [
        east
    ]
    assert [n.subject_id for n in DualNotificationFilter({"status": "claimed"}, queryset=queryset).qs] == [
        east
    ]


def test_the_filter_by_push_date_and_search(register, staff_of):
    from supervision.filters.dual import DualNotificationFilter

    [food] = register(scope=FOOD_SCOPE)
    queryset = selectors.queue_notifications(staff_of("SCJG", role="admin"), "all")
    assert DualNotificationFilter({"pushed_from": "2026-11-21"}, queryset=queryset).qs.count() == 0
    assert DualNotificationFilter({"pushed_to": "2026-11-20"}, queryset=queryset).qs.count() == 1
    assert DualNotificationFilter({"q": food}, queryset=queryset).qs.count() == 1


def test_the_queue_search_finds_notifications_by_a_fragment_of_the_name(register, staff_of):
    found, other = register(2, scope=FOOD_SCOPE)
    client = client_of(staff_of("SCJG", role="admin"))
    response = client.get(reverse("supervision:dual_queue", args=["all"]), {"q": f"测试{found[-6:]}"})
    assert response.status_code == 200
    page = response.content.decode()
    assert found in page
    assert other not in page


def test_the_queue_search_finds_notifications_by_the_start_of_the_code(register, staff_of):
    found, other = register(2, scope=FOOD_SCOPE)
    client = client_of(staff_of("SCJG", role="admin"))
    response = client.get(reverse("supervision:dual_queue", args=["all"]), {"q": found[:17].lower()})
    assert response.status_code == 200
    page = response.content.decode()
    assert found in page
    assert other not in page


def test_the_home_page_shows_the_dual_queues_with_counts(register, staff_of):
    register(2, scope=FOOD_SCOPE)
    tiles = {q.key: q.count for q in selectors.queues(staff_of("SCJG"))}
    assert tiles == {"dual_to_claim": 2, "dual_pool": 0, "dual_claimed": 0, "dual_overdue": 0}


# --------------------------------------------------------------------------- detail and actions


def test_the_detail_page_shows_the_timeline_and_the_deadlines(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    page = client_of(staff_of("SCJG")).get(
        reverse("supervision:dual_detail", args=[notification_of(food).pk])
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "推送" in html and "生成告知书" in html and "2026-11-27" in html  # claim due: 5 working days


def test_another_department_may_not_open_a_notification_pushed_elsewhere(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    rsj = staff_of("RSJ")
    response = client_of(rsj).get(reverse("supervision:dual_detail", args=[notification_of(food).pk]))
    assert response.status_code == 403
    assert AuditEntry.objects.filter(action=Action.DENIED, actor_id=rsj.user.pk).exists()


def test_another_department_may_not_claim_a_notification_pushed_elsewhere(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    response = client_of(staff_of("RSJ")).post(reverse("supervision:dual_claim", args=[pk]))
    assert response.status_code == 403
    assert DualNotification.objects.get(pk=pk).status == DualStatus.PUSHED


def test_the_competent_department_claims_on_the_detail_page(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    response = client_of(staff_of("SCJG")).post(reverse("supervision:dual_claim", args=[pk]))
    assert response.status_code == 302
    assert DualNotification.objects.get(pk=pk).claimed_by_id == "SCJG"


def test_a_pooled_notification_can_be_opened_and_claimed_by_any_department(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    services.dual_notification_return(notification_id=pk, staff=staff_of("SCJG"), reason="非本部门事项")
    client = client_of(staff_of("CGJ"))
    assert client.get(reverse("supervision:dual_detail", args=[pk])).status_code == 200
    client.post(reverse("supervision:dual_claim", args=[pk]))
    assert DualNotification.objects.get(pk=pk).claimed_by_id == "CGJ"


def test_actions_refuse_get(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    response = client_of(staff_of("SCJG")).get(
        reverse("supervision:dual_claim", args=[notification_of(food).pk])
    )
    assert response.status_code == 405


def test_actions_need_the_csrf_token(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    response = client_of(staff_of("SCJG"), csrf=True).post(reverse("supervision:dual_claim", args=[pk]))
    assert response.status_code == 403
    assert DualNotification.objects.get(pk=pk).status == DualStatus.PUSHED


def test_a_return_without_a_reason_shows_the_form_error(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    response = client_of(staff_of("SCJG")).post(reverse("supervision:dual_return", args=[pk]), {"reason": ""})
    assert response.status_code == 400
    assert DualNotification.objects.get(pk=pk).status == DualStatus.PUSHED


def test_a_return_with_a_reason_pools_the_notification(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    client_of(staff_of("SCJG")).post(reverse("supervision:dual_return", args=[pk]), {"reason": "不属本部门"})
    assert DualNotification.objects.get(pk=pk).status == DualStatus.POOLED


def test_a_refused_transition_is_a_message_not_an_error(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    client = client_of(staff_of("SCJG"))
    client.post(reverse("supervision:dual_claim", args=[pk]))
    response = client.post(reverse("supervision:dual_claim", args=[pk]), follow=True)
    assert "不能认领" in response.content.decode()


def test_feedback_and_close_through_the_pages(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    notification = notification_of(food)
    make_overdue(notification)
    client_of(staff_of("SCJG")).post(
        reverse("supervision:dual_feedback", args=[notification.pk]),
        {"choice": "case_opened", "note": "立案"},
    )
    client_of(staff_of("SCJG", role="leader")).post(
        reverse("supervision:dual_close", args=[notification.pk]), {"confirm": "yes"}
    )
    assert DualNotification.objects.get(pk=notification.pk).status == DualStatus.CLOSED


def test_feedback_other_without_a_note_shows_the_form_error(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    notification = notification_of(food)
    make_overdue(notification)
    response = client_of(staff_of("SCJG")).post(
        reverse("supervision:dual_feedback", args=[notification.pk]), {"choice": "other"}
    )
    assert response.status_code == 400


def test_staff_get_403_when_closing(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    notification = notification_of(food)
    make_overdue(notification)
    services.dual_notification_feedback(
        notification_id=notification.pk, staff=staff_of("SCJG"), choice="licensed"
    )
    response = client_of(staff_of("SCJG")).post(
        reverse("supervision:dual_close", args=[notification.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 403


# --------------------------------------------------------------------------- personal data


def test_the_detail_page_does_not_show_personal_data_unasked(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    html = client_of(staff_of("SCJG")).get(
        reverse("supervision:dual_detail", args=[notification_of(food).pk])
    )
    assert "13800000000" not in html.content.decode()
    assert "360102198502275482" not in html.content.decode()


def test_the_competent_department_sees_personal_data_and_the_reading_is_audited(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    scjg = staff_of("SCJG")
    pk = notification_of(food).pk
    response = client_of(scjg).post(reverse("supervision:dual_personal", args=[pk]))
    html = response.content.decode()
    assert "13800000000" in html and "360102198502275482" in html
    entry = AuditEntry.objects.get(action=Action.VIEW_PERSONAL, actor_id=scjg.user.pk)
    assert (entry.subject_uscc, entry.after["fields"]) == (food, ["legal_rep_id_number", "phone"])


def test_a_department_claiming_from_the_pool_only_after_claiming_sees_personal_data(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    pk = notification_of(food).pk
    services.dual_notification_return(notification_id=pk, staff=staff_of("SCJG"), reason="非本部门事项")
    cgj = client_of(staff_of("CGJ"))
    assert cgj.post(reverse("supervision:dual_personal", args=[pk])).status_code == 403
    cgj.post(reverse("supervision:dual_claim", args=[pk]))
    assert cgj.post(reverse("supervision:dual_personal", args=[pk])).status_code == 200


# --------------------------------------------------------------------------- printable documents


def test_the_notice_lists_each_licence_its_department_and_legal_basis(register, staff_of):
    [uscc] = register(scope=FOOD_AND_LABOUR_SCOPE)
    response = client_of(staff_of("SCJG")).get(reverse("supervision:dual_notice", args=[uscc]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("后置审批事项告知书", "食品经营许可证", "南昌市市场监督管理局", "劳务派遣经营许可证",
                 "南昌市人力资源和社会保障局", "《中华人民共和国劳动合同法》第五十七条", "2026年12月18日"):  # fmt: skip
        assert text in html


def test_the_notice_is_refused_to_an_uninvolved_department(register, staff_of):
    [uscc] = register(scope=FOOD_SCOPE)
    assert client_of(staff_of("JTJ")).get(reverse("supervision:dual_notice", args=[uscc])).status_code == 403


def test_the_written_notice_prints_its_number_and_addressee(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    notification = notification_of(food)
    make_overdue(notification)
    response = client_of(staff_of("SCJG")).get(
        reverse("supervision:dual_written_notice", args=[notification.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "双告知〔2026〕0001号" in html and "南昌市市场监督管理局：" in html


def test_there_is_no_written_notice_before_the_warning(register, staff_of):
    [food] = register(scope=FOOD_SCOPE)
    url = reverse("supervision:dual_written_notice", args=[notification_of(food).pk])
    assert client_of(staff_of("SCJG")).get(url).status_code == 404


# --------------------------------------------------------------------------- dashboard


def test_the_dashboard_counts_pushed_claimed_overdue_and_licensed_in_time(register, staff_of):
    first, second, third = register(3, scope=FOOD_SCOPE)
    scjg = staff_of("SCJG")
    services.dual_notification_claim(notification_id=notification_of(first).pk, staff=scjg)
    DualNotification.objects.filter(subject_id=second).update(
        licensed_on=date(2026, 11, 25), status="licensed"
    )
    DualNotification.objects.filter(subject_id=third).update(overdue_at=NOW, status="overdue")
    board = selectors.dashboard(scjg, None)
    assert (
        board.totals.pushed,
        board.totals.claimed,
        board.totals.overdue,
        board.totals.licensed_in_time,
    ) == (
        3,
        1,
        1,
        1,
    )
    assert board.weeks[-1][1].pushed == 3


def test_a_department_sees_only_its_own_dashboard(register, staff_of):
    register(2, scope=FOOD_AND_LABOUR_SCOPE)
    board = selectors.dashboard(staff_of("RSJ"), "SCJG")
    assert (board.department.code, board.totals.pushed) == ("RSJ", 2)


def test_the_city_dashboard_has_a_row_per_department(register, staff_of):
    register(2, scope=FOOD_AND_LABOUR_SCOPE)
    response = client_of(staff_of("SCJG", role="admin")).get(reverse("supervision:dual_dashboard"))
    board = response.context["board"]
    assert response.status_code == 200
    assert [(row.code, row.counts.pushed) for row in board.departments] == [("RSJ", 2), ("SCJG", 2)]
    assert "<svg" in response.content.decode()


def test_the_dashboard_page_renders_for_a_department(register, staff_of, django_assert_max_num_queries):
    register(2, scope=FOOD_SCOPE)
    client = client_of(staff_of("SCJG"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("supervision:dual_dashboard"))
    assert response.status_code == 200 and "30日内办证" in response.content.decode()


# --------------------------------------------------------------------------- catalogue


def test_the_catalogue_editor_is_for_administrators(staff_of):
    response = client_of(staff_of("SCJG", role="leader")).get(reverse("supervision:dual_catalogue"))
    assert response.status_code == 403


def test_editing_the_catalogue_creates_a_revision_and_an_audit_entry(staff_of):
    admin = staff_of("SCJG", role="admin")
    entry = PostLicenceCatalogEntry.objects.get(licence="食品经营许可证")
    response = client_of(admin).post(
        reverse("supervision:dual_catalogue_edit", args=[entry.pk]),
        {"licence": "食品经营许可证", "department": "SCJG", "scope_keywords": "食品经营；餐饮服务；食品销售；预包装食品",
         "legal_basis": entry.legal_basis, "note": "增加预包装食品"},
    )  # fmt: skip
    assert response.status_code == 302
    entry.refresh_from_db()
    assert "预包装食品" in entry.scope_keywords
    latest = CatalogRevision.objects.order_by("-version").first()
    assert (latest.version, latest.note, latest.author_id) == (2, "增加预包装食品", admin.user.pk)
    assert CatalogRevision.objects.get(version=1).note == "初始目录（参考数据）"
    audit = AuditEntry.objects.get(action=Action.CATALOG_CHANGE)
    assert "预包装食品" not in audit.before["scope_keywords"] and audit.after["version"] == 2


def test_deleting_a_catalogue_entry_creates_a_revision(staff_of):
    admin = staff_of("SCJG", role="admin")
    entry = PostLicenceCatalogEntry.objects.get(licence="典当经营许可证")
    client_of(admin).post(reverse("supervision:dual_catalogue_delete", args=[entry.pk]), {"note": "已取消"})
    assert not PostLicenceCatalogEntry.objects.filter(pk=entry.pk).exists()
    latest = CatalogRevision.objects.order_by("-version").first()
    assert "典当经营许可证" not in {e["licence"] for e in latest.entries}


def test_the_catalogue_pages_render(staff_of):
    client = client_of(staff_of("SCJG", role="admin"))
    entry = PostLicenceCatalogEntry.objects.get(licence="典当经营许可证")
    services.catalogue_entry_delete(entry_id=entry.pk, author=None, note="x")
    for url in (
        reverse("supervision:dual_catalogue"),
        reverse("supervision:dual_catalogue_new"),
        reverse("supervision:dual_catalogue_edit", args=[PostLicenceCatalogEntry.objects.first().pk]),
        reverse("supervision:dual_catalogue_revision", args=[1]),
    ):
        assert client.get(url).status_code == 200, url


def test_a_catalogue_edit_in_the_admin_site_also_creates_a_revision(admin_client, reference_data):
    entry = PostLicenceCatalogEntry.objects.get(licence="典当经营许可证")
    response = admin_client.post(
        reverse("admin:registry_postlicencecatalogentry_change", args=[entry.pk]),
        {"licence": "典当经营许可证", "department": "JRB", "scope_keywords": "典当,质押典当",
         "legal_basis": entry.legal_basis, "note": "后台修改"},
    )  # fmt: skip
    assert response.status_code == 302
    assert PostLicenceCatalogEntry.objects.get(pk=entry.pk).scope_keywords == ["典当", "质押典当"]
    assert CatalogRevision.objects.order_by("-version").first().note == "后台修改"
    assert AuditEntry.objects.filter(action=Action.CATALOG_CHANGE).count() == 1


def test_the_dual_admin_pages_render(admin_client, register):
    register(scope=FOOD_SCOPE)
    notification = DualNotification.objects.first()
    for url in (
        reverse("admin:supervision_dualnotification_changelist"),
        reverse("admin:supervision_dualnotification_change", args=[notification.pk]),
        reverse("admin:supervision_workdayoverride_add"),
        reverse("admin:supervision_catalogrevision_changelist"),
    ):
        assert admin_client.get(url).status_code == 200, url
