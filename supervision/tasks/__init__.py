"""Celery finds `supervision.tasks`; the tasks live in one module per area."""

from .assessment import *  # noqa: F403
from .dual import *  # noqa: F403
from .inspections import *  # noqa: F403
from .linked import *  # noqa: F403
