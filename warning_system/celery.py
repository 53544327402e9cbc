"""Celery application. Without a broker (no REDIS_URL) tasks run in-process (eager)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warning_system.settings")

app = Celery("warning_system")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
