"""Routes of the audit area (see supervision.urls)."""

from django.urls import path

from supervision.views import audit

urlpatterns = [
    path("", audit.audit_search, name="audit_search"),
    path("export.csv", audit.audit_export, name="audit_export"),
]
