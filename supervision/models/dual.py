"""Models of the dual area."""
