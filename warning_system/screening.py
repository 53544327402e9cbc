"""Control characters and broken UTF-8 stop at the edge, with a 400 that says what was wrong.

Why here and not in each view: PostgreSQL cannot store or even compare a text holding NUL, so a NUL
that reaches any query (a search, a lookup by code, a filter) raised deep in the database driver and
answered 500; other control characters have no business in a code, a name or a search either. Every
view taking text would need the same guard, and a new one would be forgotten, so one middleware near
the top of MIDDLEWARE screens what a client sends before any app sees it:

- the path and the query string (decoded keys and values): no C0 control character at all, nor DEL,
  and every percent-escape must decode as UTF-8 (Django would otherwise keep `%ff` as text or turn
  it into U+FFFD, and the request would go on with a value nobody typed);
- form fields of POST bodies (urlencoded, and the text fields of multipart, not the files) and
  every string of a JSON body, keys included: no C0 control character but tab, CR and LF, nor DEL.

A view that screens its body itself is marked with `screens_its_own_body`: the departments' push
channel quarantines a record holding a NUL (reason `control_character`) and stores the others, so
one bad record must not cost a department its whole batch; its path and query are still screened.

The answer is JSON in the API's error shape under /api/, the 400 page elsewhere. The middleware sits
before WhiteNoise (a static-file lookup would meet the NUL too) and after the request context (a
refusal still carries its X-Request-ID).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# Paths and query strings: any C0 control character, and DEL.
IN_ADDRESS = re.compile(r"[\x00-\x1f\x7f]")
# Text a person may type in a form or a program may send in JSON: tab, CR and LF are allowed.
IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"

# Where the fault is, as the 400 says it.
PATH = gettext_lazy("请求地址")
QUERY = gettext_lazy("查询参数")
FORM_FIELDS = gettext_lazy("提交的表单")
JSON_BODY = gettext_lazy("请求体")


class Refused(Exception):
    """What is wrong (`code`, as the API names it) and where (a part of the request, lazily translated)."""

    def __init__(self, code: str, where):
        super().__init__(code)
        self.code = code
        self.where = where

    @property
    def message(self) -> str:
        """The sentence, in the language active when it is read."""
        if self.code == "invalid_encoding":
            return _("%(where)s含有无效的 UTF-8 编码（如 %%ff）。") % {"where": self.where}
        return _("%(where)s含有控制字符（如 NUL）。") % {"where": self.where}


def screens_its_own_body(view: Callable) -> Callable:
    """Mark a view whose body reaches it unscreened: it deals with control characters itself."""
    view.screens_its_own_body = True
    return view


def _utf8(raw: bytes, where) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused("invalid_encoding", where) from None


def _wsgi_bytes(value: str) -> bytes:
    """WSGI hands the raw bytes of the path and the query string over as ISO-8859-1 text."""
    try:
        return value.encode("iso-8859-1")
    except UnicodeEncodeError:  # a server that decoded them already
        return value.encode("utf-8")


def _query_fields(raw: bytes, where) -> list[str]:
    """The decoded keys and values of a query string or urlencoded body (split as Django splits it)."""
    return [
        _utf8(unquote_to_bytes(part.replace(b"+", b" ")), where)
        for field in raw.split(b"&")
        for part in field.split(b"=", 1)
    ]


def _json_strings(document) -> Iterator[str]:
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _check(texts: Iterable[str], pattern: re.Pattern, where) -> None:
    for text in texts:
        if pattern.search(text):
            raise Refused("control_character", where)


def _form_fields(request: HttpRequest) -> Iterator[str]:
    for key in request.POST:
        yield key
        yield from request.POST.getlist(key)


def _is_utf8(encoding: str | None) -> bool:
    return (encoding or "utf-8").lower().replace("_", "-") in ("utf-8", "utf8")


def screen_address(request: HttpRequest) -> None:
    # Django has decoded the path already, and put bytes that were not UTF-8 back as `%FF` text: what
    # still unquotes to something other than UTF-8 was a broken escape (or a literal `%FF`, sent as
    # `%25FF`, which no address of ours holds).
    _check([request.path_info], IN_ADDRESS, PATH)
    _utf8(unquote_to_bytes(request.path_info), PATH)
    query = _wsgi_bytes(request.META.get("QUERY_STRING", ""))
    _check(_query_fields(query, QUERY), IN_ADDRESS, QUERY)


def screen_body(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    if content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except (ValueError, RecursionError):
            return  # not JSON (or nested too deep to read): the view says so in its own words
        _check(_json_strings(document), IN_TEXT, JSON_BODY)
    elif request.method == "POST" and content_type in (FORM, MULTIPART):
        if content_type == FORM and _is_utf8(request.encoding):
            # Django would decode a broken escape as U+FFFD: refuse it, as in the query string.
            _query_fields(request.body, FORM_FIELDS)
        _check(_form_fields(request), IN_TEXT, FORM_FIELDS)


def refusal(request: HttpRequest, refused: Refused) -> HttpResponse:
    if request.path_info.startswith("/api/"):
        with translation.override(settings.LANGUAGE_CODE):  # the API's messages are Chinese
            message = refused.message
        return JsonResponse(
            {"error": {"code": refused.code, "message": message}},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    # Before LocaleMiddleware: answer in the language the reader asked for all the same.
    with translation.override(translation.get_language_from_request(request)):
        return render(request, "400.html", {"reason": refused.message, "language_next": "/"}, status=400)


class ControlCharacterMiddleware:
    """The path and query before anything else runs; the body once the view is known (process_view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            screen_address(request)
        except Refused as refused:
            return refusal(request, refused)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        if getattr(view_func, "screens_its_own_body", False):
            return None
        try:
            screen_body(request)
        except Refused as refused:
            return refusal(request, refused)
        return None
