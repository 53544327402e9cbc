"""The admin site shows colours and their history but never adds one: the colour engine writes them."""

import pytest
from django.urls import reverse

from warning_system.classification.models import ColourChange, SubjectColour

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["subjectcolour", "colourchange"])
def test_the_admin_cannot_add_a_colour_or_a_colour_change(admin_client, model):
    add = reverse(f"admin:classification_{model}_add")
    assert admin_client.get(add).status_code == 403
    assert admin_client.post(add, {}).status_code == 403
    assert not SubjectColour.objects.exists() and not ColourChange.objects.exists()
