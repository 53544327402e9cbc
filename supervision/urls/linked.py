"""Routes of the linked area (see supervision.urls): 联动监管 and 重点监管."""

from django.urls import path

from supervision.views import linked

urlpatterns = [
    path("", linked.inbox, name="linked_inbox"),
    path("<int:pk>/", linked.inbox_item, name="linked_item"),
    path("<int:pk>/acknowledge/", linked.inbox_acknowledge, name="linked_acknowledge"),
    path("subscriptions/", linked.subscriptions, name="linked_subscriptions"),
    path("subscriptions/new/", linked.subscription_create, name="linked_subscription_create"),
    path("subscriptions/<int:pk>/", linked.subscription_edit, name="linked_subscription_edit"),
    path("key/", linked.key_list, name="key_list"),
    path("key/new/", linked.key_create, name="key_create"),
    path("key/<int:pk>/end/", linked.key_end, name="key_end"),
    path("key/alerts/", linked.key_alerts, name="key_alerts"),
    path("key/alerts/<int:pk>/acknowledge/", linked.key_alert_acknowledge, name="key_alert_acknowledge"),
]
