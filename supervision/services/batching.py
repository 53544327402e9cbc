"""Subjects handed to Celery tasks in chunks: a stored file may touch a whole city, and one message
listing every subject costs each ingest process tens of megabytes to serialise."""

from collections.abc import Iterable, Iterator

TASK_CHUNK = 5_000


def chunks(usccs: Iterable[str], size: int = TASK_CHUNK) -> Iterator[list[str]]:
    """The sorted, distinct usccs, `size` at a time."""
    ordered = sorted(set(usccs))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
