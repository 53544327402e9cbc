"""Routes of the dual area (see supervision.urls)."""

urlpatterns: list = []
