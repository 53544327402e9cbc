"""Celery tasks of the linked area: thin wrappers over its services."""
