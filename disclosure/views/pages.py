"""The public pages: home, search and the subject page (thin: reads come from selectors.public)."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from warning_system.objections.selectors import disputed_records
from warning_system.registry.codes import compact_code

from .. import page_cache
from ..filters import SubjectFilter
from ..selectors import colours as colours_selectors
from ..selectors import public
from ..selectors import search as subject_search


def home(request):
    return render(
        request,
        "disclosure/home.html",
        {"overview": public.city_overview(), "recent": public.recent_listings()},
    )


def _filter_params(query) -> str:
    """The chosen filters, canonical: what the rendered filter fields depend on (besides the language)."""
    return urlencode(sorted((k, v) for k, values in query.lists() if k != "q" for v in values))


def search(request):
    """Filters narrow the candidates before ranking; an invalid filter is shown and ignored."""
    query = request.GET.get("q", "").strip()
    filter_params = _filter_params(request.GET)
    # The filter set (its fields carry hundreds of choices) is needed only to apply chosen filters,
    # or to render the fields when their cached rendering is missing: built on first use.
    filterset = SimpleLazyObject(lambda: SubjectFilter(request.GET, queryset=public.public_subjects()))
    base = filterset.qs if filter_params and filterset.is_valid() else None
    results = subject_search.search_subjects(query, base=base)
    return render(
        request,
        "disclosure/search.html",
        {"query": query, "results": results, "limit": subject_search.SEARCH_LIMIT, "too_short": 0 < len(query) < 2,
         "filterset": filterset, "filter_params": filter_params},
    )  # fmt: skip


def subject(request, uscc: str):
    """The whole page is rendered once per subject, language and day and then served from the
    cache; only the visitor's CSRF token is written into it per request."""
    uscc = compact_code(uscc)
    if len(uscc) != 18:  # no cache key is made of what cannot be a code
        raise Http404
    language = get_language()
    stamp, html = page_cache.lookup(uscc, language)
    if html is None:
        page = public.subject_page(uscc)
        if page is None:
            raise Http404
        body = render_to_string(
            "disclosure/_subject_body.html",
            {"page": page, "subject": page.subject, "disputed": disputed_records(page.subject.uscc)},
        )
        context = {
            "uscc": page.subject.uscc,
            "name": page.subject.name,
            # Rendered by our own template with autoescaping: safe to embed as is.
            "body": mark_safe(body),
            "csrf_token": page_cache.CSRF_SLOT,
            "language_next": reverse("disclosure:subject", args=[page.subject.uscc]),
        }
        html = render_to_string("disclosure/subject.html", context, request)
        page_cache.store(uscc, language, stamp, html)
    return HttpResponse(page_cache.with_csrf_token(html, request))


def colours(request):
    """What each colour means, from the ruleset and measures catalogue in force today."""
    return render(request, "disclosure/colours.html", {"guide": colours_selectors.colours_guide()})
