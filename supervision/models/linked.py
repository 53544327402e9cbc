"""Models of the linked area."""
