from django.urls import path, re_path

from . import views

app_name = "collectors"

urlpatterns = [
    path("api/v1/feeds/<str:kind>", views.push_feed, name="push-feed"),
    re_path(r"^api/(?P<rest>.*)$", views.api_not_found, name="api-not-found"),
]
