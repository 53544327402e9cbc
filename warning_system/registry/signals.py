"""Signals of the registry, for the outer apps (the workspace routes new licences and penalties,
opens 双告知 for new registrations) without the core knowing them."""

from django.dispatch import Signal

# Sent after the transaction that stored a batch commits: kind, department_id, run_id and usccs
# (the subjects whose records of that kind the batch inserted, updated or deleted; rows it changed
# carry run_id = run_id).
records_stored = Signal()
