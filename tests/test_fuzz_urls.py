"""Probed as an attacker would, no URL of the site answers 5xx.

The patterns come from Django's resolver, walked recursively (included urlconfs and the admin site
too), so a URL added later is probed without anyone listing it. Every pattern is requested

- with hostile values in its path parameters, one parameter at a time, the others real: NUL and
  other control characters, 5,000 characters, `%`, `_`, quotes, a backslash, markup, emoji, broken
  UTF-8 escapes, `..%2f`, negative and huge numbers, a valid-looking USCC;
- at a real address (objects of a small world covering every workspace area, the portal and the
  API) with a hostile query string: the common keys (q, page, sort, format), every filter of the
  project's filter sets, the API's documented parameters and the admin site's own keys;
- with a POST of hostile form fields (every field name of the project's forms), a multipart POST with
  hostile files, and under /api/ hostile JSON documents with every method the view has;

as an anonymous visitor, a department leader, an administrator past TOTP, an institution with its
API key and a department with its push token. Control characters and broken UTF-8 stop at the edge
(warning_system.screening), so they travel in requests of their own: the other hostile values go
together, and reach the views. The values are sampled per pattern by a rotation through the lists,
the same on every run, so the whole probe takes a minute or two and a failure repeats.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote, unquote

import django_filters
import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from django.utils.regex_helper import normalize
from drf_spectacular.generators import SchemaGenerator

from collectors.services.tokens import department_token_issue
from disclosure.models import Institution
from disclosure.services.api_keys import api_key_issue
from disclosure.services.monitoring import watchlist_create, watchlist_subjects_add
from tests.auth import log_in, otp_verify
from tests.factories import make_uscc
from tests.inspections.world import InspectorFactory, published
from tests.supervision.test_permissions import LOCAL_CACHE, OWN, build_world
from warning_system.inspections.models import Inspector
from warning_system.inspections.services import result_record
from warning_system.registry.models import Department, Subject

# Fewer would mean the walk lost part of the site (an include it no longer descends into).
MIN_PATTERNS = 300
# Hostile path values per pattern and actor (the admin site's ~300 patterns, all alike, take fewer).
PATH_SAMPLES, ADMIN_PATH_SAMPLES = 6, 2

VALID_LOOKING_USCC = make_uscc(987_654)
LONG = "A" * 5000

# What the edge refuses in a path or query (a form keeps tab, CR and LF: they travel with the rest).
SCREENED_TEXT = ["\x00", "南\x00昌", "\x01\x1b\x1f\x7f", "\t\r\n"]
# What gets through to the views.
PASSING_TEXT = [
    LONG,
    "%",
    "_",
    "'",
    "\\",
    '"',
    "<script>alert(1)</script>",
    "🙂🏭\U0010ffff",
    "-1",
    "99999999999999999999",
    "9223372036854775808",
    "0",
    VALID_LOOKING_USCC,
    VALID_LOOKING_USCC.lower() + " ",
    "' OR '1'='1' --",
    "../../etc/passwd",
    "２０２６",
    " ",
    "",
]
FORM_TEXT = PASSING_TEXT + ["第一行\r\n第二行\t"]
# Raw URL fragments no encoder would produce: broken UTF-8 (refused), and what passes.
SCREENED_FRAGMENTS = ["%ff%fe", "%c3%28"]
PASSING_FRAGMENTS = ["%", "%zz", "..%2f..%2fetc%2fpasswd", "%2e%2e", "%2500"]


def encoded(texts: list[str]) -> list[str]:
    return [quote(text, safe="") for text in texts]


PATH_VALUES = encoded([t for t in SCREENED_TEXT + PASSING_TEXT if t]) + SCREENED_FRAGMENTS + PASSING_FRAGMENTS
QUERY_VALUES = encoded(PASSING_TEXT) + PASSING_FRAGMENTS
SCREENED_QUERY_VALUES = encoded(SCREENED_TEXT) + SCREENED_FRAGMENTS

COMMON_QUERY_KEYS = ["q", "page", "sort", "format", "next", "o", "p", "e", "all"]
# The admin site refuses a request naming a field it does not allow (400) before reading anything
# else: these keys travel in a request of their own.
ADMIN_GUARDED_KEYS = ["_to_field", "_popup", "_changelist_filters"]
# What the admin's changelist reads from a POST (its actions), beside the model's fields.
ADMIN_ACTION_KEYS = ["action", "_selected_action", "select_across", "index"]

# Files a form may be given: not a spreadsheet, one with NUL and a formula, traversal and long names.
HOSTILE_FILES = [
    ("codes.csv", b"\x00\xff\xfe=cmd|' /C calc'!A0\r\n\x00,\x00\r\n"),
    ("codes.xlsx", b"PK\x03\x04 not really a zip"),
    ("../../evil.csv", "统一社会信用代码\r\n".encode() + VALID_LOOKING_USCC.encode() + b"\r\n"),
    ("A" * 300 + ".pdf", b"%PDF-1.4\x00"),
    ("codes.csv", "代码\r\n".encode("utf-16") + b"\xd8\x00"),
    ("codes.csv", b'=HYPERLINK("http://evil")\r\n' + LONG.encode()),
]


def hostile_documents(keys: list[str]) -> list[bytes]:
    """JSON bodies: the documented keys with hostile values, and documents of the wrong shape."""
    texts = [text for text in FORM_TEXT if text]
    deep = 100_000
    return [
        json.dumps({key: texts[i % len(texts)] for i, key in enumerate(keys)}).encode(),
        json.dumps({key: [texts[(i + 1) % len(texts)], LONG] for i, key in enumerate(keys)}).encode(),
        json.dumps({key: {"nested": {"deeper": ["x"]}} for key in keys}).encode(),
        json.dumps({key: 99999999999999999999 for key in keys}).encode(),
        json.dumps({key: -1 for key in keys}).encode(),
        json.dumps({key: None for key in keys}).encode(),
        json.dumps({key: [1, 2.5, True, None, {}] for key in keys}).encode(),
        json.dumps({key: ["X"] * 10_001 for key in keys[:3]}).encode(),
        json.dumps({key: "\x00" for key in keys}).encode(),
        json.dumps(["\x00", LONG, -1]).encode(),
        b'"\\u0000"',
        b"1e999",
        b'{"codes": [NaN, Infinity]}',
        b"null",
        ("[" * deep + "]" * deep).encode(),
        b'{"codes": ["\xff\xfe"]}',
        "\ufeff".encode("utf-16") + json.dumps({"codes": ["x"]}).encode("utf-16-le"),
        b"{not json",
        b"",
    ]


def rotation(values: list, start: int, count: int = 1) -> list:
    """`count` values from `start`, round and round the list: the same sample on every run."""
    return [values[(start + i) % len(values)] for i in range(count)]


def pairs(keys: list[str], values: list[str], start: int) -> list[tuple[str, str]]:
    """Each key with a value of the rotation."""
    return list(zip(keys, rotation(values, start, len(keys)), strict=True))


def query(keys: list[str], start: int) -> str:
    return "&".join(f"{key}={value}" for key, value in pairs(keys, QUERY_VALUES, start))


# --------------------------------------------------------------------------- the walk

PARAM = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Pattern:
    route: str  # as ResolverMatch.route spells it
    template: str  # the whole path, "%(name)s" for each parameter
    params: tuple[str, ...]
    regexes: dict[str, str]  # the converter's regex per parameter, where the pattern has converters
    callback: Callable

    @property
    def is_admin(self) -> bool:
        return self.template.startswith("admin/")

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    @property
    def model_admin(self):
        return getattr(self.callback, "model_admin", None)

    def prefix_of(self, param: str) -> str:
        return self.template.split(f"%({param})s", 1)[0]

    def url(self, values: dict[str, str]) -> str:
        return "/" + self.template % values


def walk(
    resolver: URLResolver | None = None, route: str = "", template: str = "", regexes=None
) -> list[Pattern]:
    """Every URL pattern under `resolver`, with the path that reaches it."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        text, _ = normalize(entry.pattern.regex.pattern)[0]
        joined = URLResolver._join_route(route, str(entry.pattern))
        converters = getattr(entry.pattern, "converters", {})
        inner = {**(regexes or {}), **{name: c.regex for name, c in converters.items()}}
        if isinstance(entry, URLResolver):
            found += walk(entry, joined, template + text, inner)
        elif isinstance(entry, URLPattern):
            params = tuple(dict.fromkeys(PARAM.findall(template + text)))
            found.append(Pattern(joined, template + text, params, inner, entry.callback))
    return found


PATTERNS = walk()


def fits(regex: str | None, raw: str) -> bool:
    return regex is None or re.fullmatch(regex, unquote(raw)) is not None


# --------------------------------------------------------------------------- names the site knows


def _own_subclasses(cls) -> Iterator[type]:
    for sub in cls.__subclasses__():
        if sub.__module__.split(".")[0] in ("collectors", "disclosure", "supervision", "warning_system"):
            yield sub
        yield from _own_subclasses(sub)


def filter_keys() -> set[str]:
    """Every filter of the project's filter sets, with the range suffixes django-filter adds."""
    keys = set()
    for filterset in _own_subclasses(django_filters.FilterSet):
        for name, declared in filterset.base_filters.items():
            keys |= {name, declared.field_name or name, *(f"{name}_{end}" for end in ("min", "max", "after"))}
    return keys


def form_fields() -> tuple[set[str], set[str]]:
    """(text field names, file field names) of every form of the project."""
    texts, files = set(), set()
    for form in _own_subclasses(forms.BaseForm):
        for name, form_field in getattr(form, "base_fields", {}).items():
            (files if isinstance(form_field, forms.FileField) else texts).add(name)
    return texts, files


def api_names() -> tuple[set[str], set[str]]:
    """(query parameters, properties of bodies) that the OpenAPI document names."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    params, properties = set(), set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            params |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
    for component in schema["components"]["schemas"].values():
        properties |= set(component.get("properties", {}))
    return params, properties


def admin_keys(pattern: Pattern) -> list[str]:
    """The admin site's filters and the model's fields: its changelist and form read them."""
    model_admin = pattern.model_admin
    if model_admin is None:
        return []
    keys = {f.name for f in model_admin.model._meta.concrete_fields}
    for entry in model_admin.list_filter:
        name = entry[0] if isinstance(entry, tuple | list) else entry
        if isinstance(name, str):
            keys |= {name, f"{name}__exact", f"{name}__isnull", f"{name}__gte", f"{name}__in"}
        elif getattr(name, "parameter_name", None):
            keys.add(name.parameter_name)
    return sorted(keys)


@pytest.fixture(scope="module")
def names() -> SimpleNamespace:
    text_fields, file_fields = form_fields()
    api_params, api_properties = api_names()
    return SimpleNamespace(
        query_keys=COMMON_QUERY_KEYS + sorted((filter_keys() | api_params) - set(COMMON_QUERY_KEYS)),
        form_keys=sorted(text_fields | api_properties),
        file_keys=sorted(file_fields),
        documents=hostile_documents(sorted(api_properties)),
    )


# --------------------------------------------------------------------------- the world


def build_fuzz_world() -> SimpleNamespace:
    """The workspace world of the permission matrix, plus what the portal and the API show."""
    world = build_world()
    leader = world.users["leader", OWN]
    # 双随机: a published task with one result.
    InspectorFactory.create_batch(3, department=Department.objects.get(code=OWN))
    task = published(leader.user)
    assignment = task.assignments.first()
    result_record(assignment=assignment, user=leader.user, department_id=OWN,
                  inspected_on=timezone.localdate(), result="corrected", note="复查合格")  # fmt: skip
    # A credit report of the red subject.
    red = world.subjects["joint"]
    issued = Client().post(f"/subjects/{red}/report")
    assert issued.status_code == 302, issued.status_code
    # The API: a key, a watchlist and a joint-punishment check of an institution.
    _, key = api_key_issue("南昌测试银行")
    watchlist = watchlist_create(Institution.objects.get(name="南昌测试银行"), "贷后监测")
    watchlist_subjects_add(watchlist, [red, world.subjects["key"]])
    watchlist.entries.update(added_at=timezone.now() - timedelta(days=1))
    api_check = Client().post(
        "/api/v1/joint-checks", {"uscc": red, "use": "financing"}, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )  # fmt: skip
    assert api_check.status_code == 201, api_check.content
    today = timezone.localdate()
    world.api_key = key
    world.department_token = department_token_issue(department=Department.objects.get(code=OWN))
    # A real value for each parameter, by the path before it, else by its name.
    world.live = {
        ("supervision/dual/", "pk"): world.dual["pushed"].pk,
        ("supervision/dual/catalogue/", "pk"): world.catalogue_entry.pk,
        ("supervision/linked/", "pk"): world.inbox_item.pk,
        ("supervision/linked/subscriptions/", "pk"): world.subscription.pk,
        ("supervision/linked/key/", "pk"): world.key.pk,
        ("supervision/linked/key/alerts/", "pk"): world.alert.pk,
        ("supervision/repair/", "pk"): world.application.pk,
        ("supervision/inspections/", "pk"): task.pk,
        ("supervision/inspections/results/", "pk"): assignment.pk,
        ("supervision/inspections/inspectors/", "pk"): Inspector.objects.order_by("pk").first().pk,
        ("supervision/joint/checks/", "pk"): world.joint_check.pk,
        ("api/v1/watchlists/", "id"): watchlist.pk,
        ("api/v1/joint-checks/", "id"): api_check.json()["id"],
        ("reports/", "number"): issued["Location"].rstrip("/").rsplit("/", 1)[-1],
        ("inspections/", "number"): task.number,
        "assignment_pk": assignment.pk,
        "uscc": red,
        "colour": "red",
        "kind": "penalty",
        "queue": "all",
        "code": OWN,
        "year": today.year,
        "month": today.month,
        "version": 1,
        "name": "task.json",
        "app_label": "registry",
        "url": "registry/nothing-here/",
        "rest": "v1/nothing-here",
        "content_type_id": ContentType.objects.get_for_model(Subject).pk,
        "object_id": red,
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module in a transaction rolled back after its last test (as the permission
    matrix builds its own); each test runs in a savepoint of it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # as TestCase's own class-wide block: durable blocks may nest
        outer.__enter__()
        try:
            with override_settings(CACHES=LOCAL_CACHE):
                built = build_fuzz_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def live_values(pattern: Pattern, live: dict) -> dict[str, str]:
    """A real object for every parameter: the admin's own model for its pages, else the world's."""
    values = {}
    for param in pattern.params:
        if pattern.model_admin is not None and param in ("object_id", "id", "pk"):
            first = pattern.model_admin.model._default_manager.order_by("pk").first()
            value = first.pk if first else 1
        else:
            value = live.get((pattern.prefix_of(param), param), live.get(param, 1))
        values[param] = quote(str(value), safe="")
    return values


def reaches(pattern: Pattern, url: str) -> bool:
    try:
        return resolve(unquote(url)).route == pattern.route
    except Resolver404:
        return False


# --------------------------------------------------------------------------- the probe


@dataclass
class Probe:
    """One actor's client; every answer of 500 or more (or an exception) is a failure."""

    client: Client
    actor: str
    relogin: Callable[[], None] | None = None
    headers: dict = field(default_factory=dict)
    admin_site: bool = False  # let into the admin site
    failures: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)

    def send(self, method: str, url: str, **kwargs) -> None:
        try:
            response = getattr(self.client, method)(url, **kwargs, **self.headers)
            if response.streaming:
                b"".join(response.streaming_content)
            status, exc_info = response.status_code, response.exc_info
        except Exception as exc:  # raised while streaming
            status, exc_info = 599, (type(exc), exc, None)
        self.statuses[status] += 1
        if status >= 500:
            self.failures.append(f"{self.actor} {method.upper()} {url[:300]} → {status} {cause(exc_info)}")

    def keep_logged_in(self) -> None:
        """A logout page (or a refused second factor) may end the session: start another."""
        if self.relogin is not None and "_auth_user_id" not in self.client.session:
            self.relogin()


def cause(exc_info) -> str:
    """The exception and where it was raised (its last frames), for the failure's line."""
    if not exc_info:
        return ""
    kind, exc, tb = exc_info
    frames = [
        f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno}" for frame in traceback.extract_tb(tb)[-3:]
    ]
    return f"{kind.__name__}: {str(exc)[:200]} at {' < '.join(reversed(frames))}"


def methods_of(pattern: Pattern) -> list[str]:
    view_class = getattr(pattern.callback, "cls", None) or getattr(pattern.callback, "view_class", None)
    if view_class is None:
        return ["get", "post"]
    return [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)]


def probe_path(probe: Probe, pattern: Pattern, real: dict, start: int, samples: int) -> None:
    """Hostile path values, one parameter at a time, the others real."""
    for n in range(samples if pattern.params else 0):
        param = pattern.params[n % len(pattern.params)]
        fitting = [v for v in PATH_VALUES if fits(pattern.regexes.get(param), v)] or PATH_VALUES
        [value] = rotation(fitting, start + n)
        probe.send("get", pattern.url({**real, param: value}))


def probe_pattern(probe: Probe, pattern: Pattern, start: int, names: SimpleNamespace, live: dict) -> None:
    real = live_values(pattern, live)
    address = pattern.url(real)
    texts = [t for t in FORM_TEXT if t]
    if pattern.is_admin:
        fields = admin_keys(pattern) + ADMIN_ACTION_KEYS
        if not probe.admin_site:  # the site sends this actor to its login, whatever the request
            probe_path(probe, pattern, real, start, 1)
            probe.send("get", f"{address}?{query(COMMON_QUERY_KEYS, start)}")
            probe.send("post", address, data=dict(pairs(fields, texts, start)))
            return
        probe_path(probe, pattern, real, start, ADMIN_PATH_SAMPLES)
        probe.send("get", f"{address}?{query(COMMON_QUERY_KEYS + admin_keys(pattern), start)}")
        probe.send("get", f"{address}?q={rotation(SCREENED_QUERY_VALUES, start)[0]}")
        probe.send("get", f"{address}?{query(ADMIN_GUARDED_KEYS, start + 1)}")
        probe.send("post", address, data=dict(pairs(fields, texts, start)))
        if pattern.model_admin is not None:  # one of its actions, on a real object
            actions = [a if isinstance(a, str) else a.__name__ for a in pattern.model_admin.actions or ()]
            [action] = rotation([*actions, "delete_selected"], start)
            [selected] = live_values(replace(pattern, params=("pk",)), live).values()
            data = {"action": action, "_selected_action": unquote(selected), "index": "0"}
            probe.send("post", address, data=data)
        return
    probe_path(probe, pattern, real, start, PATH_SAMPLES)
    # The real address with a hostile query string, and with one the edge refuses.
    probe.send("get", f"{address}?{query(names.query_keys, start)}")
    probe.send("get", f"{address}?q={rotation(SCREENED_QUERY_VALUES, start)[0]}")
    # Hostile bodies: form fields, the same with files, JSON documents with every other method.
    probe.send("post", address, data=dict(pairs(names.form_keys, texts, start)))
    [(name, content)] = rotation(HOSTILE_FILES, start)
    files = {key: SimpleUploadedFile(name, content) for key in names.file_keys}
    probe.send("post", address, data={**dict(pairs(names.form_keys, texts, start + 1)), **files})
    if pattern.is_api:
        for n, method in enumerate(m for m in methods_of(pattern) if m != "get"):
            [document] = rotation(names.documents, start + n)
            probe.send(method, address, data=document, content_type="application/json")


@pytest.fixture
def quiet_request_log():
    """4xx answers are the point here: log only what fails (5xx), not thousands of warnings."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "axes")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture
def unlimited(settings):
    """No rate limit of the portal or the API hides an answer behind a 429."""
    settings.PUBLIC_RATE_LIMIT = "1000000/minute"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"institution": "1000000/minute"},
    }


ACTORS = ("anonymous", "regulator", "administrator", "institution", "department")


def probes_of(actor: str, world, request) -> tuple[Probe, Probe]:
    """(the probe of the site, the probe of the admin site): the administrator is the `admin_client`
    fixture on the admin site and the workspace's administrator (TOTP passed) elsewhere."""
    client = Client(raise_request_exception=False)
    if actor in ("regulator", "administrator"):
        staff = world.users["leader" if actor == "regulator" else "admin", OWN]
        probe = Probe(client, actor, relogin=lambda: log_in(client, staff))
        probe.relogin()
    elif actor == "institution":
        probe = Probe(client, actor, headers={"HTTP_AUTHORIZATION": f"Bearer {world.api_key}"})
    elif actor == "department":
        probe = Probe(client, actor, headers={"HTTP_AUTHORIZATION": f"Bearer {world.department_token}"})
    else:
        probe = Probe(client, actor)
    if actor != "administrator":
        return probe, probe
    admin_client, admin_user = request.getfixturevalue("admin_client"), request.getfixturevalue("admin_user")
    admin_client.raise_request_exception = False

    def admin_relogin():
        admin_client.force_login(admin_user)
        otp_verify(admin_client, admin_user)

    return probe, Probe(admin_client, actor, relogin=admin_relogin, admin_site=True)


def patterns_of(actor: str) -> list[tuple[int, Pattern]]:
    """(where the pattern starts its rotation, pattern): keys and tokens open only the APIs, and each
    actor starts elsewhere, so that together they send other samples."""
    patterns = [p for p in PATTERNS if p.is_api] if actor in ("institution", "department") else PATTERNS
    offset = ACTORS.index(actor) * 3
    return [(index * 7 + offset, pattern) for index, pattern in enumerate(patterns)]


# --------------------------------------------------------------------------- tests


def test_the_walk_finds_every_part_of_the_site():
    assert len(PATTERNS) >= MIN_PATTERNS, f"only {len(PATTERNS)} URL patterns walked"
    for part in ("admin/", "i18n/", "supervision/dual/", "subjects/", "api/v1/", "api/v1/feeds/"):
        assert any(p.template.startswith(part) for p in PATTERNS), part


def test_the_real_addresses_reach_their_patterns(world, db):
    """The hostile query strings and bodies go to the pattern meant, not to a neighbour or a 404."""
    assert [p.route for p in PATTERNS if not reaches(p, p.url(live_values(p, world.live)))] == []


def test_every_hostile_value_is_sent():
    """The rotations, pattern after pattern and actor after actor, come round to every value of the lists."""
    starts = [start for actor in ACTORS for start, _ in patterns_of(actor)]
    for values in (PATH_VALUES, QUERY_VALUES, SCREENED_QUERY_VALUES, HOSTILE_FILES):
        assert {v for start in starts for v in rotation(values, start)} == set(values)


@pytest.mark.parametrize("actor", ACTORS)
def test_no_hostile_request_makes_the_server_fail(
    actor, world, db, names, request, quiet_request_log, unlimited
):
    probe, admin_probe = probes_of(actor, world, request)
    for start, pattern in patterns_of(actor):
        current = admin_probe if pattern.is_admin else probe
        probe_pattern(current, pattern, start, names, world.live)
        current.keep_logged_in()
    failures = probe.failures + (admin_probe.failures if admin_probe is not probe else [])
    assert failures == [], f"{len(failures)} requests failed:\n" + "\n".join(failures)
    # Logged in all along: the views answered, not only the login page.
    if actor in ("regulator", "administrator"):
        assert probe.statuses[200] >= 100, probe.statuses
    if admin_probe.admin_site:
        assert admin_probe.statuses[200] >= 300, admin_probe.statuses
