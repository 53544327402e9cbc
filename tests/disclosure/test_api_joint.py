"""/api/v1/joint-checks: an institution checks a subject for a use, reports what it did, and lists
its own checks; every bad input is a 4xx JSON error; the schema documents it all."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from disclosure.models import Institution
from disclosure.services.api_keys import api_key_issue
from tests.factories import make_uscc, wrong_check
from tests.sanctions import world
from tests.supervision.conftest import reference_data  # noqa: F401  (fixture)
from warning_system.audit.models import Action, AuditEntry
from warning_system.sanctions.models import JointCheck

pytestmark = pytest.mark.django_db

URL = "/api/v1/joint-checks"


@pytest.fixture
def key(reference_data) -> str:  # noqa: F811
    return api_key_issue("南昌测试银行")[1]


@pytest.fixture
def red(reference_data) -> str:  # noqa: F811
    return world.red()


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path: str, key: str, body) -> object:
    return client.post(path, json.dumps(body), content_type="application/json", **auth(key))


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_a_check_answers_restricted_with_reasons_basis_and_its_id(client, key, red):
    response = post(client, URL, key, {"uscc": red.lower(), "use": "financing"})
    assert response.status_code == 201
    body = response.json()
    check = JointCheck.objects.get()
    assert (body["id"], body["uscc"], body["outcome"], body["colour"]) == (check.pk, red, "restricted", "red")
    (reason,) = body["reasons"]
    assert reason["rule"] == "serious_violation" and reason["records"][0]["kind"] == "serious_violation"
    assert "国发〔2016〕33号" in body["legal_basis"]
    assert (body["catalogue_version"], body["reported"]) == (1, None)


def test_the_check_records_the_institution_and_its_key(client, key, red):
    post(client, URL, key, {"uscc": red, "use": "listing"})
    check = JointCheck.objects.get()
    institution = Institution.objects.get(name="南昌测试银行")
    assert (check.channel, check.requester_kind, check.institution_id, check.requester_label) == (
        "api",
        "institution",
        institution.pk,
        "南昌测试银行",
    )
    assert check.api_key_id == institution.api_keys.get().pk
    assert AuditEntry.objects.filter(action=Action.JOINT_CHECK, subject_uscc=red).exists()


def test_an_unknown_use_is_a_400(client, key, red):
    assert_error(post(client, URL, key, {"uscc": red, "use": "lottery"}), 400, "unknown_use")


def test_a_bad_uscc_is_a_400(client, key, reference_data):  # noqa: F811
    assert_error(
        post(client, URL, key, {"uscc": wrong_check(make_uscc()), "use": "financing"}), 400, "invalid_code"
    )


def test_a_missing_field_is_a_400_with_details(client, key, reference_data):  # noqa: F811
    response = post(client, URL, key, {"uscc": make_uscc()})
    assert_error(response, 400, "invalid_request")
    assert "use" in response.json()["error"]["details"]


def test_an_unknown_subject_is_a_404_and_nothing_is_stored(client, key, reference_data):  # noqa: F811
    assert_error(post(client, URL, key, {"uscc": make_uscc(), "use": "financing"}), 404, "subject_not_found")
    assert not JointCheck.objects.exists()


def test_without_a_key_it_is_a_401(client, red):
    response = client.post(
        URL, json.dumps({"uscc": red, "use": "financing"}), content_type="application/json"
    )
    assert_error(response, 401, "unauthorized")


def test_the_institution_reports_its_outcome(client, key, red):
    check_id = post(client, URL, key, {"uscc": red, "use": "financing"}).json()["id"]
    response = post(client, f"{URL}/{check_id}/outcome", key, {"action": "credit_denied", "note": "不予授信"})
    assert response.status_code == 200
    assert response.json()["reported"]["action"] == "credit_denied"
    assert JointCheck.objects.get().reported_on == timezone.localdate()
    assert AuditEntry.objects.filter(action=Action.JOINT_OUTCOME, object_id=str(check_id)).exists()


def test_a_second_outcome_is_a_409(client, key, red):
    check_id = post(client, URL, key, {"uscc": red, "use": "listing"}).json()["id"]
    post(client, f"{URL}/{check_id}/outcome", key, {"action": "listing_deferred"})
    assert_error(post(client, f"{URL}/{check_id}/outcome", key, {"action": "none"}), 409, "already_reported")


def test_an_outcome_that_does_not_fit_the_use_is_a_400(client, key, red):
    check_id = post(client, URL, key, {"uscc": red, "use": "listing"}).json()["id"]
    assert_error(
        post(client, f"{URL}/{check_id}/outcome", key, {"action": "bid_rejected"}), 400, "action_mismatch"
    )


def test_an_outcome_dated_tomorrow_is_a_400(client, key, red):
    check_id = post(client, URL, key, {"uscc": red, "use": "financing"}).json()["id"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = post(client, f"{URL}/{check_id}/outcome", key, {"action": "credit_denied", "on": tomorrow})
    assert_error(response, 400, "future_date")


def test_another_institutions_check_is_a_404(client, key, red):
    check_id = post(client, URL, key, {"uscc": red, "use": "financing"}).json()["id"]
    other = api_key_issue("南昌另一银行")[1]
    assert_error(client.get(f"{URL}/{check_id}", **auth(other)), 404, "check_not_found")
    assert_error(post(client, f"{URL}/{check_id}/outcome", other, {"action": "none"}), 404, "check_not_found")
    assert JointCheck.objects.get().reported_action == ""


def test_the_list_holds_only_ones_own_checks_newest_first_and_pages(client, key, red):
    other = api_key_issue("南昌另一银行")[1]
    post(client, URL, other, {"uscc": red, "use": "financing"})
    ids = [
        post(client, URL, key, {"uscc": red, "use": use}).json()["id"]
        for use in ("financing", "listing", "honour")
    ]
    first = client.get(URL, {"limit": 2}, **auth(key)).json()
    assert [c["id"] for c in first["checks"]] == ids[:0:-1]
    rest = client.get(URL, {"limit": 2, "before": first["next_before"]}, **auth(key)).json()
    assert ([c["id"] for c in rest["checks"]], rest["next_before"]) == ([ids[0]], None)
    assert [c["use"] for c in client.get(URL, {"use": "honour"}, **auth(key)).json()["checks"]] == ["honour"]


@pytest.mark.parametrize("query", [{"limit": 0}, {"use": ""}, {"use": "Lottery!"}, {"colour": "red"}])
def test_a_bad_list_filter_is_a_400(client, key, reference_data, query):  # noqa: F811
    assert_error(client.get(URL, query, **auth(key)), 400, "invalid_request")


def test_a_code_sent_as_a_number_is_a_400(client, key, reference_data):  # noqa: F811
    assert_error(post(client, URL, key, {"uscc": 91360100, "use": "financing"}), 400, "invalid_request")


def test_the_list_reads_a_fixed_number_of_queries(client, key, red, django_assert_max_num_queries):
    for use in ("financing", "listing", "honour", "subsidy"):
        post(client, URL, key, {"uscc": red, "use": use})
    with django_assert_max_num_queries(4):
        assert len(client.get(URL, **auth(key)).json()["checks"]) == 4


def test_the_schema_documents_the_joint_checks(client, reference_data):  # noqa: F811
    paths = client.get("/api/v1/schema", {"format": "json"}).json()["paths"]
    assert {"post", "get"} <= set(paths["/api/v1/joint-checks"])
    assert "post" in paths["/api/v1/joint-checks/{id}/outcome"]
    assert "get" in paths["/api/v1/joint-checks/{id}"]


def test_an_individual_business_named_after_its_operator_is_not_named_in_full(client, key):
    from tests.factories import registration
    from tests.supervision.feeds import push

    uscc = make_uscc(prefix="92")
    push(
        "SCJG",
        "registration",
        [registration(uscc, subject_type="个体工商户", name="张伟", legal_representative="张伟")],
    )
    response = post(client, URL, key, {"uscc": uscc, "use": "financing"})
    assert response.status_code == 201
    assert response.json()["name"].startswith("张")
    assert "张伟" not in response.content.decode()


def test_the_list_may_be_filtered_by_a_use_no_longer_in_force(client, key, reference_data):  # noqa: F811
    response = client.get(URL, {"use": "lottery"}, **auth(key))
    assert response.status_code == 200 and response.json()["checks"] == []


def test_the_uses_in_force_are_listed_with_their_measures_and_basis(client, key):
    body = client.get("/api/v1/joint-uses", **auth(key)).json()
    uses = {entry["use"]: entry for entry in body["uses"]}
    assert body["catalogue_version"] == 1
    assert uses["licensing"]["label"] == "行政许可/行政审批"
    assert uses["licensing"]["colours"] == ["red", "orange"]
    assert "优化营商环境条例" in uses["licensing"]["legal_basis"]


def test_the_uses_need_a_key(client, reference_data):  # noqa: F811
    assert client.get("/api/v1/joint-uses").status_code in (401, 403)


def test_the_uses_refuse_an_unknown_parameter(client, key):
    assert_error(client.get("/api/v1/joint-uses", {"day": "2020-01-01"}, **auth(key)), 400, "invalid_request")
