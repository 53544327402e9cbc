"""The page that explains the colours (/colours): written from the ruleset and the measures
catalogue in force, and linked from every colour badge of the portal."""

import copy
import re

import pytest

from warning_system.classification import rules
from warning_system.classification.services import ruleset_for, ruleset_publish
from warning_system.sanctions import measures
from warning_system.sanctions.services import catalogue_publish

URL = "/colours"


def section(html: str, colour: str) -> str:
    return re.search(rf'<section class="colours-section colours-{colour}".*?</section>', html, re.S).group(0)


def rule_keys(html: str, colour: str) -> list[str]:
    return re.findall(r'data-rule="(\w+)"', section(html, colour))


@pytest.fixture
def page(client, db):
    def get() -> str:
        response = client.get(URL)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_each_colour_lists_the_rules_of_the_ruleset_in_force(page):
    html = page()
    in_force = ruleset_for(rules.date.today()).rules
    for colour in (rules.RED, rules.ORANGE, rules.YELLOW):
        assert rule_keys(html, colour) == [r["key"] for r in in_force if r["colour"] == colour]
    assert rule_keys(html, rules.GREEN) == []


def test_each_rule_says_what_triggers_it_how_long_it_counts_and_how_it_ends(page):
    red = section(page(), rules.RED)
    assert "有履行能力而拒不履行生效裁判" in red
    assert "自裁判之日起 3 年" in red
    assert "自处罚决定之日起满3年后解除" in red  # the rule's own repair text
    assert "吊销许可证件" in red  # the categories, spelled as the data contract spells them


def test_each_colour_lists_the_measures_it_restricts(page):
    html = page()
    assert re.findall(r'data-use="(\w+)"', section(html, rules.RED)) == list(measures.DEFAULT_USES)
    assert re.findall(r'data-use="(\w+)"', section(html, rules.YELLOW)) == [measures.HONOUR]
    assert "不受联合惩戒措施限制。" in section(html, rules.GREEN)


def test_lists_that_restrict_whatever_the_colour_are_named(page):
    html = page()
    assert "无论颜色如何都适用的限制" in html
    assert "限制高消费（失信被执行人）" in html


def test_repair_conditions_come_from_the_ruleset(page):
    assert "行政处罚自决定之日起满 6 个月 后可申请修复" in page()


def test_publishing_a_new_ruleset_changes_the_page(page):
    changed = copy.deepcopy(ruleset_for(rules.date.today()).rules)
    court = next(rule for rule in changed if rule["key"] == "court_refusal")
    court.update(years=5, colour=rules.ORANGE, label="拒不履行生效裁判（测试版）")
    ruleset_publish(rules_data=changed, note="test")
    html = page()
    assert "court_refusal" not in rule_keys(html, rules.RED)
    assert "court_refusal" in rule_keys(html, rules.ORANGE)
    assert "拒不履行生效裁判（测试版）" in section(html, rules.ORANGE)
    assert "自裁判之日起 5 年" in html
    assert re.search(r"依据分类规则第 2 版", html)


def test_publishing_a_new_catalogue_changes_the_restrictions(page):
    changed = measures.default_measures()
    changed[measures.FINANCING]["colours"] = [rules.RED, rules.ORANGE]
    changed[measures.FINANCING]["measure"] = "融资授信从严审核（测试版）"
    catalogue_publish(measures_data=changed)
    orange = section(page(), rules.ORANGE)
    assert "融资授信从严审核（测试版）" in orange


def test_page_is_in_english_when_asked(client, db):
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "How long it counts" in html


def test_every_badge_on_the_subject_page_links_to_the_colours_page(client, portal_city):
    html = client.get(f"/subjects/{portal_city.red}").content.decode()
    badges = re.findall(r'<a class="colours-badge-link" href="([^"]+)"[^>]*><span class="badge', html)
    assert badges and all(href.startswith("/colours#colour-") for href in badges)
    assert html.count('<span class="badge ') == len(badges)


def test_badges_on_the_home_page_link_to_the_colours_page(client, portal_city):
    html = client.get("/").content.decode()
    assert html.count('<span class="badge ') == html.count(
        'class="colours-badge-link" href="/colours#colour-'
    )
    assert 'href="/colours#colour-red"' in html


def test_badges_in_search_results_link_to_the_colours_page(client, portal_city):
    html = client.get("/search", {"q": "南昌"}).content.decode()
    assert 'class="colours-badge-link" href="/colours#colour-' in html
    assert html.count('<span class="badge ') == html.count('class="colours-badge-link"')


def test_badges_in_a_batch_result_link_to_the_colours_page(client, portal_city):
    html = client.post("/check", {"codes": portal_city.red}).content.decode()
    assert 'class="colours-badge-link" href="/colours#colour-red"' in html


def test_colours_page_costs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    # The ruleset and the catalogue in force: one query each, two when none is in force yet and the
    # first version is looked for (a database flushed by a browser test has no seed versions).
    with django_assert_max_num_queries(4):
        assert client.get(URL).status_code == 200
