from django.urls import path

from . import views

app_name = "collectors"

urlpatterns = [
    path("api/v1/feeds/<str:kind>", views.push_feed, name="push-feed"),
]
