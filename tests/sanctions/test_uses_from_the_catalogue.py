"""The uses are the catalogue's: a use added by a new catalogue version is offered and checked by the
workspace page and the institutions' API with no code change; dropped uses keep their stored label."""

import json

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.services.api_keys import api_key_issue
from tests.auth import log_in
from tests.sanctions import world
from warning_system.sanctions import measures, selectors, services
from warning_system.sanctions.models import JointCheck, ReportedAction

pytestmark = pytest.mark.django_db

HOUSING_FUND = {
    "label": "住房公积金贷款贴息",
    "order": 80,
    "colours": ["red"],
    "lists": ["serious_violation"],
    "measure": "不予享受住房公积金贷款贴息",
    "legal_basis": "《住房公积金管理条例》；国发〔2016〕33号",
}


@pytest.fixture
def eighth_use(reference_data, django_capture_on_commit_callbacks):
    """A catalogue version with an eighth use, published and in force today."""
    catalogue = measures.default_measures()
    catalogue["housing_fund"] = dict(HOUSING_FUND)
    with django_capture_on_commit_callbacks(execute=True):
        services.catalogue_publish(
            measures_data=catalogue, effective_from=timezone.localdate(), note="新增事项"
        )
    return "housing_fund"


def test_the_defaults_offer_seven_uses_with_licensing_last(reference_data):
    uses = [use for use, _label in selectors.uses_in_effect()]
    assert len(uses) == 7 and uses[-1] == "licensing"


def test_a_published_eighth_use_is_in_force(eighth_use):
    assert selectors.uses_in_effect()[-1] == ("housing_fund", "住房公积金贷款贴息")


def test_the_check_page_offers_and_checks_the_eighth_use(client, staff_of, eighth_use):
    red = world.red()
    log_in(client, staff_of("SCJG"))
    form = client.get(reverse("supervision:joint_check")).content.decode()
    assert 'value="housing_fund"' in form and "住房公积金贷款贴息" in form
    response = client.post(reverse("supervision:joint_check"), {"subject": red, "use": "housing_fund"})
    assert response.status_code == 302
    check = JointCheck.objects.get()
    assert (check.use, check.outcome, check.use_label) == ("housing_fund", "restricted", "住房公积金贷款贴息")
    page = client.get(response.url).content.decode()
    assert "住房公积金贷款贴息" in page and "《住房公积金管理条例》" in page


def test_the_api_lists_and_checks_the_eighth_use(client, eighth_use):
    red = world.red()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key_issue('南昌测试银行')[1]}"}
    listed = client.get("/api/v1/joint-uses", **auth).json()
    assert listed["uses"][-1]["use"] == "housing_fund"
    assert listed["uses"][-1]["label"] == "住房公积金贷款贴息"
    response = client.post("/api/v1/joint-checks", json.dumps({"uscc": red, "use": "housing_fund"}),
                           content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["use"], body["use_label"], body["outcome"]) == (
        "housing_fund",
        "住房公积金贷款贴息",
        "restricted",
    )
    assert body["catalogue_version"] == 2


def test_a_new_use_reports_the_generic_restriction(eighth_use, asker):
    result = services.subject_check(uscc=world.red(), use="housing_fund", requester=asker)
    reported = services.outcome_report(
        check=result.check, action=ReportedAction.RESTRICTION_APPLIED, on=timezone.localdate(), note="",
        requester=asker,
    )  # fmt: skip
    assert reported.reported_action == ReportedAction.RESTRICTION_APPLIED


def test_a_use_not_in_the_catalogue_in_force_is_refused_naming_the_uses(reference_data, asker):
    with pytest.raises(services.SanctionError) as refused:
        services.subject_check(uscc=world.red(), use="housing_fund", requester=asker)
    assert refused.value.code == "unknown_use" and "licensing" in refused.value.message


def test_the_api_refuses_an_unknown_use_with_a_400(client, reference_data):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {api_key_issue('南昌测试银行')[1]}"}
    response = client.post("/api/v1/joint-checks", json.dumps({"uscc": world.red(), "use": "housing_fund"}),
                           content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 400 and response.json()["error"]["code"] == "unknown_use"


def test_a_check_of_a_use_a_later_version_dropped_keeps_its_label(
    eighth_use, asker, django_capture_on_commit_callbacks
):
    check = services.subject_check(uscc=world.red(), use="housing_fund", requester=asker).check
    with django_capture_on_commit_callbacks(execute=True):
        services.catalogue_publish(measures_data=measures.default_measures(), note="撤销事项")
    assert "housing_fund" not in dict(selectors.uses_in_effect())
    assert JointCheck.objects.select_related("catalogue").get(pk=check.pk).use_label == "住房公积金贷款贴息"


def test_a_batch_line_may_name_the_new_use_by_its_label(eighth_use):
    from supervision.services.joint import use_spellings

    assert use_spellings()["住房公积金贷款贴息"] == "housing_fund"
    assert use_spellings()["行政审批"] == "licensing"


def test_an_installation_whose_catalogue_predates_labels_gets_a_version_with_them_and_licensing(db):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("warning_system.sanctions.migrations.0003_uses_from_the_catalogue")
    old = {use: {k: v for k, v in entry.items() if k not in ("label", "order")}
           for use, entry in measures.default_measures().items() if use != "licensing"}  # fmt: skip
    MeasuresCatalogue = apps.get_model("sanctions", "MeasuresCatalogue")
    MeasuresCatalogue.objects.all().delete()
    MeasuresCatalogue.objects.create(version=1, measures=old, effective_from=timezone.localdate())
    migration.publish_labels_and_licensing(apps, None)
    newest = MeasuresCatalogue.objects.get(version=2)
    assert measures.uses_of(newest.measures)[-1] == "licensing"
    assert newest.measures["financing"]["label"] == "融资授信"
    assert measures.validate(newest.measures) == []
