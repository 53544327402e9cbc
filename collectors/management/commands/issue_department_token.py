from django.core.management.base import BaseCommand, CommandError

from collectors.services import department_token_issue
from warning_system.registry.models import Department


class Command(BaseCommand):
    help = "Issue a push token for a department and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("code", help="department code, e.g. SCJG")

    def handle(self, *args, code, **options):
        try:
            department = Department.objects.get(code=code.strip().upper())
        except Department.DoesNotExist:
            raise CommandError(f"unknown department code {code!r}; run load_reference_data first") from None
        self.stdout.write(department_token_issue(department=department))
