import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from warning_system.audit.services import TrailBroken, anchor_line, audit_anchor


class Command(BaseCommand):
    help = (
        "Anchor the audit trail's current head now: a row of the anchors table and a line of "
        "AUDIT_ANCHOR_FILE (beat does this every ten minutes). Exit status 1 when the trail no longer "
        "reaches its last anchor."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the anchor as JSON")

    def handle(self, *args, **options):
        try:
            anchor = audit_anchor()
        except TrailBroken as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(anchor_line(anchor)))
        else:
            at = timezone.localtime(anchor.at)
            self.stdout.write(
                f"anchored entry {anchor.seq} ({anchor.hash[:12]}…) at {at:%Y-%m-%d %H:%M:%S %Z}"
            )
