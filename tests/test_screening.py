"""Control characters and broken UTF-8 stop at the edge with a 400: JSON under /api/, the 400 page
elsewhere; text a person types keeps its tabs and line breaks; the departments' push channel still
quarantines a record holding a NUL and stores the others."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.services.api_keys import api_key_issue
from tests.auth import log_in
from tests.factories import StaffFactory, make_uscc, penalty
from warning_system.registry.models import Department, Penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def key() -> str:
    return api_key_issue("南昌测试银行")[1]


def api_get(client, url: str, key: str):
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")


def api_post(client, url: str, key: str, body: str):
    return client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def assert_page_400(response, words: str) -> None:
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert words in response.content.decode()


def assert_api_400(response, code: str) -> None:
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]


# --------------------------------------------------------------------------- path and query


@pytest.mark.parametrize(
    "url", ["/subjects/%00", "/search?q=南%00昌", "/reports/verify?number=%00", "/inspections/%00/"]
)
def test_a_nul_in_a_public_address_is_a_400_page_saying_so(client, url):
    assert_page_400(client.get(url), "含有控制字符")


def test_a_nul_in_a_workspace_address_is_a_400_page(client, reference_data):
    log_in(client, StaffFactory(department=Department.objects.get(code="SCJG"), role="leader"))
    assert_page_400(client.get("/supervision/dual/queue/all/?q=%00"), "含有控制字符")
    assert_page_400(client.get("/supervision/dual/subject/%00/notice/"), "含有控制字符")


@pytest.mark.parametrize("character", ["%01", "%09", "%0A", "%0D", "%1B", "%1F", "%7F"])
def test_any_control_character_or_del_in_a_query_value_is_400(client, character):
    assert_page_400(client.get(f"/search?q=南{character}昌"), "查询参数")


def test_a_control_character_in_a_query_key_is_400(client):
    assert_page_400(client.get("/search?q=南昌&x%00y=1"), "查询参数")


@pytest.mark.parametrize("url", ["/subjects/%ff%fe", "/search?q=%ff%fe", "/search?%ff=1"])
def test_invalid_utf8_in_a_percent_escape_is_400(client, url):
    assert_page_400(client.get(url), "UTF-8")


def test_a_static_files_path_is_screened_too(client):
    assert_page_400(client.get("/static/css/site.css%00"), "含有控制字符")


def test_djangos_own_bad_requests_show_the_same_page(client):
    response = client.get("/", HTTP_HOST="elsewhere.example")  # a host not allowed
    assert_page_400(response, "请求有误")


def test_ordinary_addresses_pass(client, reference_data):
    assert client.get("/search?q=南昌+测试&page=2").status_code == 200


def test_the_400_page_speaks_the_readers_language(client):
    response = client.get("/search?q=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert_page_400(response, "control character")
    assert "含有控制字符" not in response.content.decode()


def test_an_api_address_with_a_nul_is_400_json(client, key):
    assert_api_400(api_get(client, "/api/v1/subjects/%00", key), "control_character")
    assert_api_400(api_get(client, "/api/v1/search?q=南%00昌", key), "control_character")


def test_an_api_address_with_invalid_utf8_is_400_json(client, key):
    assert_api_400(api_get(client, "/api/v1/search?q=%ff", key), "invalid_encoding")


# --------------------------------------------------------------------------- bodies


def test_a_nul_in_a_form_field_is_400(client):
    assert_page_400(client.post("/check", {"codes": f"{make_uscc()}\x00"}), "提交的表单")


def test_a_control_character_in_a_multipart_text_field_is_400(client):
    response = client.post("/check", {"codes": "南昌\x1b", "upload": SimpleUploadedFile("a.csv", b"x")})
    assert_page_400(response, "提交的表单")


def test_invalid_utf8_in_a_urlencoded_form_is_400(client):
    response = client.post("/check", "codes=%ff%fe", content_type="application/x-www-form-urlencoded")
    assert_page_400(response, "UTF-8")


def test_tabs_and_line_breaks_in_form_text_pass(client, reference_data):
    response = client.post("/check", {"codes": f"{make_uscc()}\r\n{make_uscc()}\t{make_uscc()}"})
    assert response.status_code == 200


def test_the_contents_of_an_uploaded_file_are_left_to_the_view(client, reference_data):
    upload = SimpleUploadedFile(
        "codes.csv", f"统一社会信用代码\r\n{make_uscc()}\r\n南昌\x00测试\r\n".encode()
    )
    page = client.post("/check", {"upload": upload}).content.decode()
    assert "请求有误" not in page  # not the 400 page: the form's own error
    assert "第 3 行含有控制字符" in page


@pytest.mark.parametrize(
    "document",
    [
        {"codes": [make_uscc(), "南昌\u0000"]},
        {"codes": [make_uscc()], "deep": [{"deeper": ["\u0007"]}]},
        {"codes": [make_uscc()], "k\u0000ey": 1},
        {"codes": [make_uscc()], "del": "\u007f"},
    ],
    ids=["in-a-list", "nested", "in-a-key", "del"],
)
def test_a_control_character_anywhere_in_a_json_body_is_400_json(client, key, document):
    assert_api_400(api_post(client, "/api/v1/check", key, json.dumps(document)), "control_character")


def test_tabs_and_line_breaks_in_json_strings_pass(client, key, reference_data):
    response = api_post(client, "/api/v1/watchlists", key, json.dumps({"name": "贷款\t客户\r\n二"}))
    assert response.status_code == 201


def test_a_body_that_is_not_json_is_left_to_the_api(client, key):
    assert_api_400(api_post(client, "/api/v1/check", key, "{not json"), "invalid_json")


def test_a_body_nested_too_deep_to_read_is_left_to_the_view(client):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/check", deep, content_type="application/json")
    assert response.status_code == 401  # no key: the API answered, before reading the body


# --------------------------------------------------------------------------- the push channel


@pytest.fixture
def department_token(reference_data) -> str:
    from collectors.services import department_token_issue

    return department_token_issue(department=Department.objects.get(code="SCJG"))


def test_a_nul_in_a_pushed_record_is_left_to_the_collector(client, department_token):
    uscc = make_uscc()
    body = json.dumps([penalty(uscc, "P1"), penalty(uscc, "P2", violation_facts="坏\u0000数据")])
    response = client.post("/api/v1/feeds/penalty", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {department_token}")  # fmt: skip
    assert response.status_code == 200
    assert [q["record_id"] for q in response.json()["quarantined"]] == ["P2"]
    assert list(Penalty.objects.values_list("record_id", flat=True)) == ["P1"]


def test_the_push_channels_address_is_still_screened(client, department_token):
    body = json.dumps([penalty(make_uscc(), "P1")])
    response = client.post("/api/v1/feeds/penalty?x=%00", body, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {department_token}")  # fmt: skip
    assert_api_400(response, "control_character")
    assert not Penalty.objects.exists()
