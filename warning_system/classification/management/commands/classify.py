import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from warning_system.classification import services


class Command(BaseCommand):
    help = "Recompute subjects' colours: --all for the city, or the given USCCs; --as-of to evaluate another day."

    def add_arguments(self, parser):
        parser.add_argument("usccs", nargs="*")
        parser.add_argument("--all", action="store_true", help="every subject")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--store", action="store_true", help="with --as-of: store the colours of that day"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if not options["all"] and not options["usccs"]:
            raise CommandError("give --all or one or more USCCs")
        store = options["store"] or options["as_of"] is None
        result = services.classify(
            None if options["all"] else options["usccs"], day=options["as_of"], store=store
        )
        if store and options["all"]:
            services.record_daily_counts(result.day)
        summary = {
            "as_of": result.day.isoformat(),
            "ruleset": result.ruleset_version,
            "evaluated": result.evaluated,
            "changed": result.changed,
            "stored": store,
            "counts": result.counts,
            "shares": {
                c: round(n / result.evaluated, 4) if result.evaluated else 0 for c, n in result.counts.items()
            },
        }
        if options["json"]:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            for key, value in summary.items():
                self.stdout.write(f"{key}: {value}")
