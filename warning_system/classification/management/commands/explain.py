import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from warning_system.classification import rules, selectors, services
from warning_system.registry.codes import compact_code
from warning_system.registry.models import Subject


class Command(BaseCommand):
    help = "Why is this subject the colour it is? Evaluated live from its records."

    def add_arguments(self, parser):
        parser.add_argument("uscc")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        from django.utils import timezone

        uscc = compact_code(options["uscc"])
        if not Subject.objects.filter(uscc=uscc).exists():
            raise CommandError(f"no subject with USCC {uscc}")
        day = options["as_of"] or timezone.localdate()
        ruleset = services.ruleset_for(day)
        evaluation = rules.evaluate(ruleset.rules, selectors.subject_records(uscc, ruleset.rules, day), day)
        explained = {"uscc": uscc, **rules.explanation(evaluation)}
        for rule in explained["rules"]:
            rule["records"] = [
                {k: r[k] for k in ("kind", "department", "record_id")} for r in rule["records"]
            ]
        if options["json"]:
            self.stdout.write(json.dumps(explained, ensure_ascii=False))
            return
        self.stdout.write(f"{uscc}: {explained['colour']} (as of {explained['as_of']})")
        for rule in explained["rules"]:
            self.stdout.write(
                f"  {rule['colour']:6} {rule['rule']}: {rule['label']} — until {rule['ends_on'] or 'removed'}"
            )
            for record in rule["records"]:
                self.stdout.write(f"         {record['kind']} {record['department']} {record['record_id']}")
        if explained["next_change"]:
            self.stdout.write(
                f"  next: {explained['next_change']['colour']} on {explained['next_change']['on']}"
            )
