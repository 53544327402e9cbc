"""The first measures catalogue: the defaults of docs/rules.md §7, in effect from the start."""

import datetime

from django.db import migrations

from warning_system.sanctions.measures import default_measures


def seed(apps, schema_editor):
    MeasuresCatalogue = apps.get_model("sanctions", "MeasuresCatalogue")
    if not MeasuresCatalogue.objects.exists():
        MeasuresCatalogue.objects.create(
            version=1,
            measures=default_measures(),
            effective_from=datetime.date(2000, 1, 1),
            note="系统默认措施",
        )


class Migration(migrations.Migration):
    dependencies = [("sanctions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
