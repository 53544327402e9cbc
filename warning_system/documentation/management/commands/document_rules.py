"""Rewrite the generated tables of docs/rules.md from the code's defaults (`--check`: only compare)."""

from warning_system.documentation import defaults
from warning_system.documentation.command import DocumentCommand


class Command(DocumentCommand):
    help = (
        "Rewrite the tables of docs/rules.md between its <!-- defaults:begin/end --> markers from the "
        "defaults the code seeds the versioned rules, repair conditions, 双随机 policy and joint-punishment "
        "measures with. --check: exit 1 if the file differs, writing nothing."
    )
    document = defaults.RULES_DOC
    make_blocks = staticmethod(defaults.blocks)
