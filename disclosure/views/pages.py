"""The public pages: home, search and the subject page (thin: reads come from selectors.public)."""

from django.http import Http404
from django.shortcuts import render

from ..selectors import public


def home(request):
    return render(
        request,
        "disclosure/home.html",
        {"overview": public.city_overview(), "recent": public.recent_listings()},
    )


def search(request):
    query = request.GET.get("q", "").strip()
    results = list(public.search_subjects(query))
    return render(
        request,
        "disclosure/search.html",
        {"query": query, "results": results, "limit": public.SEARCH_LIMIT, "too_short": 0 < len(query) < 2},
    )


def subject(request, uscc: str):
    page = public.subject_page(uscc)
    if page is None:
        raise Http404
    return render(request, "disclosure/subject.html", {"page": page, "subject": page.subject})
