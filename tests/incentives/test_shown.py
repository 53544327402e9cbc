"""Incentives where they are read: the public subject page, the joint check API, the admin site."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.services.api_keys import api_key_issue
from tests.auth import log_in
from tests.sanctions import world
from warning_system.incentives import catalogue, selectors, services
from warning_system.incentives.models import IncentivesCatalogue

pytestmark = pytest.mark.django_db

URL = "/api/v1/joint-checks"


@pytest.fixture
def key(reference_data) -> str:
    return api_key_issue("南昌测试银行")[1]


def check(client, key: str, uscc: str) -> dict:
    response = client.post(
        URL, json.dumps({"uscc": uscc, "use": "subsidy"}), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return response.json()


def test_the_green_subject_page_shows_its_incentives(client, reference_data):
    uscc = world.green()
    body = client.get(f"/subjects/{uscc}").content.decode()
    assert 'data-field="incentives"' in body
    assert "降低“双随机、一公开”抽查比例和频次" in body


def test_the_red_subject_page_shows_no_incentives(client, reference_data):
    body = client.get(f"/subjects/{world.red()}").content.decode()
    assert 'data-field="incentives"' not in body


def test_the_joint_check_returns_a_green_subjects_incentives_beside_its_answer(client, key):
    body = check(client, key, world.green())
    assert body["outcome"] == "allowed"
    assert [i["key"] for i in body["incentives"]] == [catalogue.FAST_TRACK, catalogue.LOWER_INSPECTION_RATIO]
    assert all(i["label"] and i["legal_basis"] for i in body["incentives"])


def test_the_joint_check_returns_no_incentives_for_a_red_subject(client, key):
    assert check(client, key, world.red())["incentives"] == []


def test_the_list_of_checks_carries_each_checks_incentives(client, key, django_assert_max_num_queries):
    green, red = world.green(), world.red()
    check(client, key, green)
    check(client, key, red)
    with django_assert_max_num_queries(8):
        response = client.get(URL, HTTP_AUTHORIZATION=f"Bearer {key}")
    found = {row["uscc"]: [i["key"] for i in row["incentives"]] for row in response.json()["checks"]}
    assert found == {green: [catalogue.FAST_TRACK, catalogue.LOWER_INSPECTION_RATIO], red: []}


def form(entries, **overrides) -> dict:
    return {"effective_from": timezone.localdate().isoformat(), "note": "管理后台修改",
            "incentives": json.dumps(entries, ensure_ascii=False), **overrides}  # fmt: skip


def test_saving_a_version_in_the_admin_publishes_the_next_one(admin_client, admin_user):
    entries = catalogue.default_incentives()
    entries[catalogue.FAST_TRACK]["green_years"] = 2
    response = admin_client.post(reverse("admin:incentives_incentivescatalogue_add"), form(entries))
    assert response.status_code == 302
    latest = IncentivesCatalogue.objects.get(version=2)
    assert (latest.author, latest.incentives[catalogue.FAST_TRACK]["green_years"]) == (admin_user, 2)


def test_an_invalid_catalogue_stays_on_the_admin_form(admin_client):
    entries = catalogue.default_incentives()
    entries[catalogue.FAST_TRACK]["green_years"] = -1
    response = admin_client.post(reverse("admin:incentives_incentivescatalogue_add"), form(entries))
    assert response.status_code == 200
    assert "连续绿色年数" in response.content.decode()
    assert IncentivesCatalogue.objects.count() == 1


def test_the_admin_lists_the_versions(admin_client):
    response = admin_client.get(reverse("admin:incentives_incentivescatalogue_changelist"))
    assert response.status_code == 200
    assert "系统默认激励措施" in response.content.decode()


def test_a_published_version_is_read_from_the_day_it_takes_effect(admin_client):
    entries = catalogue.default_incentives()
    del entries[catalogue.SUBSIDY_PRIORITY]
    services.catalogue_publish(incentives_data=entries, note="去掉补贴优先")
    assert catalogue.SUBSIDY_PRIORITY not in selectors.incentives_in_effect(timezone.localdate())


def test_a_published_catalogue_drops_the_cached_subject_pages(
    client, reference_data, django_capture_on_commit_callbacks
):
    uscc = world.green()
    assert "行政审批容缺受理" in client.get(f"/subjects/{uscc}").content.decode()
    entries = catalogue.default_incentives()
    del entries[catalogue.FAST_TRACK]
    with django_capture_on_commit_callbacks(execute=True):
        services.catalogue_publish(incentives_data=entries, note="去掉容缺受理")
    assert "行政审批容缺受理" not in client.get(f"/subjects/{uscc}").content.decode()


def test_the_workspace_check_shows_a_green_subjects_incentives(client, staff_of, reference_data):
    log_in(client, staff_of("SCJG"))
    uscc = world.green()
    response = client.post(
        reverse("supervision:joint_check"), {"subject": uscc, "use": "subsidy"}, follow=True
    )
    body = response.content.decode()
    assert 'data-field="incentives"' in body
    assert "降低“双随机、一公开”抽查比例和频次" in body
