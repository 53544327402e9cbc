import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from warning_system.locks import advisory_lock
from warning_system.scheduling.services import schedule_tick


class Command(BaseCommand):
    help = (
        "Run the beat schedule in this process (for a deployment without a broker; with REDIS_URL, "
        "Celery beat does this). --once runs what is due and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, once: bool, **options):
        if settings.REDIS_URL and not once:
            raise CommandError(
                "REDIS_URL is set: Celery beat runs the schedule (celery -A warning_system beat)"
            )
        with advisory_lock("scheduler") as held:
            if not held:
                raise CommandError("another scheduler is running against this database")
            while True:
                tick = schedule_tick()
                for name in tick.ran:
                    self.stdout.write(f"ran {name}")
                for name, error in tick.failed.items():
                    self.stderr.write(f"{name} failed: {error}")
                if once:
                    return
                time.sleep(min(tick.next_in_seconds, 30))
