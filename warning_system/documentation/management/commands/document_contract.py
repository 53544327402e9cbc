"""Rewrite the generated tables of docs/feeds.md from the feed contract (`--check`: only compare)."""

from warning_system.documentation import contract
from warning_system.documentation.command import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Rewrite the tables of docs/feeds.md between its <!-- contract:begin/end --> markers from "
        "warning_system/registry/contract.py, QuarantineReason and the reference departments. "
        "--check: exit 1 if the file differs, writing nothing."
    )
    document = contract.FEEDS
    make_blocks = staticmethod(contract.blocks)
