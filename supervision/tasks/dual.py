"""Celery tasks of the dual area: thin wrappers over its services."""
