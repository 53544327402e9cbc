"""A 10,000-entry batch check in headless Chromium: the summary first, the non-green filter, 100
rows a page, restriction tags that wrap inside their column, and cards on a phone, never wider
than the screen."""

import pytest
from django.utils import timezone

from tests.factories import make_uscc, wrong_check
from warning_system.classification.models import SubjectColour
from warning_system.registry.models import Subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZE = 10_000
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# Tags (and every cell's content) that stick out of their cell, on the page shown.
TAGS_OUT = """() => [...document.querySelectorAll('.batch-table td')].filter(td => {
  const cell = td.getBoundingClientRect();
  return [...td.querySelectorAll('.batch-tag, .badge')].some(tag => tag.getBoundingClientRect().right > cell.right + 0.5);
}).length"""


def ten_thousand_entries(portal_city) -> list[str]:
    """The city's four coloured subjects, 9,900 more (one in ten red, one in twenty orange, one in
    five yellow, copying the city's stored colours), 80 unknown codes and 16 invalid ones."""
    department = Subject.objects.get(uscc=portal_city.red).registered_by
    now = timezone.now()
    subjects = [
        Subject(uscc=make_uscc(800_000 + i), name=f"南昌批量核查{i}号商贸有限公司", subject_type="enterprise",
                status="existing", district_code="360102", registered_by=department, source_updated_at=now)
        for i in range(9_900)
    ]  # fmt: skip
    Subject.objects.bulk_create(subjects)
    stored = {c.colour: c for c in SubjectColour.objects.filter(subject_id__in=portal_city.registered)}
    colours = []
    for i, subject in enumerate(subjects):
        colour = "red" if i % 10 == 0 else "orange" if i % 20 == 5 else "yellow" if i % 5 == 2 else None
        if colour:
            model = stored[colour]
            colours.append(SubjectColour(subject=subject, colour=colour, since=model.since,
                                         evaluated_on=model.evaluated_on, ruleset=model.ruleset,
                                         explanation=model.explanation))  # fmt: skip
    SubjectColour.objects.bulk_create(colours)
    entries = list(portal_city.registered) + [s.uscc for s in subjects]
    entries += [make_uscc(900_000 + i) for i in range(80)] + [
        wrong_check(make_uscc(950_000 + i)) for i in range(16)
    ]
    assert len(entries) == SIZE
    return entries


@pytest.fixture
def submitted(live_server, page, portal_city, tmp_path):
    upload = tmp_path / "贷款客户.csv"
    upload.write_text("统一社会信用代码\n" + "\n".join(ten_thousand_entries(portal_city)) + "\n")
    page.set_default_timeout(60_000)
    page.goto(live_server.url + "/check")
    page.set_input_files('input[name="upload"]', str(upload))
    page.get_by_role("button", name="开始查询").click()
    page.locator(".batch-summary").wait_for()
    return page


def test_summary_comes_first_and_filters_to_the_non_green_rows(submitted):
    page = submitted
    share = page.locator(".batch-share")
    counts = {share.nth(i).get_attribute("data-show"): share.nth(i).locator(".batch-share-count").inner_text()
              for i in range(share.count())}  # fmt: skip
    assert counts["all"] == "10,000"
    assert counts["unknown"] == "80" and counts["invalid"] == "16"
    summary_top = page.locator(".batch-summary").bounding_box()["y"]
    assert summary_top < page.locator(".batch-table").bounding_box()["y"]
    assert page.locator(".batch-table tbody tr").count() == 100

    # Only the non-green rows, a hundred a page.
    page.locator('.batch-share[data-show="not-green"]').click()
    page.wait_for_url("**/check/results/*?show=not-green")
    colours = page.locator(".batch-table .badge").evaluate_all("els => els.map(e => e.dataset.colour)")
    assert len(colours) == 100 and "green" not in colours
    page.get_by_role("link", name="下一页").click()
    assert "page=2" in page.url


def test_table_fits_a_desktop_and_becomes_cards_on_a_phone(submitted):
    page = submitted
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.evaluate(TAGS_OUT) == 0  # every colour's badge, green's longest label too
    page.locator('.batch-share[data-show="red"]').click()
    page.wait_for_url("**show=red")
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(TAGS_OUT) == 0
    name_width = page.locator(".batch-table td.batch-name").first.bounding_box()["width"]
    assert name_width > 120  # a name reads on a line or two, not two characters a line
    # A hundred red rows in a few screens' height, not dozens: a red row's restriction tags (one per
    # use of the catalogue in force, and the high-consumption ban) wrap in about 32 px a tag at most.
    tags = page.locator(".batch-table tbody tr").first.locator(".batch-tag").count()
    assert tags >= 7
    assert page.locator(".batch-table").bounding_box()["height"] < 100 * tags * 34

    # On a phone: cards, no wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate(OVERFLOW) <= 0
    assert page.evaluate(TAGS_OUT) == 0
    assert not page.locator(".batch-table thead").is_visible()
    card = page.locator(".batch-table tbody tr").first.bounding_box()
    assert card["width"] <= 390
