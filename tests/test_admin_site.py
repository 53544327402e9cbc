"""The admin site's own guards, beyond Django's."""

import pytest
from django.urls import reverse

from warning_system.registry.models import Department

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("view", ["change", "delete"])
def test_an_empty_to_field_is_refused_as_a_bad_request(admin_client, reference_data, view):
    department = Department.objects.order_by("pk").first()
    url = reverse(f"admin:registry_department_{view}", args=[department.pk])
    assert admin_client.get(url, {"_to_field": ""}).status_code == 400
    assert admin_client.get(url).status_code == 200


def test_an_add_page_ignores_a_date_time_in_its_query(admin_client):
    url = reverse("admin:disclosure_institution_add")
    response = admin_client.get(url, {"name": "南昌测试银行", "created_at": "2026-10-10 05:57:31"})
    assert response.status_code == 200
    assert "南昌测试银行" in response.content.decode()  # other fields are still filled in


def test_an_action_on_rows_named_by_no_possible_key_is_a_bad_request(admin_client):
    url = reverse("admin:classification_dailycolourcount_changelist")
    response = admin_client.post(url, {"action": "delete_selected", "_selected_action": ["not-a-day"]})
    assert response.status_code == 400
