"""Admin of the dual area."""
