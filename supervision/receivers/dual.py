"""Receivers of the dual area."""
