"""The shared shape of the commands that keep a document's generated blocks current."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from .blocks import BlockError, Document, rewrite


def expected_text(document: Document, make_blocks: Callable[[], dict[str, str]]) -> tuple[str, str]:
    """(the document as it is, the document as the command would write it)."""
    current = document.file.read_text(encoding="utf-8")
    return current, rewrite(document, current, make_blocks())


class DocumentCommand(BaseCommand):
    document: Document
    make_blocks: Callable[[], dict[str, str]]
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="write nothing; exit 1 when the file is not up to date"
        )

    def handle(self, *args, check: bool, **options):
        try:
            current, expected = expected_text(self.document, self.make_blocks)
        except BlockError as exc:
            raise CommandError(str(exc)) from None
        if current == expected:
            self.stdout.write(f"{self.document.path} is up to date.")
            return
        if check:
            raise CommandError(f"{self.document.path} is out of date: run `{self.document.command}`.")
        self.document.file.write_text(expected, encoding="utf-8")
        self.stdout.write(f"{self.document.path} rewritten.")
