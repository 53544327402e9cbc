"""A bank officer's batch check in headless Chromium: upload a file, read the colours, download
the result."""

import csv
import io

import pytest
from django.utils import timezone

from tests.factories import make_uscc, wrong_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_uploaded_codes_come_back_coloured_and_downloadable(live_server, page, portal_city, tmp_path):
    invalid = wrong_check(make_uscc())
    codes = [*portal_city.registered, invalid]
    upload = tmp_path / "贷款客户.csv"
    upload.write_bytes(("统一社会信用代码\r\n" + "\r\n".join(codes) + "\r\n").encode("gb18030"))

    page.goto(live_server.url + "/check")
    page.set_input_files('input[name="upload"]', str(upload))
    page.get_by_role("button", name="开始查询").click()

    rows = page.locator(".batch-table tbody tr")
    rows.first.wait_for()
    assert rows.count() == 5
    assert [rows.nth(i).get_attribute("data-status") for i in range(5)] == ["found"] * 4 + ["invalid"]
    badges = page.locator(".batch-table .badge")
    colours = [badges.nth(i).get_attribute("data-colour") for i in range(4)]
    assert colours == ["green", "yellow", "orange", "red"]
    assert "限制参加政府采购活动" in rows.nth(3).inner_text()
    assert invalid in rows.nth(4).inner_text()

    with page.expect_download() as info:
        page.get_by_role("button", name="下载 CSV").click()
    download = info.value
    assert download.suggested_filename == f"批量查询-{timezone.localdate():%Y%m%d}.csv"
    with open(download.path(), "rb") as stream:
        content = stream.read()
    assert content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert [row[0] for row in table[1:]] == codes
    assert [row[4] for row in table[1:]] == ["绿色（正常）", "黄色", "橙色", "红色", ""]
    assert table[5][1] == "代码有误"
