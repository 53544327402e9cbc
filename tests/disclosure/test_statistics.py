"""The statistics page: colour mixes as stacked bars and the 90-day trend, drawn as inline SVG."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from disclosure.selectors import statistics
from disclosure.templatetags.charts import nice_step, tick_label
from warning_system.classification.models import DailyColourCount, SubjectColour
from warning_system.registry.models import Subject

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"
URL = reverse("disclosure:statistics")


def svgs(html: str) -> list[ET.Element]:
    """Every inline chart of the page, parsed as XML (so it must be well-formed)."""
    return [ET.fromstring(fragment) for fragment in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def counts(rows) -> dict[str, tuple[int, int, int, int]]:
    return {row.key: (row.green, row.yellow, row.orange, row.red) for row in rows}


def make_days(count: int) -> None:
    today = timezone.localdate()
    DailyColourCount.objects.bulk_create(
        DailyColourCount(day=today - timedelta(days=i), green=100 + i, yellow=5, orange=3 + i % 2, red=1)
        for i in range(count)
    )


def test_mix_by_district_matches_the_city(portal_city):
    assert counts(statistics.colour_mix("district")) == {"360102": (0, 1, 0, 1), "360111": (1, 0, 1, 0)}


def test_mix_by_industry_groups_by_section_letter(portal_city):
    rows = statistics.colour_mix("industry")
    assert counts(rows) == {"C": (0, 0, 1, 1), "F": (1, 1, 0, 0)}
    assert [row.label for row in rows] == ["C 制造业", "F 批发和零售业"]


def test_mix_by_subject_type_matches_the_city(portal_city):
    rows = statistics.colour_mix("subject_type")
    assert counts(rows) == {"enterprise": (1, 1, 1, 1)}
    assert rows[0].total == 4 and rows[0].shares == {
        "green": 25.0,
        "yellow": 25.0,
        "orange": 25.0,
        "red": 25.0,
    }


def test_mix_labels_districts_with_their_names(portal_city):
    assert all(row.label != row.key for row in statistics.colour_mix("district"))


def test_mix_counts_subjects_without_a_stored_colour_as_green(portal_city):
    SubjectColour.objects.filter(subject_id__in=[portal_city.green, portal_city.orange]).delete()
    assert counts(statistics.colour_mix("district"))["360111"] == (2, 0, 0, 0)


def test_mix_leaves_out_withdrawn_subjects(portal_city):
    Subject.objects.filter(uscc=portal_city.red).update(withdrawn=True)
    assert counts(statistics.colour_mix("district"))["360102"] == (0, 1, 0, 0)


def test_mix_puts_codes_without_a_section_letter_under_unknown(portal_city):
    Subject.objects.filter(uscc=portal_city.red).update(industry_code=None)
    Subject.objects.filter(uscc=portal_city.orange).update(industry_code="1310")
    rows = statistics.colour_mix("industry")
    assert counts(rows)[""] == (0, 0, 1, 1)
    assert rows[-1].label == "未注明行业"


def test_each_mix_is_one_query(portal_city, django_assert_num_queries):
    for dimension in ("district", "industry", "subject_type"):
        with django_assert_num_queries(1):
            statistics.colour_mix(dimension)


def test_statistics_page_queries_are_bounded(client, portal_city, django_assert_max_num_queries):
    make_days(90)
    # Five, and the measures catalogue in force (the disqualifications' columns), read once then cached.
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert response.status_code == 200


def test_page_draws_one_wellformed_svg_bar_chart_per_dimension(client, portal_city):
    charts = svgs(client.get(URL).content.decode())
    assert len(charts) == 3
    for chart in charts:
        assert chart.get("viewBox") and chart.get("width") == "100%"


def test_each_bar_has_a_tooltip_and_the_chart_a_legend(client, portal_city):
    chart = svgs(client.get(URL).content.decode())[0]
    bars = chart.findall(f"{SVG_NS}g[@class='bar']")
    assert len(bars) == 2
    assert bars[0].find(f"{SVG_NS}title").text.startswith("东湖区：共 2 个")
    assert all(rect.find(f"{SVG_NS}title") is not None for bar in bars for rect in bar.iter(f"{SVG_NS}rect"))
    legend = [t.text for t in chart.find(f"{SVG_NS}g[@class='legend']").iter(f"{SVG_NS}text")]
    assert legend == ["绿色（正常）", "黄色", "橙色", "红色"]


def test_segments_fill_the_bar_in_proportion(client, portal_city):
    chart = svgs(client.get(URL).content.decode())[2]  # subject type: one bar, 1 subject of each colour
    widths = [float(r.get("width")) for r in chart.find(f"{SVG_NS}g[@class='bar']").iter(f"{SVG_NS}rect")]
    assert widths == [100.0, 100.0, 100.0, 100.0]


def test_page_draws_without_a_script_and_no_external_resource(client, portal_city):
    make_days(3)
    html = client.get(URL).content.decode()
    # Only the site's own file, for the language switch: the charts are drawn on the server.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/site.js" defer>']
    assert not re.search(r"""(?:src|href)=["']https?://""", html)


def test_trend_shows_an_empty_state_with_fewer_than_two_days(client, portal_city):
    make_days(1)
    response = client.get(URL)
    assert "暂无法绘制趋势图" in response.content.decode()
    assert len(svgs(response.content.decode())) == 3


def test_trend_draws_lines_for_the_last_90_days(client, portal_city):
    make_days(120)
    html = client.get(URL).content.decode()
    assert "暂无法绘制趋势图" not in html
    trend = svgs(html)[3:]
    assert len(trend) == 2
    lines = {
        p.get("stroke"): p.get("points").split() for chart in trend for p in chart.iter(f"{SVG_NS}polyline")
    }
    assert len(lines) == 4
    assert all(len(points) == 90 for points in lines.values())


def test_colour_trend_returns_the_last_days_oldest_first(db):
    make_days(100)
    days = statistics.colour_trend(90)
    assert len(days) == 90
    assert days[-1].day == timezone.localdate()
    assert days[0].day < days[-1].day


@pytest.mark.parametrize(("raw", "step"), [(0, 1), (0.5, 1), (3, 5), (12, 20), (40, 50), (1250, 2000)])
def test_axis_steps_are_round_numbers(raw, step):
    assert nice_step(raw) == step


@pytest.mark.parametrize(
    ("value", "label"), [(0, "0"), (5000, "5,000"), (500_000, "50万"), (1_250_000, "125万")]
)
def test_large_axis_numbers_are_written_in_wan(value, label):
    assert tick_label(value) == label


def test_legend_entries_do_not_overlap(client, portal_city):
    chart = svgs(client.get(URL).content.decode())[0]
    legend = chart.find(f"{SVG_NS}g[@class='legend']")
    xs = [float(r.get("x")) for r in legend.iter(f"{SVG_NS}rect")]
    labels = [t.text for t in legend.iter(f"{SVG_NS}text")]
    for x, next_x, label in zip(xs, xs[1:], labels, strict=False):
        assert next_x >= x + 16 + 13 * len(label)
    assert xs[-1] + 16 + 13 * len(labels[-1]) <= float(chart.get("viewBox").split()[2])
