"""Sent after the commit that opened or closed objections: usccs (the portal marks disputed records)."""

from django.dispatch import Signal

objections_changed = Signal()
