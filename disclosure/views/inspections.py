"""双随机、一公开: the public task pages, their files and the verifier (thin: reads come from
selectors.inspections)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..selectors import inspections as selectors

CONTENT_TYPES = {".csv": "text/csv; charset=utf-8", ".json": "application/json; charset=utf-8"}


def _download(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _task(number: str):
    task = selectors.task(number)
    if task is None:
        raise Http404
    return task


def task_list(request: HttpRequest) -> HttpResponse:
    return render(request, "disclosure/inspections/list.html", {"tasks": selectors.published_tasks()})


def task_page(request: HttpRequest, number: str) -> HttpResponse:
    task = _task(number)
    page, picks = selectors.picks(task, request.GET.get("page"))
    context = {
        "task": task,
        "departments": selectors.department_names(task),
        "files": selectors.publishable_files(task),
        "page": page,
        "picks": picks,
        "seed_sources": selectors.seed_sources(task),
        "frozen": selectors.frozen_hashes(task),
        "words": selectors.parameters_in_words(task),
    }
    return render(request, "disclosure/inspections/task.html", context)


def task_file(request: HttpRequest, number: str, name: str) -> HttpResponse:
    data = selectors.file_content(_task(number), name)
    if data is None:
        raise Http404
    suffix = name[name.rfind(".") :]
    return _download(data, name, CONTENT_TYPES.get(suffix, "application/octet-stream"))


def task_zip(request: HttpRequest, number: str) -> HttpResponse:
    task = _task(number)
    data = selectors.files_zip(task)
    if data is None:
        raise Http404
    return _download(data, f"{task.number}.zip", "application/zip")


def verifier(request: HttpRequest) -> HttpResponse:
    return _download(selectors.verifier_source(), "verify_draw.py", "text/x-python; charset=utf-8")
