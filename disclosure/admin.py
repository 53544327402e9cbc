"""Admin of the portal's own data: institutions and their keys, watchlists, events and webhook
deliveries. Keys are issued with `manage.py issue_api_key` (their digest is never shown); events
and deliveries are the system's record, read-only here except for sending a delivery again."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import (
    ApiKey,
    DeliveryAttempt,
    Institution,
    MonitorEvent,
    WatchedSubject,
    Watchlist,
    WebhookDelivery,
)
from .services.monitoring import deliveries_retry


class ApiKeyInline(admin.TabularInline):
    model = ApiKey
    extra = 0
    can_delete = False
    fields = ("prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "webhook_url", "created_at")
    list_filter = ("kind",)
    search_fields = ("name",)
    inlines = [ApiKeyInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class WatchedSubjectInline(admin.TabularInline):
    model = WatchedSubject
    extra = 0
    fields = ("uscc", "added_at")
    readonly_fields = ("added_at",)


@admin.register(Watchlist)
class WatchlistAdmin(admin.ModelAdmin):
    list_display = ("name", "institution", "entry_count", "created_at")
    list_filter = ("institution",)
    search_fields = ("name", "institution__name", "entries__uscc")
    list_select_related = ("institution",)
    inlines = [WatchedSubjectInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_count=Count("entries"))

    @admin.display(description=_("主体数"), ordering="entry_count")
    def entry_count(self, obj):
        return obj.entry_count


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonitorEvent)
class MonitorEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "institution", "uscc", "kind", "source", "occurred_at", "created_at")
    list_filter = ("kind", "institution")
    search_fields = ("uscc", "source")
    list_select_related = ("institution",)
    date_hierarchy = "occurred_at"


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ("attempted_at", "status_code", "error", "duration_ms")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "event", "url", "status", "attempts", "next_attempt_at", "delivered_at")
    list_filter = ("status",)
    search_fields = ("url", "event__uscc")
    list_select_related = ("event",)
    inlines = [DeliveryAttemptInline]
    actions = ["send_again"]

    @admin.action(description=_("重新投递所选回调"))
    def send_again(self, request, queryset):
        count = deliveries_retry(queryset.values_list("pk", flat=True))
        self.message_user(
            request, _("已重新排队 %(count)d 条投递，将在一分钟内发送。") % {"count": count}, messages.SUCCESS
        )
