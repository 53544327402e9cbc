"""Sent after commit for an entry about a subject (the portal drops that subject's cached page)."""

from django.dispatch import Signal

audit_recorded = Signal()  # entry
