"""Admin of the linked area."""
