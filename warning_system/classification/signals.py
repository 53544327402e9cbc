"""Signals of the colour engine, for the outer apps (the portal drops cached pages and feeds
watchlists) without the core knowing them."""

from django.dispatch import Signal

# Sent after `classify(..., store=True)` has stored its evaluations: usccs (list of the subjects
# evaluated, or None for the whole city) and day. Every ingest that touched a subject ends here.
colours_stored = Signal()
