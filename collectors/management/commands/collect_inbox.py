import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from collectors.services import collect_inbox


class Command(BaseCommand):
    help = "Process every department folder of the feed inbox once, synchronously."
    # Run from cron on every poll: the system checks (half a second of importing every view) belong
    # to `manage.py check` and deployment, not to each pass over the inbox.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--inbox", default=str(settings.FEED_INBOX), help="inbox folder (default FEED_INBOX)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.INGEST_WORKERS,
            help="department folders processed in parallel (default INGEST_WORKERS)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object with per-file counts")

    def handle(self, *args, inbox, workers, json: bool, **options):
        try:
            report = collect_inbox(Path(inbox), workers=workers)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_json_dumps(report))
            return
        for f in report["files"]:
            line = (
                f"{f['path']}: received {f['received']}, inserted {f['inserted']}, updated {f['updated']}, "
                f"unchanged {f['unchanged']}, stale {f['stale']}, deleted {f['deleted']}, "
                f"quarantined {f['quarantined']}, unresolved {f['unresolved']}"
            )
            self.stdout.write(line + (f" — ERROR: {f['error']}" if f["error"] else ""))
        t = report["totals"]
        self.stdout.write(
            f"{t['files']} files, {t['received']} records: {t['inserted']} inserted, {t['updated']} updated, "
            f"{t['unchanged']} unchanged, {t['stale']} stale, {t['deleted']} deleted, "
            f"{t['quarantined']} quarantined, {t['unresolved']} unresolved; {t['errors']} files rejected"
        )


def _json_dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
