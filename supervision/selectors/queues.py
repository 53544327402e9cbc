"""What the workspace home shows: one tile per queue, each area contributing its own."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    count: int
    url: str
