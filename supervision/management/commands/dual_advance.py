"""Run the 双告知 job now (beat runs it every 15 minutes): licences in, pool, overdue → written notice."""

import json

from django.core.management.base import BaseCommand

from supervision.services.dual import dual_notifications_advance


class Command(BaseCommand):
    help = "Advance every open 双告知 notification; --sweep also opens those no receiver opened."

    def add_arguments(self, parser):
        parser.add_argument("--sweep", action="store_true", help="after a bulk load, or a lost task")

    def handle(self, *args, sweep: bool, **options):
        self.stdout.write(json.dumps(dual_notifications_advance(sweep=sweep).as_dict(), ensure_ascii=False))
