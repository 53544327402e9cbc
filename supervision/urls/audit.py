"""Routes of the audit area (see supervision.urls)."""

urlpatterns: list = []
