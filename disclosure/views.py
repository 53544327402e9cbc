from django.http import Http404
from django.shortcuts import render

from . import selectors


def home(request):
    return render(request, "disclosure/home.html", {"overview": selectors.city_overview()})


def search(request):
    query = request.GET.get("q", "").strip()
    results = list(selectors.search_subjects(query))
    return render(
        request,
        "disclosure/search.html",
        {
            "query": query,
            "results": results,
            "limit": selectors.SEARCH_LIMIT,
            "too_short": 0 < len(query) < 2,
        },
    )


def subject(request, uscc: str):
    found = selectors.subject_detail(uscc)
    if found is None:
        raise Http404
    return render(
        request, "disclosure/subject.html", {"subject": found, "sections": selectors.subject_records(found)}
    )
