"""Push channel: POST /api/v1/feeds/<kind>, statuses and receipt exactly as the contract says."""

import json

import pytest
from django.core.management import call_command

from collectors.models import DepartmentToken
from collectors.services import department_token_issue
from tests.factories import make_uscc, penalty, wrong_check
from warning_system.registry.models import Department, Penalty, QuarantinedRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(reference_data):
    return department_token_issue(department=Department.objects.get(code="SCJG"))


def post(client, kind, body, token, content_type="application/json"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return client.post(f"/api/v1/feeds/{kind}", data=data, content_type=content_type, **headers)


def test_a_good_batch_gets_a_receipt(client, token):
    uscc = make_uscc()
    response = post(client, "penalty", [penalty(uscc, "P1"), penalty(uscc, "P2")], token)
    assert response.status_code == 200
    receipt = response.json()
    assert (receipt["received"], receipt["accepted"], receipt["unchanged"], receipt["quarantined"]) == (
        2,
        2,
        0,
        [],
    )
    assert receipt["batch_id"]
    assert Penalty.objects.filter(received_via="push").count() == 2


def test_a_token_used_to_push_is_stamped_with_its_last_use(client, token):
    assert DepartmentToken.objects.get().last_used_at is None
    post(client, "penalty", [penalty(make_uscc(), "P1")], token)
    assert DepartmentToken.objects.get().last_used_at is not None


def test_quarantined_records_are_named_in_the_receipt_by_index(client, token):
    uscc = make_uscc()
    response = post(client, "penalty", [penalty(uscc, "P1"), penalty(wrong_check(uscc), "P2")], token)
    (entry,) = response.json()["quarantined"]
    assert (entry["index"], entry["record_id"]) == (1, "P2")
    assert "统一社会信用代码" in entry["errors"][0]
    assert QuarantinedRecord.objects.get().channel == "push"


def test_posting_the_same_batch_twice_is_harmless(client, token):
    batch = [penalty(make_uscc(), "P1")]
    post(client, "penalty", batch, token)
    second = post(client, "penalty", batch, token).json()
    assert (second["accepted"], second["unchanged"]) == (0, 1)
    assert Penalty.objects.count() == 1


def test_json_lines_bodies_are_accepted(client, token):
    body = "\n".join(json.dumps(penalty(make_uscc(), f"P{i}"), ensure_ascii=False) for i in range(3))
    response = post(client, "penalty", body, token, content_type="application/x-ndjson")
    assert response.json()["accepted"] == 3


def test_a_body_that_is_not_json_is_400(client, token):
    response = post(client, "penalty", "<html>", token)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_body"


def test_no_token_is_401(client, token):
    assert post(client, "penalty", [], None).status_code == 401


def test_a_wrong_token_is_401(client, token):
    assert post(client, "penalty", [], "dt_wrong").status_code == 401


def test_a_kind_the_department_does_not_send_is_403(client, token):
    response = post(client, "arrears", [], token)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "kind_not_allowed"


def test_more_than_the_record_limit_is_413(client, token, settings):
    settings.PUSH_MAX_RECORDS = 2
    response = post(client, "penalty", [penalty(make_uscc(), f"P{i}") for i in range(3)], token)
    assert response.status_code == 413
    assert Penalty.objects.count() == 0


def test_a_body_over_the_size_limit_is_413(client, token, settings):
    settings.PUSH_MAX_BYTES = 100
    response = post(client, "penalty", [penalty(make_uscc(), "P1")], token)
    assert response.status_code == 413


def test_the_command_issues_a_working_token(client, reference_data, capsys):
    call_command("issue_department_token", "STHJ")
    token = capsys.readouterr().out.strip()
    assert post(client, "penalty", [penalty(make_uscc(), "P1")], token).status_code == 200


def test_get_is_not_allowed_and_says_so_in_json(client, token):
    response = client.get("/api/v1/feeds/penalty")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_an_unknown_api_path_is_a_json_404(token):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_kind_is_a_json_404(client, token):
    response = post(client, "lottery", [], token)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown_kind"


def test_a_batch_that_fails_unexpectedly_answers_json_and_marks_its_run_failed(client, token, monkeypatch):
    from collectors.services import records
    from warning_system.registry.models import IngestRun

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(records, "items_ingest", broken)
    response = post(client, "penalty", [penalty(make_uscc(), "P1")], token)
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "server_error"
    assert IngestRun.objects.get().status == "failed"
