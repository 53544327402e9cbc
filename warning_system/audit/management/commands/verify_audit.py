import json

from django.core.management.base import BaseCommand

from warning_system.audit.verification import CHUNK_SIZE, verify_chain


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain and the anchors of its head; name the first altered, removed, inserted "
        "or truncated entry. Exit status 1 on a problem."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--anchor-file", help="the anchor file to check against (default: settings.AUDIT_ANCHOR_FILE)"
        )
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="entries read per round trip")

    def handle(self, *args, **options):
        result = verify_chain(anchor_path=options["anchor_file"], chunk_size=options["chunk_size"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        elif result.ok:
            self.stdout.write(f"OK: {result.entries} entries, chain intact, {result.anchors} anchors")
            self.stdout.write(f"anchors read from: {', '.join(result.anchors_from)}")
        else:
            self.stderr.write(f"PROBLEM ({result.problem.kind}): {result.problem.message}")
            self.stderr.write(f"checked {result.entries} entries before it, {result.anchors} anchors")
        if not result.ok:
            # SystemExit, not CommandError: the message (or the JSON) is already written as it should read.
            raise SystemExit(1)
