"""Sent after a new catalogue version commits: whatever shows restrictions (the portal's cached
pages) must be shown again under the new measures."""

from django.dispatch import Signal

catalogue_published = Signal()
