"""The admin site shows the inspectors directory but never changes it: changes are workspace actions."""

import pytest
from django.urls import reverse

from tests.inspections.world import InspectorFactory
from warning_system.inspections.models import Inspector

pytestmark = pytest.mark.django_db


def test_the_admin_cannot_add_change_or_delete_an_inspector(admin_client, reference_data):
    inspector = InspectorFactory(name="只读检查员")
    assert admin_client.get(reverse("admin:inspections_inspector_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:inspections_inspector_add")).status_code == 403
    change = reverse("admin:inspections_inspector_change", args=[inspector.pk])
    admin_client.post(change, {"name": "改名", "badge_number": inspector.badge_number})
    delete = reverse("admin:inspections_inspector_delete", args=[inspector.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Inspector.objects.get(pk=inspector.pk).name == "只读检查员"
    assert b'name="_save"' not in admin_client.get(change).content
