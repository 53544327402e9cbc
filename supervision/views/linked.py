"""联动监管 (inbox, subscriptions) and 重点监管 (list, start, end, alerts): thin views.

Staff read and handle their department's inbox and alerts; department leaders edit the rules and
start or end key supervision. Every change is a POST to one service, which writes its audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from supervision.access import LEADERS, require_department, require_own_department, workspace_view
from supervision.forms.linked import KeyEndForm, KeySupervisionForm, NoteForm, SubscriptionForm
from supervision.models import KeySupervision, KeySupervisionAlert, Subscription
from supervision.selectors import linked as selectors
from supervision.services import linked as services


def _form_errors(request: HttpRequest, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --------------------------------------------------------------------------- inbox


@workspace_view
def inbox(request: HttpRequest) -> HttpResponse:
    filterset, items = selectors.inbox(request.staff, request.GET)
    page = selectors.records_page(items, request.GET.get("page"))
    return render(request, "supervision/linked/inbox.html", {"form": filterset.form, "page": page})


@workspace_view
def inbox_item(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.inbox_items(), pk=pk)
    require_department(request.staff, item.department_id)
    if item.department_id == request.staff.department_id:
        # Opening an item reads it for its department; an administrator looking in does not.
        services.inbox_item_mark_read(item=item, user=request.user)
    record = selectors.record_of(item.kind, item.record_pk)
    context = {
        "item": item,
        "record": record,
        "facts": selectors.record_facts(record) if record else [],
        "kind_label": selectors.kind_label(item.kind),
        "form": NoteForm(),
    }
    return render(request, "supervision/linked/item.html", context)


@require_POST
@workspace_view
def inbox_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(selectors.inbox_items(), pk=pk)
    require_own_department(request.staff, item.department_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:linked_item", pk=item.pk)
    try:
        services.inbox_item_acknowledge(item=item, user=request.user, note=form.cleaned_data["note"])
    except services.LinkedError as exc:
        messages.error(request, str(exc))
        return redirect("supervision:linked_item", pk=item.pk)
    messages.success(request, _("已确认处理。"))
    return redirect("supervision:linked_inbox")


# --------------------------------------------------------------------------- subscriptions


@workspace_view
def subscriptions(request: HttpRequest) -> HttpResponse:
    rules = selectors.subscription_rows(request.staff.department_id)
    can_edit = request.staff.role in LEADERS
    return render(request, "supervision/linked/subscriptions.html", {"rules": rules, "can_edit": can_edit})


def _subscription_form(request: HttpRequest, form: SubscriptionForm, subscription: Subscription | None):
    return render(
        request, "supervision/linked/subscription_form.html", {"form": form, "subscription": subscription}
    )


@workspace_view(roles=LEADERS)
def subscription_create(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_create(
                department_id=request.staff.department_id, user=request.user, data=form.cleaned_data
            )
        except services.LinkedError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("订阅规则已保存。"))
            return redirect("supervision:linked_subscriptions")
    return _subscription_form(request, form, None)


@workspace_view(roles=LEADERS)
def subscription_edit(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=pk)
    require_department(request.staff, subscription.department_id)
    if request.method == "POST":
        require_own_department(request.staff, subscription.department_id)
    form = SubscriptionForm(request.POST or None, initial=SubscriptionForm.initial_for(subscription))
    if request.method == "POST" and form.is_valid():
        try:
            services.subscription_update(subscription=subscription, user=request.user, data=form.cleaned_data)
        except services.LinkedError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("订阅规则已保存。"))
            return redirect("supervision:linked_subscriptions")
    return _subscription_form(request, form, subscription)


# --------------------------------------------------------------------------- key supervision


@workspace_view
def key_list(request: HttpRequest) -> HttpResponse:
    filterset, keys = selectors.key_supervisions(request.staff, request.GET)
    context = {
        "form": filterset.form,
        "page": selectors.page_of(keys, request.GET.get("page")),
        "can_edit": request.staff.role in LEADERS,
        "end_form": KeyEndForm(),
    }
    return render(request, "supervision/linked/key_list.html", context)


@workspace_view(roles=LEADERS)
def key_create(request: HttpRequest) -> HttpResponse:
    form = KeySupervisionForm(request.POST or None, initial={"uscc": request.GET.get("uscc", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.key_supervision_start(
                department_id=request.staff.department_id, subject_uscc=data["uscc"], reason=data["reason"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], user=request.user,
            )  # fmt: skip
        except services.KeySupervisionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已列入重点监管。"))
            return redirect("supervision:key_list")
    return render(request, "supervision/linked/key_form.html", {"form": form})


@require_POST
@workspace_view(roles=LEADERS)
def key_end(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(KeySupervision, pk=pk)
    require_own_department(request.staff, key.department_id)
    form = KeyEndForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:key_list")
    try:
        services.key_supervision_end(key=key, user=request.user, reason=form.cleaned_data["reason"])
    except services.KeySupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已解除重点监管。"))
    return redirect("supervision:key_list")


@workspace_view
def key_alerts(request: HttpRequest) -> HttpResponse:
    filterset, alerts = selectors.key_alerts(request.staff, request.GET)
    page = selectors.records_page(alerts, request.GET.get("page"))
    return render(request, "supervision/linked/key_alerts.html", {"form": filterset.form, "page": page})


@require_POST
@workspace_view
def key_alert_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    alert = get_object_or_404(KeySupervisionAlert.objects.select_related("key_supervision"), pk=pk)
    require_own_department(request.staff, alert.key_supervision.department_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("supervision:key_alerts")
    try:
        services.key_alert_acknowledge(alert=alert, user=request.user, note=form.cleaned_data["note"])
    except services.KeySupervisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("提醒已处理。"))
    return redirect("supervision:key_alerts")
