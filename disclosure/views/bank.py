"""Bank and procurement batch checks (thin: parsing and matching live in selectors.batch, the kept
result and its pages in services.batch_results and selectors.batch_pages)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forms import BatchCheckForm, BatchDownloadForm, BatchResultForm
from ..selectors import batch, batch_pages
from ..services.batch_results import batch_result_store

TEMPLATE = "disclosure/batch_check.html"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WRITERS = {"csv": batch.to_csv, "xlsx": batch.to_xlsx}


def _invalid(request, form):
    """The page again with the error and everything typed (a file has to be chosen again)."""
    return render(request, TEMPLATE, {"form": form}, status=400)


def _result_context(view: batch_pages.ResultPage) -> dict:
    entries_text = "\n".join(view.result.entries)
    return {
        "form": BatchCheckForm(initial={"codes": entries_text}),
        "result": view.result,
        "view": view,
        "entries_text": entries_text,
    }


@require_http_methods(["GET", "HEAD", "POST"])
def batch_check(request):
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": BatchCheckForm()})
    form = BatchCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, form)
    result = batch.check_entries(form.cleaned_data["entries"])
    token = batch_result_store(result=result)
    return render(request, TEMPLATE, _result_context(batch_pages.result_page(token, result)))


@require_GET
def batch_result(request, token: str):
    """A page of a kept result, filtered: no query, the same result on every page."""
    result = batch_pages.kept_result(token)
    if result is None:
        return render(request, TEMPLATE, {"form": BatchCheckForm(), "expired": True}, status=404)
    filters = BatchResultForm(request.GET)
    if not filters.is_valid():
        context = _result_context(batch_pages.result_page(token, result))
        return render(request, TEMPLATE, {**context, "filter_errors": filters.errors}, status=400)
    view = batch_pages.result_page(
        token, result, filters.cleaned_data["show"], filters.cleaned_data["page"] or 1
    )
    return render(request, TEMPLATE, _result_context(view))


@require_POST
def batch_download(request):
    form = BatchDownloadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, form)
    result = batch.check_entries(form.cleaned_data["entries"])
    extension = form.cleaned_data["format"]
    response = HttpResponse(WRITERS[extension](result), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=batch.download_name(result, extension)
    )
    return response
