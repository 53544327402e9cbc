"""Every page in English speaks English: no Chinese from templates or code, only from data.

Over a small demo city (tests/demo_city.py: a generated city collected through the inbox, then
`seed_demo`), every public page and every workspace page is fetched with the English language cookie:
the GET routes of the URL resolver that need no argument (so a page added later is covered without
touching this test) and a fixed set of detail pages. The visible text (text nodes outside scripts and
styles, and the title, placeholder, aria-label and alt attributes; an element marked `lang="zh…"`,
such as the language menu's 中文, is left out with its content) must hold no CJK character once
the data is taken out.

The data is what the database holds: every string value of every table (names, document numbers,
addresses, facts, department names …), except the tables that hold the product's own configuration
(rules, the measures catalogue, the policies), whose text is the product's and must be translated.
A page may shorten a data value (“…”): a remaining run found inside a data value counts as data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import demo_city as city
from tests.auth import log_in
from warning_system.accounts.models import StaffProfile

demo_city = city.demo_city  # the module's city (a fixture)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")
SKIPPED_PREFIXES = ("admin/", "api/", "i18n/", "static/")
# Columns whose text is the product's own (configuration, and what the engine copies from it: rule
# labels and repair paths, measures), not data: it must be translated. None: every column of the table.
PRODUCT_TEXT = {
    "sanctions.measurescatalogue": {"measures"},
    "classification.ruleset": None,
    "inspections.inspectionpolicy": None,
    "supervision.assessmentpolicy": None,
    "demo.demorecord": None,
    "classification.subjectcolour": {"explanation"},
    "classification.colourchange": {"explanation"},
    "sanctions.jointcheck": {"measure", "reasons"},
    "disclosure.creditreport": {"snapshot"},
}
# Within the product's text, what cites Chinese law (titles of laws are proper names): the legal basis.
CITATIONS = {"sanctions.measurescatalogue": "legal_basis"}
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
HIDDEN_TAGS = {"script", "style", "template"}
GLUED = {"mark"}
# A personal name masked for the public (王＊＊): its first character is data, the mask the product's.
MASKED = re.compile(r"[\u4e00-\u9fff]{1,3}＊+")
# In an English sentence, a Chinese term quoted for the reader to type or find (a column heading “统一社会信用代码”).
QUOTED = re.compile(r"“[^”]*”")
LATIN = re.compile(r"[A-Za-z]{2}")
VOID_TAGS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes and the visible attributes, minus hidden and `lang="zh…"` parts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden)
        self.glue = False  # the next text continues the last chunk (a search highlight splits a name)

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        self.glue = tag in GLUED
        attributes = dict(attrs)
        hidden = self.hidden or tag in HIDDEN_TAGS or (attributes.get("lang") or "").startswith("zh")
        if not hidden:
            self.chunks += [attributes[name] for name in VISIBLE_ATTRIBUTES if attributes.get(name)]
            if tag == "input" and attributes.get("type") in ("submit", "button") and attributes.get("value"):
                self.chunks.append(attributes["value"])
        if tag not in VOID_TAGS:
            self.stack.append((tag, hidden))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.stack.pop()

    def handle_endtag(self, tag):
        self.glue = tag in GLUED
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if self.hidden or not data.strip():
            return
        if self.glue and self.chunks:
            self.chunks[-1] += data
        else:
            self.chunks.append(data)
        self.glue = False


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.chunks


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def data_strings() -> set[str]:
    """Every string with a CJK character the database holds, outside the product's own text."""
    found: set[str] = set()
    for model in apps.get_models():
        label = model._meta.label_lower
        names = [f.attname for f in model._meta.concrete_fields
                 if isinstance(f, models.CharField | models.TextField | models.JSONField)
                 or f.get_internal_type() == "ArrayField"]  # fmt: skip
        if label in PRODUCT_TEXT:
            product = PRODUCT_TEXT[label]
            names = [] if product is None else [name for name in names if name not in product]
        if label in CITATIONS:
            for row in model.objects.values_list("measures", flat=True):
                found.update(e.get(CITATIONS[label], "") for e in row.values() if isinstance(e, dict))
        for row in model.objects.values_list(*names) if names else ():
            for value in row:
                found.update(s.strip() for s in _strings(value) if CJK.search(s))
    return {s for s in found if s}


class DataRemover:
    def __init__(self, strings: set[str]):
        # Longest first, so that a name is taken out whole before any shorter value inside it.
        ordered = sorted(strings, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self.blob = "\n".join(ordered)

    def foreign(self, chunk: str) -> list[str]:
        """The CJK runs of a chunk that are not data."""
        if not CJK.search(chunk):
            return []
        rest = self.pattern.sub(" ", chunk) if self.pattern else chunk
        rest = MASKED.sub(" ", rest)
        if LATIN.search(rest):
            rest = QUOTED.sub(" ", rest)
        return [run for run in CJK.findall(rest) if not self._inside_data(run, chunk)]

    def _inside_data(self, run: str, chunk: str) -> bool:
        # A value cut short (truncated, or split by markup such as a search highlight).
        return len(run) > 1 and run in self.blob and not CJK.fullmatch(chunk.strip())


def routes() -> Iterator[tuple[str, str]]:
    """(route, name) of every URL pattern without arguments."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    for route, pattern in walk(get_resolver().url_patterns):
        if route.startswith(SKIPPED_PREFIXES) or pattern.pattern.regex.groups:
            continue
        if "<" in route:
            continue
        yield "/" + route.lstrip("^").rstrip("$").replace("/?", "/").rstrip("?"), pattern.name


def detail_urls() -> list[str]:
    """A representative page of each kind of object the city holds."""
    from disclosure.services.reports import report_issue
    from supervision.models import DepartmentMonthScore, DualNotification, InboxItem
    from warning_system.classification.models import RepairApplication, SubjectColour
    from warning_system.inspections.models import Assignment, InspectionTask, Inspector
    from warning_system.sanctions.models import JointCheck, MeasuresCatalogue

    urls = []
    for colour in ("red", "orange", "yellow", "green"):
        subject = SubjectColour.objects.filter(colour=colour).order_by("subject_id").first()
        if subject:
            urls.append(reverse("disclosure:subject", args=[subject.subject_id]))
        urls.append(reverse("disclosure:colour-list", args=[colour]))
    red = SubjectColour.objects.filter(colour="red").order_by("subject_id").first()
    report = report_issue(red.subject_id)
    urls.append(reverse("disclosure:report", args=[report.number]))
    urls.append(reverse("disclosure:verify-report") + f"?number={report.number}")
    urls.append(reverse("disclosure:search") + "?q=南昌")
    for task in InspectionTask.objects.all():
        urls += [
            reverse("disclosure:inspection-task", args=[task.number]),
            reverse("supervision:inspection_task", args=[task.pk]),
        ]
    assignment = Assignment.objects.exclude(result="").first()
    urls.append(reverse("supervision:inspection_result", args=[assignment.pk]))
    urls.append(
        reverse(
            "supervision:inspection_inspector_edit",
            args=[Inspector.objects.filter(department_id="SCJG").first().pk],
        )
    )
    urls.append(
        reverse(
            "supervision:repair_detail",
            args=[RepairApplication.objects.filter(department_id="SCJG").first().pk],
        )
    )
    urls.append(reverse("supervision:joint_check_detail", args=[JointCheck.objects.filter(department_id="SCJG")
                                                     .first().pk]))  # fmt: skip
    urls.append(
        reverse(
            "supervision:joint_catalogue_version",
            args=[MeasuresCatalogue.objects.order_by("-version").first().version],
        )
    )
    dual = DualNotification.objects.filter(department_id="SCJG").first()
    if dual:
        urls.append(reverse("supervision:dual_detail", args=[dual.pk]))
    item = InboxItem.objects.filter(department_id="SCJG").first()
    if item:
        urls.append(reverse("supervision:linked_item", args=[item.pk]))
    month = DepartmentMonthScore.objects.order_by("-month").first().month
    urls.append(reverse("supervision:assessment_trend", args=["SCJG"]))
    urls.append(reverse("supervision:assessment_findings", args=["SCJG", month.year, month.month]))
    return urls


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def chinese_left(client, urls: list[str], remover: DataRemover) -> dict[str, list[str]]:
    """url -> the Chinese left on its page once the data is taken out, for every HTML page answered."""
    found: dict[str, list[str]] = {}
    pages = 0
    for url in urls:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages += 1
        html = response.content.decode()
        assert 'lang="en"' in html[:300], url
        runs = sorted({run for chunk in visible_text(html) for run in remover.foreign(chunk)})
        if runs:
            found[url] = runs
    return found


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_its_own_language(demo_city, english):
    html = english.get("/").content.decode()
    menu = html[html.index('<select name="language"') :]
    menu = menu[: menu.index("</select>")]
    assert ">English<" in menu and ">中文<" in menu
    assert "英语" not in menu and "Chinese" not in menu


@pytest.mark.django_db
def test_every_public_page_in_english_has_no_chinese_but_data(demo_city, english):
    remover = DataRemover(data_strings())
    urls = [route for route, _name in routes() if not route.startswith("/supervision/")]
    urls += [url for url in detail_urls() if not url.startswith("/supervision/")]
    assert chinese_left(english, urls, remover) == {}


@pytest.mark.parametrize("username", ["scjg_leader", "admin"])
@pytest.mark.django_db
def test_every_workspace_page_in_english_has_no_chinese_but_data(demo_city, english, username):
    remover = DataRemover(data_strings())
    log_in(english, StaffProfile.objects.get(user__username=username))
    urls = [route for route, _name in routes() if route.startswith("/supervision/")]
    urls += [url for url in detail_urls() if url.startswith("/supervision/")]
    assert chinese_left(english, urls, remover) == {}


@pytest.mark.django_db
def test_registered_capital_reads_as_renminbi_in_english_and_wan_in_chinese(demo_city, client):
    from warning_system.registry.models import Subject

    subject = Subject.objects.filter(registered_capital=50, subject_type="enterprise").first() or (
        Subject.objects.filter(subject_type="enterprise", registered_capital__isnull=False).first()
    )
    Subject.objects.filter(pk=subject.pk).update(registered_capital=50)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/subjects/{subject.pk}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "RMB 500,000" in english
    assert "10,000 yuan" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(f"/subjects/{subject.pk}", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "50 万元" in chinese
