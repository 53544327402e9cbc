"""The first ruleset: the defaults of docs/rules.md §2–4, in effect from the start."""

import datetime

from django.db import migrations

from warning_system.classification.rules import DEFAULT_REPAIR, DEFAULT_RULES


def seed(apps, schema_editor):
    Ruleset = apps.get_model("classification", "Ruleset")
    if not Ruleset.objects.exists():
        Ruleset.objects.create(
            version=1,
            rules=DEFAULT_RULES,
            repair=DEFAULT_REPAIR,
            effective_from=datetime.date(2000, 1, 1),
            note="系统默认规则",
        )


class Migration(migrations.Migration):
    dependencies = [("classification", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
