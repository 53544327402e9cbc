"""The API's documentation for a bank's developer: Swagger UI, ReDoc, the index of the endpoints.

Open without a key, built from the same OpenAPI document as the API, served with this server's own
assets, and telling the reader how to obtain a key (from the system's operator, not a command)."""

import re

import pytest

pytestmark = pytest.mark.django_db

DOCS_PAGES = ["/api/docs/", "/api/redoc/"]


@pytest.mark.parametrize("url", [*DOCS_PAGES, "/api/v1/"])
def test_the_documentation_answers_without_a_key(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", DOCS_PAGES)
def test_the_documentation_pages_load_only_this_servers_assets(client, url):
    html = client.get(url).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, "the page loads its viewer"
    assert all(a.startswith("/static/") for a in assets), assets  # the viewer's, the site's icon and styles
    assert "googleapis" not in html and "cdn." not in html


@pytest.mark.parametrize("url", DOCS_PAGES)
def test_the_documentation_pages_tell_the_browser_to_load_from_this_server_only(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy


def schema_operations(client) -> set[tuple[str, str]]:
    schema = client.get("/api/v1/schema").json()
    return {(method.upper(), path) for path, operations in schema["paths"].items() for method in operations}


def test_the_index_lists_every_operation_of_the_schema(client):
    index = client.get("/api/v1/").json()

    listed = {(e["method"], e["path"]) for e in index["endpoints"]}
    assert listed == schema_operations(client)
    assert {("GET", "/api/v1/subjects/{uscc}"), ("POST", "/api/v1/check"), ("GET", "/api/v1/events"),
            ("POST", "/api/v1/joint-checks")} <= listed  # fmt: skip


def test_each_endpoint_of_the_index_says_what_it_does(client):
    endpoints = client.get("/api/v1/").json()["endpoints"]

    assert all(e["name"] and e["summary"] for e in endpoints)
    subject = next(e for e in endpoints if e["path"] == "/api/v1/subjects/{uscc}")
    assert (subject["method"], subject["summary"]) == ("GET", "一个主体的公示信息")


def test_the_index_points_to_the_documentation(client):
    index = client.get("/api/v1/").json()

    assert index["documentation"] == {
        "swagger_ui": "/api/docs/",
        "redoc": "/api/redoc/",
        "openapi": "/api/v1/schema",
    }
    assert "Bearer" in index["authentication"]


def test_the_schema_tells_the_reader_how_to_obtain_a_key(client):
    schema = client.get("/api/v1/schema").json()
    texts = (
        schema["info"]["description"]
        + schema["components"]["securitySchemes"]["institutionKey"]["description"]
    )

    assert "运营部门" in texts and "operator" in texts
    assert "manage.py" not in texts


def test_the_portal_footer_links_the_api_documentation(client):
    html = client.get("/").content.decode()

    assert 'href="/api/docs/"' in html and 'href="/api/redoc/"' in html
