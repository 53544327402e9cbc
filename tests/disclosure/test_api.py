"""/api/v1/: keys, the public record of a subject, search, batch checks, watchlists, the event
feed, throttling and the OpenAPI schema. Never personal data, in any answer."""

import io
import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from collectors.services import collect_inbox
from disclosure.models import ApiKey, Institution, MonitorEvent, WatchedSubject
from disclosure.selectors.public import PUBLIC_KINDS
from disclosure.services.api_keys import api_key_issue, api_key_revoke, institution_for_key
from tests.collectors.conftest import write_jsonl
from tests.disclosure.conftest import PERSONAL
from tests.factories import make_uscc, penalty, wrong_check
from warning_system.registry.models import Subject

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def key() -> str:
    return api_key_issue("南昌测试银行")[1]


def auth(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def get(client, path: str, key: str, **params):
    return client.get(f"{API}/{path}", params, **auth(key))


def post(client, path: str, key: str, body: dict):
    return client.post(f"{API}/{path}", json.dumps(body), content_type="application/json", **auth(key))


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


def assert_nothing_personal(response) -> None:
    text = response.content.decode()
    for value in PERSONAL:
        assert value not in text
        assert json.dumps(value)[1:-1] not in text


# --------------------------------------------------------------------------- keys


def test_issue_api_key_command_prints_only_a_working_key(client):
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_api_key", "南昌采购中心", "--kind", "procurement", stdout=out, stderr=err)
    printed = out.getvalue().strip()
    assert printed.startswith("wsk_") and "\n" not in printed
    institution = Institution.objects.get(name="南昌采购中心")
    assert institution.kind == "procurement"
    assert get(client, "watchlists", printed).status_code == 200


def test_only_the_digest_of_a_key_is_stored():
    institution, key = api_key_issue("南昌测试银行")
    stored = ApiKey.objects.get(institution=institution)
    assert key not in {stored.prefix, stored.digest}
    assert key.split("_")[1] == stored.prefix
    assert len(key.split("_")[2]) == 32


def test_a_second_key_for_an_institution_reuses_it():
    first, _ = api_key_issue("南昌测试银行")
    second, _ = api_key_issue("  南昌测试银行 ")
    assert first == second
    assert first.api_keys.count() == 2


def test_key_lookup_records_last_use_at_most_once_a_minute(django_assert_num_queries, key):
    assert institution_for_key(key) is not None
    with django_assert_num_queries(1):  # the lookup only, no write
        institution_for_key(key)


def test_missing_key_is_401_json(client):
    response = client.get(f"{API}/search", {"q": "南昌"})
    assert_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer wsk_abcdefgh_" + "x" * 32, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer"],
)
def test_bad_key_is_401_json(client, header):
    response = client.get(f"{API}/search", {"q": "南昌"}, HTTP_AUTHORIZATION=header)
    assert_error(response, 401, "invalid_key")


def test_revoked_key_is_401_json(client, key):
    assert api_key_revoke(key.split("_")[1])
    assert not api_key_revoke(key.split("_")[1])
    assert_error(get(client, "search", key, q="南昌"), 401, "invalid_key")


# --------------------------------------------------------------------------- subjects


def test_red_subject_comes_with_its_colour_and_reasons(client, key, portal_city):
    response = get(client, f"subjects/{portal_city.red}", key)
    assert response.status_code == 200
    data = response.json()
    assert data["subject"]["uscc"] == portal_city.red
    assert data["subject"]["name"] == "南昌洪都红色食品有限公司"
    assert data["colour"]["colour"] == "red"
    assert data["colour"]["label"] == "红色"
    rules = {reason["rule"] for reason in data["reasons"]}
    assert {"serious_violation", "dishonest_debtor"} <= rules
    reason = data["reasons"][0]
    assert set(reason) == {"rule", "label", "colour", "ends_on", "repair", "records", "since", "causes"}
    assert {r["record_id"] for reason in data["reasons"] for r in reason["records"]} >= {"SV-1", "DD-1"}
    assert {"code": "procurement", "label": "限制参加政府采购活动"} in data["restrictions"]
    assert "next_change" in data


def test_subject_records_come_by_information_class(client, key, portal_city):
    data = get(client, f"subjects/{portal_city.yellow}", key).json()
    classes = {c["key"]: c for c in data["classes"]}
    assert set(classes) == {"annual", "social", "regulatory", "property", "judicial"}
    sections = {section["kind"]: section for section in classes["regulatory"]["sections"]}
    record = sections["penalty"]["records"][0]
    assert record["record_id"] == "PY-1"
    assert record["department"] == "SCJG"
    assert isinstance(record["facts"], dict) and record["facts"]
    assert record["counts_for"] == "yellow"


def test_unknown_subject_is_404_json(client, key, portal_city):
    assert_error(get(client, f"subjects/{make_uscc()}", key), 404, "subject_not_found")


def test_unregistered_subject_is_404_json(client, key, portal_city):
    assert_error(get(client, f"subjects/{portal_city.unregistered}", key), 404, "subject_not_found")


def test_withdrawn_subject_is_404_json(client, key, portal_city):
    Subject.objects.filter(uscc=portal_city.red).update(withdrawn=True)
    assert_error(get(client, f"subjects/{portal_city.red}", key), 404, "subject_not_found")


@pytest.mark.parametrize("code", ["12345", "not-a-code", "9136010" + "0" * 11])
def test_malformed_code_is_400(client, key, code):
    assert_error(get(client, f"subjects/{code}", key), 400, "invalid_code")


def test_code_with_a_wrong_check_character_is_400(client, key, portal_city):
    assert_error(get(client, f"subjects/{wrong_check(portal_city.red)}", key), 400, "invalid_code")


def test_subject_code_may_be_spelled_any_way(client, key, portal_city):
    code = portal_city.red
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code.lower())
    for spelling in (code.lower(), f"{code[:6]} {code[6:12]}-{code[12:]}", fullwidth):
        response = get(client, f"subjects/{spelling}", key)
        assert response.status_code == 200, spelling
        assert response.json()["subject"]["uscc"] == code


def test_subject_answer_holds_no_personal_data(client, key, portal_city):
    for uscc in portal_city.registered:
        response = get(client, f"subjects/{uscc}", key)
        assert response.status_code == 200
        assert_nothing_personal(response)


def test_subject_endpoint_makes_a_bounded_number_of_queries(
    client, key, portal_city, django_assert_max_num_queries
):
    get(client, f"subjects/{portal_city.yellow}", key)  # the key's last use is recorded once
    # + the regulators' trace (1), the pre-warnings (3), the records under an objection (1) and the
    # incentives: the catalogue in force and what the subject qualifies for (2)
    with django_assert_max_num_queries(len(PUBLIC_KINDS) + 11):
        assert get(client, f"subjects/{portal_city.yellow}", key).status_code == 200


# --------------------------------------------------------------------------- search


def test_search_finds_subjects_by_name_with_their_colour(client, key, portal_city):
    response = get(client, "search", key, q="洪都")
    assert response.status_code == 200
    results = {row["uscc"]: row for row in response.json()["results"]}
    assert set(results) == {portal_city.orange, portal_city.red}
    assert results[portal_city.red]["colour"] == "red"
    assert results[portal_city.red]["colour_label"] == "红色"
    assert set(results[portal_city.red]) == {
        "uscc", "name", "subject_type", "subject_type_label", "status", "status_label", "colour", "colour_label"
    }  # fmt: skip


def test_search_by_code_finds_the_subject(client, key, portal_city):
    results = get(client, "search", key, q=portal_city.yellow.lower()).json()["results"]
    assert [row["uscc"] for row in results] == [portal_city.yellow]


@pytest.mark.parametrize("q", ["", "洪", "  a "])
def test_search_needs_two_characters(client, key, q):
    response = get(client, "search", key, q=q)
    assert_error(response, 400, "invalid_request")
    assert "q" in response.json()["error"]["details"]


def test_a_query_parameter_the_operation_does_not_document_is_refused(client, key):
    response = get(client, "search", key, q="南昌", limt="10")
    assert_error(response, 400, "invalid_request")
    assert response.json()["error"]["details"] == {"limt": ["未知的参数"]}


def test_a_query_parameter_without_a_value_is_refused(client, key):
    response = get(client, "events", key, limit="")
    assert_error(response, 400, "invalid_request")
    assert response.json()["error"]["details"] == {"limit": ["参数值不能为空"]}


def test_search_answer_holds_no_personal_data(client, key, portal_city):
    for q in ("南昌", "法人3"):
        assert_nothing_personal(get(client, "search", key, q=q))


def test_search_by_personal_data_finds_nothing(client, key, portal_city):
    for q in PERSONAL:
        assert get(client, "search", key, q=q).json()["results"] == []


# --------------------------------------------------------------------------- batch check


def test_check_reports_found_unknown_and_invalid_in_input_order(client, key, portal_city):
    unknown = make_uscc()
    codes = [portal_city.red, unknown, "12345", portal_city.green.lower()]
    response = post(client, "check", key, {"codes": codes})
    assert response.status_code == 200
    data = response.json()
    assert data["checked_on"]
    assert [row["entry"] for row in data["results"]] == codes
    assert [row["status"] for row in data["results"]] == ["found", "unknown", "invalid", "found"]
    assert data["results"][0]["colour"] == "red"
    assert data["results"][3]["colour"] == "green"
    assert data["counts"]["found"] == 2 and data["counts"]["unknown"] == 1 and data["counts"]["invalid"] == 1


def test_check_answer_holds_no_personal_data(client, key, portal_city):
    response = post(client, "check", key, {"codes": [*portal_city.registered, "南昌赣江黄色贸易有限公司"]})
    assert response.status_code == 200
    assert_nothing_personal(response)


def test_check_refuses_codes_sent_as_numbers(client, key):
    # A registration number sent as a JSON number has lost its leading zeros already.
    response = post(client, "check", key, {"codes": [360102000012345, "南昌某公司"]})
    assert_error(response, 400, "invalid_request")
    assert "codes" in response.json()["error"]["details"]


def test_check_refuses_too_many_codes(client, key, settings):
    settings.BATCH_CHECK_MAX_CODES = 5
    assert_error(
        post(client, "check", key, {"codes": [make_uscc() for _ in range(6)]}), 413, "too_many_codes"
    )


def test_check_accepts_the_maximum(client, key, settings, portal_city):
    settings.BATCH_CHECK_MAX_CODES = 5
    assert post(client, "check", key, {"codes": [make_uscc() for _ in range(5)]}).status_code == 200


@pytest.mark.parametrize(
    "body", [{"codes": "91360102MA0000001X"}, {"codes": {"a": 1}}, {}, {"codes": [None]}]
)
def test_check_needs_a_list_of_codes(client, key, body):
    response = post(client, "check", key, body)
    assert_error(response, 400, "invalid_request")
    assert "codes" in response.json()["error"]["details"]


def test_check_of_an_empty_list_is_400(client, key):
    assert_error(post(client, "check", key, {"codes": []}), 400, "no_codes")


def test_check_of_a_body_that_is_not_json_is_400(client, key):
    response = client.post(f"{API}/check", "{codes:", content_type="application/json", **auth(key))
    assert_error(response, 400, "invalid_json")


def test_check_of_a_body_nested_too_deep_is_400(client, key):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(f"{API}/check", deep, content_type="application/json", **auth(key))
    assert_error(response, 400, "invalid_json")


def test_wrong_method_is_405_json(client, key):
    assert_error(get(client, "check", key), 405, "method_not_allowed")


# --------------------------------------------------------------------------- throttling


def test_too_many_calls_are_429_with_retry_after(client, key, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"institution": "3/minute"},
    }
    for _ in range(3):
        assert get(client, "search", key, q="南昌").status_code == 200
    response = get(client, "search", key, q="南昌")
    assert_error(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_each_key_has_its_own_allowance(client, key, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"institution": "2/minute"},
    }
    other = api_key_issue("南昌另一家银行")[1]
    for _ in range(2):
        get(client, "search", key, q="南昌")
    assert get(client, "search", key, q="南昌").status_code == 429
    assert get(client, "search", other, q="南昌").status_code == 200


def test_schema_calls_are_limited_per_client_address(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"institution": "1/minute"},
    }
    assert client.get(f"{API}/schema").status_code == 200
    assert_error(client.get(f"{API}/schema"), 429, "rate_limited")
    assert client.get(f"{API}/schema", REMOTE_ADDR="10.0.0.9").status_code == 200


# --------------------------------------------------------------------------- schema and routing


def test_schema_is_an_openapi_document_of_the_api(client):
    response = client.get(f"{API}/schema")
    assert response.status_code == 200
    assert "json" in response["Content-Type"]
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"]
    paths = set(schema["paths"])
    assert {
        "/api/v1/subjects/{uscc}", "/api/v1/search", "/api/v1/check", "/api/v1/watchlists",
        "/api/v1/watchlists/{id}", "/api/v1/watchlists/{id}/subjects", "/api/v1/watchlists/{id}/subjects/{uscc}",
        "/api/v1/events",
    } <= paths  # fmt: skip
    assert "/api/v1/schema" not in paths
    assert not any(path.startswith("/api/v1/feeds") for path in paths)
    scheme = schema["components"]["securitySchemes"]["institutionKey"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    subject = schema["paths"]["/api/v1/subjects/{uscc}"]["get"]
    assert {"institutionKey": []} in subject["security"]
    assert {"200", "400", "401", "404"} <= set(subject["responses"])
    assert "requestBody" in schema["paths"]["/api/v1/check"]["post"]


def test_schema_is_a_valid_openapi_document(client):
    try:
        from openapi_spec_validator import validate
    except ImportError:  # drf-spectacular's own check against the OpenAPI 3 JSON schema
        from drf_spectacular.validation import validate_schema as validate
    validate(client.get(f"{API}/schema").json())


def test_schema_may_be_asked_for_as_yaml(client):
    response = client.get(f"{API}/schema", {"format": "yaml"})
    assert response.status_code == 200
    assert response.content.decode().startswith("openapi: 3.")


def test_documented_subject_fields_are_the_ones_answered(client, key, portal_city):
    schema = client.get(f"{API}/schema").json()
    documented = set(schema["components"]["schemas"]["SubjectPage"]["properties"])
    assert set(get(client, f"subjects/{portal_city.red}", key).json()) == documented


def test_every_operation_documents_the_errors_any_call_may_get(client):
    """A request with a control character is refused at the edge whatever the operation, every call
    needs a key and counts against its limit: 400, 401 and 429 are everywhere."""
    schema = client.get(f"{API}/schema").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "429"} <= set(operation["responses"]), (method, path)


def test_unknown_api_path_is_404_json(client, key):
    for path in (f"{API}/nothing-here", f"{API}/subjects/", f"{API}/search/extra"):
        response = client.get(path, **auth(key))
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"


def test_unexpected_failure_is_500_json(client, key, monkeypatch):
    def broken(uscc):
        raise RuntimeError("database went away")

    monkeypatch.setattr("disclosure.api.views.public.subject_page", broken)
    response = get(client, f"subjects/{make_uscc()}", key)
    assert_error(response, 500, "server_error")
    assert "database went away" not in response.content.decode()


def test_collectors_push_endpoint_still_resolves():
    assert reverse("collectors:push-feed", args=["penalty"]) == "/api/v1/feeds/penalty"


# --------------------------------------------------------------------------- watchlists


def watchlist_create(client, key: str, name: str = "贷款客户") -> int:
    response = post(client, "watchlists", key, {"name": name})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_watchlist_is_created_and_listed_with_its_count(client, key, portal_city):
    watchlist = watchlist_create(client, key)
    post(client, f"watchlists/{watchlist}/subjects", key, {"usccs": [portal_city.red, portal_city.green]})
    response = get(client, "watchlists", key)
    assert response.status_code == 200
    assert [(w["id"], w["name"], w["subject_count"]) for w in response.json()] == [(watchlist, "贷款客户", 2)]


def test_watchlist_name_must_be_unique_per_institution(client, key):
    watchlist_create(client, key)
    assert_error(post(client, "watchlists", key, {"name": "贷款客户"}), 400, "name_taken")
    watchlist_create(client, api_key_issue("南昌另一家银行")[1])


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "长" * 101}, {"name": 0}, {"name": ["贷款"]}])
def test_watchlist_needs_a_name(client, key, body):
    assert_error(post(client, "watchlists", key, body), 400, "invalid_request")


def test_adding_subjects_reports_added_already_and_invalid(client, key, portal_city):
    watchlist = watchlist_create(client, key)
    path = f"watchlists/{watchlist}/subjects"
    assert post(client, path, key, {"usccs": [portal_city.red]}).json()["added"] == [portal_city.red]
    not_yet_registered = make_uscc()
    response = post(client, path, key, {"usccs": [portal_city.red.lower(), not_yet_registered, "12345"]})
    assert response.status_code == 200
    assert response.json() == {
        "added": [not_yet_registered],
        "already": [portal_city.red],
        "invalid": ["12345"],
    }


def test_adding_too_many_subjects_is_refused(client, key, settings):
    settings.BATCH_CHECK_MAX_CODES = 2
    watchlist = watchlist_create(client, key)
    response = post(
        client, f"watchlists/{watchlist}/subjects", key, {"usccs": [make_uscc() for _ in range(3)]}
    )
    assert_error(response, 413, "too_many_codes")


def test_adding_subjects_needs_a_list(client, key):
    watchlist = watchlist_create(client, key)
    assert_error(
        post(client, f"watchlists/{watchlist}/subjects", key, {"usccs": "x"}), 400, "invalid_request"
    )


def test_watchlist_shows_its_subjects_with_their_colour(client, key, portal_city):
    watchlist = watchlist_create(client, key)
    not_yet_registered = make_uscc()
    post(client, f"watchlists/{watchlist}/subjects", key, {"usccs": [portal_city.red, not_yet_registered]})
    response = get(client, f"watchlists/{watchlist}", key)
    assert response.status_code == 200
    data = response.json()
    assert data["name"] == "贷款客户" and data["subject_count"] == 2
    subjects = {row["uscc"]: row for row in data["subjects"]}
    assert subjects[portal_city.red]["name"] == "南昌洪都红色食品有限公司"
    assert subjects[portal_city.red]["colour"] == "red"
    assert subjects[portal_city.red]["colour_label"] == "红色"
    assert subjects[not_yet_registered]["name"] is None and subjects[not_yet_registered]["colour"] is None


def test_subject_is_removed_from_a_watchlist(client, key, portal_city):
    watchlist = watchlist_create(client, key)
    post(client, f"watchlists/{watchlist}/subjects", key, {"usccs": [portal_city.red]})
    path = f"{API}/watchlists/{watchlist}/subjects/{portal_city.red.lower()}"
    assert client.delete(path, **auth(key)).status_code == 204
    assert_error(client.delete(path, **auth(key)), 404, "subject_not_watched")
    assert get(client, f"watchlists/{watchlist}", key).json()["subjects"] == []


def test_watchlist_is_deleted(client, key):
    watchlist = watchlist_create(client, key)
    assert client.delete(f"{API}/watchlists/{watchlist}", **auth(key)).status_code == 204
    assert_error(get(client, f"watchlists/{watchlist}", key), 404, "watchlist_not_found")
    assert get(client, "watchlists", key).json() == []


def test_another_institutions_watchlist_is_404(client, key, portal_city):
    theirs = watchlist_create(client, api_key_issue("南昌另一家银行")[1], "他们的名单")
    assert get(client, "watchlists", key).json() == []
    assert_error(get(client, f"watchlists/{theirs}", key), 404, "watchlist_not_found")
    assert_error(client.delete(f"{API}/watchlists/{theirs}", **auth(key)), 404, "watchlist_not_found")
    response = post(client, f"watchlists/{theirs}/subjects", key, {"usccs": [portal_city.red]})
    assert_error(response, 404, "watchlist_not_found")
    response = client.delete(f"{API}/watchlists/{theirs}/subjects/{portal_city.red}", **auth(key))
    assert_error(response, 404, "watchlist_not_found")


# --------------------------------------------------------------------------- events


def make_events(institution: Institution, count: int) -> list[MonitorEvent]:
    now = timezone.now()
    return [
        MonitorEvent.objects.create(
            institution=institution, uscc=make_uscc(), kind="colour_change", source=f"colour:{i}",
            payload={"to": "red", "to_label": "红色"}, occurred_at=now,
        )
        for i in range(count)
    ]  # fmt: skip


def test_events_feed_pages_with_next_after(client, key):
    institution = Institution.objects.get(name="南昌测试银行")
    events = make_events(institution, 5)
    first = get(client, "events", key, limit=2).json()
    assert [e["id"] for e in first["events"]] == [events[0].pk, events[1].pk]
    assert first["next_after"] == events[1].pk
    event = first["events"][0]
    assert set(event) == {"id", "type", "uscc", "occurred_at", "data"}
    assert event["type"] == "colour_change" and event["data"]["to"] == "red"
    second = get(client, "events", key, after=first["next_after"], limit=10).json()
    assert [e["id"] for e in second["events"]] == [e.pk for e in events[2:]]
    last = get(client, "events", key, after=second["next_after"]).json()
    assert last == {"events": [], "next_after": second["next_after"]}


def test_events_feed_shows_only_the_institutions_own_events(client, key):
    make_events(api_key_issue("南昌另一家银行")[0], 3)
    assert get(client, "events", key).json() == {"events": [], "next_after": None}


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 501}, {"after": "x"}, {"after": -1}])
def test_events_feed_refuses_bad_paging(client, key, params):
    assert_error(get(client, "events", key, **params), 400, "invalid_request")


def test_watching_a_subject_puts_its_changes_in_the_feed(
    client, key, portal_city, django_capture_on_commit_callbacks
):
    """End to end through the collectors and the monitoring service: a new record of a watched
    subject becomes an event in the feed."""
    watchlist = watchlist_create(client, key)
    post(client, f"watchlists/{watchlist}/subjects", key, {"usccs": [portal_city.green]})
    # A test runs in one transaction, whose database clock stands still: watch from before it.
    WatchedSubject.objects.update(added_at=timezone.now() - timedelta(days=1))
    inbox = Path(tempfile.mkdtemp())
    write_jsonl(inbox / "SCJG" / "penalty_20261103090000.jsonl", [penalty(portal_city.green, "PG-9")])
    with django_capture_on_commit_callbacks(execute=True):
        collect_inbox(inbox)
    events = get(client, "events", key).json()["events"]
    assert events and all(e["uscc"] == portal_city.green for e in events)
    assert_nothing_personal(get(client, "events", key))


def test_check_of_the_maximum_makes_a_bounded_number_of_queries(
    client, key, portal_city, django_assert_max_num_queries
):
    codes = [*portal_city.registered, *(make_uscc() for _ in range(9_995)), "南昌洪都红色食品有限公司"]
    get(client, "watchlists", key)  # the key's last use is recorded once
    with django_assert_max_num_queries(5):  # the key, codes, names, colours, the measures catalogue
        response = post(client, "check", key, {"codes": codes})
    assert response.status_code == 200
    assert response.json()["counts"]["found"] == 5
