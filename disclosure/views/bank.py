"""Bank and procurement batch checks (thin: parsing and matching live in selectors.batch)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import BatchCheckForm, BatchDownloadForm
from ..selectors import batch

TEMPLATE = "disclosure/batch_check.html"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WRITERS = {"csv": batch.to_csv, "xlsx": batch.to_xlsx}


def _invalid(request, form):
    """The page again with the error and everything typed (a file has to be chosen again)."""
    return render(request, TEMPLATE, {"form": form}, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
def batch_check(request):
    if request.method != "POST":
        return render(request, TEMPLATE, {"form": BatchCheckForm()})
    form = BatchCheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, form)
    result = batch.check_entries(form.cleaned_data["entries"])
    entries_text = "\n".join(result.entries)
    return render(
        request,
        TEMPLATE,
        {
            "form": BatchCheckForm(initial={"codes": entries_text}),
            "result": result,
            "entries_text": entries_text,
        },
    )


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
