from django.urls import path

from .health import HealthView
from .metrics import metrics

app_name = "monitoring"

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("metrics", metrics, name="metrics"),
]
