"""Receivers of the linked area."""
