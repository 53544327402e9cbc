"""What the workspace told an enterprise, for the enterprise's own pages: the 双告知 notices.

The notices live in the workspace app (supervision), which the other outer apps may not import. The
core defines the shape of a notice and a slot; the workspace fills the slot when it starts
(`register_dual_notices`), as it subscribes to the core's signals. Without the workspace installed an
enterprise simply has no notices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class DualNotice:
    """One licence the enterprise was told (告知书) it needs, and where obtaining it stands."""

    pk: int
    licence: str
    department_name: str
    legal_basis: str
    registered_on: date
    licence_due: date
    workdays_left: int
    status: str
    status_label: str
    claimed_by: str | None
    licensed_on: date | None
    matched_keywords: list[str] = field(default_factory=list)

    @property
    def licensed(self) -> bool:
        return self.licensed_on is not None


_dual_notices: list[Callable[[str], list[DualNotice]]] = []


def register_dual_notices(provider: Callable[[str], list[DualNotice]]) -> None:
    if provider not in _dual_notices:
        _dual_notices.append(provider)


def dual_notices(uscc: str) -> list[DualNotice]:
    return [notice for provider in _dual_notices for notice in provider(uscc)]
