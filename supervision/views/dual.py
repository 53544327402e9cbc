"""双告知 pages: the queues, one notification with its timeline and actions, the printable 告知书
and 书面通告, the dashboard and the catalogue editor. Thin: each parses input, calls one selector or
service and renders; permissions are checked on the server by the selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from supervision.access import ADMINS, workspace_view
from supervision.filters.dual import DualNotificationFilter
from supervision.forms.dual import (
    CatalogueDeleteForm,
    CatalogueEntryForm,
    CloseForm,
    FeedbackForm,
    ReturnForm,
)
from supervision.models import DualNotification
from supervision.selectors import dual as selectors
from supervision.services import dual as services

# The action forms share the detail page and two of them have a "note": each gets ids of its own,
# so a label (a click on it, a screen reader) leads to its own field, not the first "id_note".
RETURN_IDS, FEEDBACK_IDS, CLOSE_IDS = "return_%s", "feedback_%s", "close_%s"


# --------------------------------------------------------------------------- lists


@require_GET
@workspace_view
def dual_queue(request: HttpRequest, queue: str) -> HttpResponse:
    queryset = selectors.queue_notifications(request.staff, queue)
    filterset = DualNotificationFilter(request.GET, queryset=queryset)
    page = selectors.list_page(filterset.qs, request.GET.get("page"))
    return render(
        request,
        "supervision/dual/queue.html",
        dict(
            queue=selectors.QUEUES[queue],
            queues=selectors.QUEUES.values(),
            form=filterset.form,
            page=page,
        ),
    )


# --------------------------------------------------------------------------- one notification


def _detail(request: HttpRequest, pk: int, *, status: int = 200, personal: dict | None = None, **forms):
    notification = selectors.notification_for(request.staff, pk)
    actions = selectors.allowed_actions(request.staff, notification)
    context = dict(
        n=notification,
        actions=actions,
        timeline=selectors.timeline(notification),
        personal=personal,
        return_form=forms.get("return_form") or ReturnForm(auto_id=RETURN_IDS),
        feedback_form=forms.get("feedback_form")
        or FeedbackForm(
            initial={"choice": "licensed"} if notification.licence_record_id else None, auto_id=FEEDBACK_IDS
        ),
        close_form=forms.get("close_form") or CloseForm(auto_id=CLOSE_IDS),
    )
    return render(request, "supervision/dual/detail.html", context, status=status)


@require_GET
@workspace_view
def dual_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _act(request: HttpRequest, pk: int, step, success: str, **kwargs) -> HttpResponse:
    """Run one step's service; a refused transition is a message on the detail page."""
    try:
        step(notification_id=pk, staff=request.staff, **kwargs)
    except DualNotification.DoesNotExist as missing:
        raise Http404 from missing
    except services.DualActionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("supervision:dual_detail", pk=pk)


@require_POST
@workspace_view
def dual_claim(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.dual_notification_claim, _("已认领。"))


@require_POST
@workspace_view
def dual_return(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReturnForm(request.POST, auto_id=RETURN_IDS)
    if not form.is_valid():
        return _detail(request, pk, status=400, return_form=form)
    return _act(request, pk, services.dual_notification_return, _("已退回，事项转入共享池。"),
                reason=form.cleaned_data["reason"])  # fmt: skip


@require_POST
@workspace_view
def dual_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    form = FeedbackForm(request.POST, auto_id=FEEDBACK_IDS)
    if not form.is_valid():
        return _detail(request, pk, status=400, feedback_form=form)
    return _act(request, pk, services.dual_notification_feedback, _("反馈已提交，待部门负责人办结。"),
                choice=form.cleaned_data["choice"], note=form.cleaned_data["note"])  # fmt: skip


@require_POST
@workspace_view
def dual_close(request: HttpRequest, pk: int) -> HttpResponse:
    form = CloseForm(request.POST, auto_id=CLOSE_IDS)
    if not form.is_valid():
        return _detail(request, pk, status=400, close_form=form)
    return _act(request, pk, services.dual_notification_close, _("已办结。"), note=form.cleaned_data["note"])


@require_POST
@workspace_view
def dual_personal(request: HttpRequest, pk: int) -> HttpResponse:
    """The contact details, shown on the detail page only, after a deliberate click (audited)."""
    try:
        personal = services.dual_personal_view(notification_id=pk, staff=request.staff)
    except DualNotification.DoesNotExist as missing:
        raise Http404 from missing
    return _detail(request, pk, personal=personal)


# --------------------------------------------------------------------------- printable documents


@require_GET
@workspace_view
def dual_notice(request: HttpRequest, uscc: str) -> HttpResponse:
    """告知书: the licences the subject needs, from whom, on what legal basis."""
    subject, notifications = selectors.subject_notifications(request.staff, uscc)
    return render(
        request,
        "supervision/dual/notice.html",
        dict(
            subject=subject, notifications=notifications,
            may_issue_code=request.staff.department_id == subject.registered_by_id,
        ),
    )  # fmt: skip


@require_GET
@workspace_view
def dual_written_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """书面通告 to the approving department of an overdue notification."""
    notification = selectors.notification_for(request.staff, pk)
    if not notification.notice_number:
        raise Http404
    return render(request, "supervision/dual/written_notice.html", dict(n=notification))


# --------------------------------------------------------------------------- dashboard


@require_GET
@workspace_view
def dual_dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(request.staff, request.GET.get("department") or None)
    departments = selectors.dashboard_departments() if request.staff.is_admin else []
    return render(
        request,
        "supervision/dual/dashboard.html",
        dict(board=board, departments=departments),
    )


# --------------------------------------------------------------------------- catalogue (administrators)


@require_GET
@workspace_view(roles=ADMINS)
def dual_catalogue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "supervision/dual/catalogue.html",
        dict(entries=selectors.catalogue_entries(), revisions=selectors.catalogue_revisions()),
    )


@workspace_view(roles=ADMINS)
def dual_catalogue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    entry = selectors.catalogue_entry(pk) if pk is not None else None
    initial = (
        {"licence": entry.licence, "department": entry.department_id,
         "scope_keywords": "；".join(entry.scope_keywords), "legal_basis": entry.legal_basis}
        if entry else None
    )  # fmt: skip
    form = CatalogueEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revision = services.catalogue_entry_save(
                entry_id=pk,
                licence=data["licence"],
                department_id=data["department"].code,
                scope_keywords=data["scope_keywords"],
                legal_basis=data["legal_basis"],
                author=request.user,
                note=data["note"],
            )
        except services.DualActionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("目录已保存为第 %(version)s 版。") % {"version": revision.version})
            return redirect("supervision:dual_catalogue")
    return render(
        request,
        "supervision/dual/catalogue_form.html",
        dict(form=form, entry=entry, delete_form=CatalogueDeleteForm()),
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@workspace_view(roles=ADMINS)
def dual_catalogue_delete(request: HttpRequest, pk: int) -> HttpResponse:
    selectors.catalogue_entry(pk)
    form = CatalogueDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写删除说明。"))
        return redirect("supervision:dual_catalogue_edit", pk=pk)
    revision = services.catalogue_entry_delete(
        entry_id=pk, author=request.user, note=form.cleaned_data["note"]
    )
    messages.success(request, _("已删除，目录为第 %(version)s 版。") % {"version": revision.version})
    return redirect("supervision:dual_catalogue")


@require_GET
@workspace_view(roles=ADMINS)
def dual_catalogue_revision(request: HttpRequest, version: int) -> HttpResponse:
    revision = selectors.catalogue_revision(version)
    return render(request, "supervision/dual/catalogue_revision.html", dict(revision=revision))
