"""Every page carries a Content-Security-Policy that runs nothing inline, and the templates keep
nothing inline it would refuse: scripts, handlers and styles come from static files."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The API documentation's viewers need inline scripts and styles; those pages have a policy of their own.
OWN_POLICY = ("templates/disclosure/api/",)

INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "an event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S),
    "a style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S),
    "a <style> element": re.compile(r"<style[\s>]", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def templates() -> list[Path]:
    found = [
        path
        for folder in (ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates"))
        for path in folder.rglob("*.html")
    ]
    return sorted(p for p in found if not str(p.relative_to(ROOT)).startswith(OWN_POLICY))


def test_the_templates_are_found():
    assert len(templates()) > 50


def test_no_template_keeps_a_script_handler_or_style_inline():
    offences = [
        f"{path.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}: {what}"
        for path in templates()
        for text in [path.read_text(encoding="utf-8")]
        for what, pattern in INLINE.items()
        for match in pattern.finditer(text)
    ]
    assert offences == []


SITE_POLICY = {
    "default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": "'self'",
    "font-src": "'self'", "connect-src": "'self'", "object-src": "'none'", "base-uri": "'none'",
    "form-action": "'self'", "frame-ancestors": "'none'",
}  # fmt: skip


def directives(header: str) -> dict[str, str]:
    """The policy as {directive: sources} (django-csp writes directives in no fixed order)."""
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/search?q=南昌",
        "/no-such-page",
        "/supervision/login/",
        "/supervision/",
        "/admin/login/",
        "/api/v1/search",
    ],
)
def test_every_response_carries_the_sites_policy(client, path):
    response = client.get(path)

    assert directives(response["Content-Security-Policy"]) == SITE_POLICY


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_the_api_documentation_keeps_its_own_policy(client, path):
    policy = directives(client.get(path)["Content-Security-Policy"])

    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert (policy["default-src"], policy["frame-ancestors"]) == ("'self'", "'none'")
    assert "form-action" not in policy  # the documentation's own, not the site's joined to it
