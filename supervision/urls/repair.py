"""Routes of the repair area (see supervision.urls)."""

urlpatterns: list = []
