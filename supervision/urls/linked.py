"""Routes of the linked area (see supervision.urls)."""

urlpatterns: list = []
