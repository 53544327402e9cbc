"""The admin site's own guards, beyond Django's."""

import pytest
from django.urls import reverse

from warning_system.registry.models import Department

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["change", "delete"])
def test_an_empty_to_field_is_refused_as_a_bad_request(admin_client, reference_data, page):
    department = Department.objects.order_by("pk").first()
    url = reverse(f"admin:registry_department_{page}", args=[department.pk])
    assert admin_client.get(url, {"_to_field": ""}).status_code == 400
    assert admin_client.get(url).status_code == 200
