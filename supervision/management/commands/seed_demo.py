"""`manage.py seed_demo`: the demo city's history (`make run` calls it after loading the city).

Inspectors of five departments, a published 双随机 task with results and a frozen one waiting for its
draw, credit repair applications (pending, approved, refused), joint-punishment checks with outcomes
(seed_joint_checks), 60 days of colour counts and two months of departments' timeliness: through the
services, every made-up or back-dated row marked as demo data (supervision/services/demo.py). Each
step runs once; running the command again adds nothing.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from supervision.services import demo
from warning_system.registry.models import Subject


class Command(BaseCommand):
    help = "Give the demo city a history: inspections, repairs, checks, colour trend, timeliness (once)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--joint-checks", type=int, default=400, help="joint checks to make (default 400)"
        )
        parser.add_argument(
            "--force", action="store_true", help="run with DEBUG off (never on a real system)"
        )

    def handle(self, *args, force: bool, joint_checks: int, **options):
        if not (settings.DEBUG or force):
            raise CommandError("demo data is made up: only with DEBUG on, or with --force")
        if not Subject.objects.exists():
            raise CommandError("no subjects: load the demo city first (make run)")
        say = self.stdout.write
        say(f"inspectors: {demo.demo_inspectors_seed()} created")
        task = demo.demo_published_task_seed()
        say(f"双随机 published task: {task.number if task else 'already there'}")
        task = demo.demo_frozen_task_seed()
        say(f"双随机 frozen task: {task.number if task else 'already there'}")
        say(f"credit repair applications: {demo.demo_repairs_seed()} created")
        out = io.StringIO()
        call_command("seed_joint_checks", "--checks", str(joint_checks), stdout=out)
        say(out.getvalue().strip())
        say(f"colour history: {demo.demo_colour_history_seed()} days made up")
        say(f"arrivals moved back: {demo.demo_arrivals_backdate()} records")
        months = demo.demo_assess()
        say("assessed: " + ", ".join(f"{m:%Y-%m}" for m in months))
