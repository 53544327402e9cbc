"""Who reaches what: an enterprise sees only its own subject. Enterprise A against B's applications,
files and actions, an enterprise against the workspace, a regulator and anonymous against the
enterprise's pages. Every URL of the enterprise side is listed (a new one fails until it is)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, reverse

from enterprises import urls as enterprise_urls
from enterprises.services import enterprise_objection_file, enterprise_repair_apply
from tests.auth import log_in
from tests.supervision.feeds import stored
from warning_system.evidence.models import EvidenceFile

PDF = b"%PDF-1.4\n%%EOF\n"
PUBLIC = {"login", "activate"}  # open to anybody
PRIVATE = {
    "home",
    "logout",
    "otp_setup",
    "otp_verify",
    "notice",
    "repair_apply",
    "application",
    "evidence",
    "objection_file",
    "objection",
}


@pytest.fixture
def b_objects(other_account):
    """Enterprise B's application, file and record."""
    record = stored("penalty", "SCJG", "CF-B")
    application = enterprise_repair_apply(
        account=other_account, kind="penalty", record_pk=record.pk, reason="已整改",
        files=[SimpleUploadedFile("b.pdf", PDF)],
    )  # fmt: skip
    objection = enterprise_objection_file(
        account=other_account, kind="penalty", record_pk=record.pk, reason="记录有误",
        files=[SimpleUploadedFile("b2.pdf", PDF + b"objection")],
    )  # fmt: skip
    return {
        "application": application,
        "evidence": EvidenceFile.objects.get(repair=application),
        "record": record,
        "objection": objection,
    }


def b_urls(b):
    return {
        "repair_apply": reverse("enterprises:repair_apply", args=["penalty", b["record"].pk]),
        "application": reverse("enterprises:application", args=[b["application"].pk]),
        "evidence": reverse("enterprises:evidence", args=[b["evidence"].pk]),
        "objection_file": reverse("enterprises:objection_file", args=["penalty", b["record"].pk]),
        "objection": reverse("enterprises:objection", args=[b["objection"].pk]),
    }


def test_every_enterprise_url_is_in_the_matrix():
    names = {p.name for p in enterprise_urls.urlpatterns}
    assert names == PUBLIC | PRIVATE


@pytest.mark.parametrize("name", ["repair_apply", "application", "evidence", "objection_file", "objection"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_enterprise_a_cannot_reach_bs_objects(enterprise_client, b_objects, name, method):
    response = getattr(enterprise_client, method)(b_urls(b_objects)[name], {"reason": "x"})
    assert response.status_code in (404, 405)
    assert b"CF-B" not in response.content and PDF not in getattr(response, "content", b"")


def test_enterprise_a_cannot_apply_for_bs_record_through_the_service(account, b_objects):
    from warning_system.classification.services import RepairError

    with pytest.raises(RepairError):
        enterprise_repair_apply(account=account, kind="penalty", record_pk=b_objects["record"].pk, reason="x",
                                files=[])  # fmt: skip


def test_enterprise_a_home_and_notice_show_nothing_of_b(enterprise_client, b_objects, other_account):
    for name in ("home", "notice"):
        content = enterprise_client.get(reverse(f"enterprises:{name}")).content.decode()
        assert other_account.subject_id not in content and "CF-B" not in content


def workspace_urls():
    """Every workspace route that takes no argument (login, logout and the second factor aside)."""
    from supervision import urls as workspace

    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif not entry.pattern.converters and "<" not in str(entry.pattern) and entry.name not in OPEN:
                found.append(reverse(f"supervision:{entry.name}"))

    walk(workspace.urlpatterns, "")
    return found


OPEN = {"login", "logout", "otp_setup", "otp_verify"}


def test_an_enterprise_is_refused_every_workspace_page(enterprise_client):
    urls = workspace_urls()
    assert len(urls) >= 10
    assert {url: enterprise_client.get(url).status_code for url in urls} == dict.fromkeys(urls, 403)


def test_an_enterprise_cannot_read_evidence_through_the_workspace(enterprise_client, b_objects):
    url = reverse("supervision:repair_evidence", args=[b_objects["evidence"].pk])
    assert enterprise_client.get(url).status_code == 403


def test_an_enterprise_cannot_open_the_admin(enterprise_client):
    assert enterprise_client.get("/admin/").status_code == 302


@pytest.mark.parametrize("name", sorted(PRIVATE - {"logout"}))
def test_anonymous_is_sent_to_the_enterprise_login(client, b_objects, name):
    url = b_urls(b_objects).get(name) or reverse(f"enterprises:{name}")
    response = client.get(url)
    if name == "otp_verify":
        assert response.status_code == 302 and "/enterprise/login/" in response["Location"]
    else:
        assert response.status_code == 302 and response["Location"].startswith("/enterprise/login/")


@pytest.mark.parametrize("name", sorted(PRIVATE - {"logout", "otp_verify"}))
def test_a_regulator_is_refused_the_enterprise_pages(staff_of, b_objects, name):
    client = Client()
    log_in(client, staff_of("SCJG", role="leader"))
    url = b_urls(b_objects).get(name) or reverse(f"enterprises:{name}")
    assert client.get(url).status_code == 403
