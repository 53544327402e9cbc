"""Give every competent department its default linked-supervision rules (idempotent)."""

from django.core.management.base import BaseCommand

from supervision.services.linked import default_subscriptions


class Command(BaseCommand):
    help = "Create the default 联动监管 subscriptions a department does not have yet."

    def handle(self, *args, **options):
        created = default_subscriptions()
        self.stdout.write(f"default subscriptions: {len(created)} created")
