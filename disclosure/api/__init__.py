"""/api/v1/: the JSON API for banks and procurement offices (Django REST framework)."""
