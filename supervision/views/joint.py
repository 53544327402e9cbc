"""联合惩戒 in the workspace: check a subject for a use (one or a batch), read the printable answer,
report what the department did, the department's checks, the statistics and the measures catalogue.
Thin: each parses input, calls one service or selector, renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from supervision.access import ADMINS, workspace_view
from supervision.forms.joint import CatalogueForm, JointBatchForm, JointCheckForm, JointOutcomeForm
from supervision.selectors import joint as selectors
from supervision.services import joint as services
from warning_system.incentives import selectors as incentive_selectors
from warning_system.sanctions.selectors import find_subjects
from warning_system.sanctions.services import SanctionError


def _visible_check(request: HttpRequest, pk: int):
    check = selectors.check_of(pk)
    if check is None:
        raise Http404
    if not selectors.may_see(request.staff, check):
        raise PermissionDenied(f"joint check of department {check.department_id}")
    return check


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_view
def joint_check(request: HttpRequest) -> HttpResponse:
    """The form; a POST checks the one subject meant and shows its stored answer."""
    form = JointCheckForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        found = find_subjects(form.cleaned_data["subject"])
        if len(found) == 1:
            result = services.joint_check(staff=request.staff, uscc=found[0][0], use=form.cleaned_data["use"])
            return redirect("supervision:joint_check_detail", pk=result.check.pk)
        if found:
            form.add_error("subject", _("对应多个主体，请改用统一社会信用代码查询。"))
            context["candidates"] = found
        else:
            form.add_error("subject", _("未找到该主体：请核对统一社会信用代码或名称（名称须完全一致）。"))
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/joint/check.html", context, status=status)


@workspace_view
def joint_check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    check = _visible_check(request, pk)
    may_report = selectors.may_report(request.staff, check)
    context = {"check": check, "may_report": may_report,
               "form": JointOutcomeForm(check=check) if may_report else None,
               "incentives": incentive_selectors.incentives_for(check.subject_id, check.checked_on)}  # fmt: skip
    return render(request, "supervision/joint/detail.html", context)


@require_POST
@workspace_view
def joint_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    check = _visible_check(request, pk)
    if check.department_id != request.staff.department_id:
        raise PermissionDenied(f"reporting on a joint check of department {check.department_id}")
    form = JointOutcomeForm(request.POST, check=check)
    if form.is_valid():
        try:
            services.joint_outcome(
                staff=request.staff, check=check, action=form.cleaned_data["action"], on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
            )  # fmt: skip
        except SanctionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已记录反馈。"))
            return redirect("supervision:joint_check_detail", pk=check.pk)
    context = {"check": check, "may_report": True, "form": form}
    return render(request, "supervision/joint/detail.html", context, status=400)


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_view
def joint_batch(request: HttpRequest) -> HttpResponse:
    """Upload or paste; the checks are stored as one batch and listed."""
    form = JointBatchForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.joint_batch(staff=request.staff, pairs=form.cleaned_data["pairs"])
        except SanctionError as exc:
            form.add_error(None, exc.message)
        else:
            counts = batch.counts
            messages.success(
                request,
                _("已核查 %(n)s 条：限制 %(r)s 条，允许 %(a)s 条，未找到 %(u)s 条。")
                % {"n": len(batch.results), "r": counts["restricted"], "a": counts["allowed"],
                   "u": counts["not_found"]},
            )  # fmt: skip
            if counts["not_found"]:
                missing = _("、").join(r.uscc for r in batch.results if not r.found)
                messages.warning(request, _("以下代码未在主体库中找到：%(codes)s") % {"codes": missing})
            return redirect(reverse("supervision:joint_checks") + f"?batch={batch.batch}")
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/joint/batch.html", {"form": form}, status=status)


@workspace_view
def joint_checks(request: HttpRequest) -> HttpResponse:
    filterset, found = selectors.visible_checks(request.staff, request.GET)
    page = selectors.checks_page(found, request.GET.get("page"))
    context = {"form": filterset.form, "page": page, "city": selectors.sees_all_checks(request.staff)}
    return render(request, "supervision/joint/list.html", context)


@workspace_view
def joint_statistics(request: HttpRequest) -> HttpResponse:
    return render(
        request, "supervision/joint/statistics.html", {"stats": selectors.statistics(request.staff)}
    )


@workspace_view
def joint_catalogue(request: HttpRequest, version: int | None = None) -> HttpResponse:
    view = selectors.catalogue_view(version)
    if view is None:
        raise Http404
    context = {"view": view, "may_edit": request.staff.role in ADMINS}
    return render(request, "supervision/joint/catalogue.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_view(roles=ADMINS)
def joint_catalogue_edit(request: HttpRequest) -> HttpResponse:
    """Saving publishes a new version: the current one stays as it was, for the checks made with it."""
    view = selectors.catalogue_view()
    if view is None:
        raise Http404
    current = view.in_effect
    form = CatalogueForm(request.POST or None, current=current.measures)
    if request.method == "POST" and form.is_valid():
        try:
            catalogue = services.joint_catalogue_publish(
                staff=request.staff, measures_data=form.measures_data(),
                effective_from=form.cleaned_data["effective_from"], note=form.cleaned_data["note"],
            )  # fmt: skip
        except SanctionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已发布措施清单 v%(v)s，自 %(day)s 起生效。")
                % {"v": catalogue.version, "day": catalogue.effective_from.isoformat()},
            )
            return redirect("supervision:joint_catalogue_version", version=catalogue.version)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "supervision/joint/catalogue_form.html", {"form": form, "current": current}, status=status
    )
