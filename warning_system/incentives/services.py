"""Writes of 守信激励: publishing a catalogue version."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import catalogue, selectors
from .models import IncentivesCatalogue
from .signals import incentives_published


class IncentiveError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


def catalogue_publish(
    *, incentives_data: dict, effective_from: date | None = None, author=None, note: str = ""
) -> IncentivesCatalogue:
    """A new version (never an edit in place), in effect from `effective_from` (today or later): what
    was shown before keeps the version it was read from."""
    problems = catalogue.validate(incentives_data)
    if problems:
        raise IncentiveError("invalid_catalogue", "；".join(problems))
    effective_from = effective_from or timezone.localdate()
    if effective_from < timezone.localdate():
        raise IncentiveError("past_date", _("生效日期不能早于今天。"))
    with transaction.atomic():
        latest = IncentivesCatalogue.objects.select_for_update().order_by("-version").first()
        published = IncentivesCatalogue.objects.create(
            version=(latest.version + 1) if latest else 1, incentives=incentives_data,
            effective_from=effective_from, author=author, note=(note or "").strip(),
        )  # fmt: skip
        transaction.on_commit(_announce_catalogue)
    return published


def _announce_catalogue() -> None:
    cache.set(selectors.TOKEN_KEY, uuid.uuid4().hex, timeout=None)
    incentives_published.send(sender=IncentivesCatalogue)
