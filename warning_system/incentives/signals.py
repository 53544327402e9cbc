"""Sent after a new incentives catalogue version commits: whatever shows incentives (the portal's
cached pages) must be shown again under the new catalogue."""

from django.dispatch import Signal

incentives_published = Signal()
