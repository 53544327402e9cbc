"""/api/v1/ (placeholder until implemented)."""

urlpatterns: list = []
