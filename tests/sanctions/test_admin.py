"""The measures catalogue in the admin: saving publishes a new version (audited); bad input stays on the form."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from warning_system.audit.models import Action, AuditEntry
from warning_system.sanctions.measures import default_measures
from warning_system.sanctions.models import MeasuresCatalogue

pytestmark = pytest.mark.django_db


def form(measures: dict, **overrides) -> dict:
    return {"effective_from": timezone.localdate().isoformat(), "note": "管理后台修改",
            "measures": json.dumps(measures, ensure_ascii=False), **overrides}  # fmt: skip


def test_saving_a_version_in_the_admin_publishes_the_next_one(admin_client, admin_user):
    measures = default_measures()
    measures["financing"]["colours"] = ["red", "orange"]
    response = admin_client.post(reverse("admin:sanctions_measurescatalogue_add"), form(measures))
    assert response.status_code == 302
    latest = MeasuresCatalogue.objects.get(version=2)
    assert (latest.author, latest.measures["financing"]["colours"]) == (admin_user, ["red", "orange"])
    assert AuditEntry.objects.filter(action=Action.MEASURES_CHANGE, actor_id=admin_user.pk).exists()


def test_an_invalid_catalogue_stays_on_the_admin_form(admin_client):
    measures = default_measures()
    measures["honour"]["legal_basis"] = ""
    response = admin_client.post(reverse("admin:sanctions_measurescatalogue_add"), form(measures))
    assert response.status_code == 200
    assert "须填写法律依据" in response.content.decode()
    assert MeasuresCatalogue.objects.count() == 1


def test_a_catalogue_that_is_not_an_object_stays_on_the_admin_form(admin_client):
    response = admin_client.post(
        reverse("admin:sanctions_measurescatalogue_add"), {**form({}), "measures": "-1"}
    )
    assert response.status_code == 200
    assert "须为按事项分列的 JSON 对象" in response.content.decode()
    assert MeasuresCatalogue.objects.count() == 1


def test_a_version_with_a_new_use_is_published_from_the_admin(admin_client):
    measures = default_measures()
    measures["housing_fund"] = {"label": "住房公积金", "order": 80, "colours": ["red"], "lists": [],
                                "measure": "不予贴息", "legal_basis": "《住房公积金管理条例》"}  # fmt: skip
    response = admin_client.post(reverse("admin:sanctions_measurescatalogue_add"), form(measures))
    assert response.status_code == 302
    assert MeasuresCatalogue.objects.get(version=2).measures["housing_fund"]["label"] == "住房公积金"


def test_a_malformed_use_key_stays_on_the_admin_form(admin_client):
    measures = default_measures()
    measures["Housing Fund"] = {**measures["listing"]}
    response = admin_client.post(reverse("admin:sanctions_measurescatalogue_add"), form(measures))
    assert response.status_code == 200
    assert "事项代码“Housing Fund”无效" in response.content.decode()
    assert MeasuresCatalogue.objects.count() == 1
