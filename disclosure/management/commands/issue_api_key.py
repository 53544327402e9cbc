from django.core.management.base import BaseCommand, CommandError

from disclosure.models import InstitutionKind
from disclosure.services.api_keys import api_key_issue


class Command(BaseCommand):
    help = (
        "Issue an API key for an institution (created if new) and print it: only the key goes to "
        "stdout, so scripts can capture it; only its SHA-256 is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("institution", help="the institution's name, e.g. 南昌银行")
        parser.add_argument(
            "--kind",
            choices=InstitutionKind.values,
            default=InstitutionKind.BANK,
            help="for a new institution",
        )

    def handle(self, *args, institution: str, kind: str, **options):
        try:
            created_for, key = api_key_issue(institution, kind=kind)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"API key issued for {created_for.name} (prefix {key.split('_')[1]}).")
        self.stdout.write(key)
