import json
import sys
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from warning_system.classification import services


class Command(BaseCommand):
    help = (
        "Recompute subjects' colours: --all for the city, or the given USCCs; --as-of to evaluate another "
        "day. --verify compares every published colour with its recomputation (exit 1 when any differs); "
        "--fix stores the recomputed ones. --drain evaluates the subjects waiting in the outbox."
    )

    def add_arguments(self, parser):
        parser.add_argument("usccs", nargs="*")
        parser.add_argument("--all", action="store_true", help="every subject")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--store", action="store_true", help="with --as-of: store the colours of that day"
        )
        parser.add_argument(
            "--verify", action="store_true", help="compare published colours with their records"
        )
        parser.add_argument("--fix", action="store_true", help="with --verify: store the recomputed colours")
        parser.add_argument("--drain", action="store_true", help="evaluate the subjects marked in the outbox")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        if options["verify"]:
            return self._verify(options)
        if options["drain"]:
            return self._print(services.evaluations_drain().as_dict(), options["json"])
        if options["fix"]:
            raise CommandError("--fix goes with --verify")
        if not options["all"] and not options["usccs"]:
            raise CommandError("give --all, one or more USCCs, --verify or --drain")
        store = options["store"] or options["as_of"] is None
        result = services.classify(
            None if options["all"] else options["usccs"], day=options["as_of"], store=store
        )
        if store and options["all"]:
            services.daily_counts_record(result.day)
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
        self._print(summary, options["json"])

    def _verify(self, options) -> None:
        result = services.colours_verify(fix=options["fix"], day=options["as_of"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(
                f"as_of: {result.as_of}\nevaluated: {result.evaluated}\ndiffering: {result.differing}\n"
                f"fixed: {result.fixed}\nseconds: {result.seconds}"
            )
            for transition, count in sorted(result.transitions.items()):
                self.stdout.write(f"  {transition}: {count}")
            for subject in result.subjects[:50]:
                what = "reasons differ" if subject["reasons_only"] else "colour differs"
                self.stdout.write(
                    f"  {subject['uscc']}: {subject['stored']} → {subject['computed']} ({what})"
                )
        if result.differing:
            sys.exit(1)

    def _print(self, summary: dict, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps(summary, ensure_ascii=False))
        else:
            for key, value in summary.items():
                self.stdout.write(f"{key}: {value}")
