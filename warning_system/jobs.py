"""Background jobs by name: services ask for one, each app's tasks module says how it runs.

Services never import tasks (tasks call services), so the two cannot form an import cycle. A
tasks module registers its Celery task under a name with `@runs("…")`; a service calls
`enqueue_on_commit("…", …)`, which runs the registered callable once the surrounding transaction
commits (a Celery `delay`: in-process without a broker, queued with one). Tasks modules are
imported by their AppConfig.ready, so every process knows every job.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

_RUNNERS: dict[str, Callable[..., object]] = {}


class UnknownJob(LookupError):
    """No tasks module registered this name (its app is not installed, or ready() skipped it)."""


def runs(name: str) -> Callable:
    """Register a Celery task as the way job `name` runs: `task.delay(*args, **kwargs)`."""

    def register(task):
        # Looked up at each call, not bound now: a test (or a deployment) replacing `task.delay`
        # is obeyed.
        _RUNNERS[name] = lambda *args, **kwargs: task.delay(*args, **kwargs)
        return task

    return register


def enqueue(name: str, *args, **kwargs) -> None:
    try:
        runner = _RUNNERS[name]
    except KeyError:
        raise UnknownJob(name) from None
    runner(*args, **kwargs)


def enqueue_on_commit(name: str, *args, **kwargs) -> None:
    """Run job `name` after the current transaction commits (at once outside one)."""
    if name not in _RUNNERS:
        raise UnknownJob(name)
    transaction.on_commit(lambda: enqueue(name, *args, **kwargs))
