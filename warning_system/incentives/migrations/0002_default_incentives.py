"""The first incentives catalogue: the defaults of docs/rules.md, in effect from the start."""

import datetime

from django.db import migrations

from warning_system.incentives.catalogue import default_incentives


def seed(apps, schema_editor):
    IncentivesCatalogue = apps.get_model("incentives", "IncentivesCatalogue")
    if not IncentivesCatalogue.objects.exists():
        IncentivesCatalogue.objects.create(
            version=1,
            incentives=default_incentives(),
            effective_from=datetime.date(2000, 1, 1),
            note="系统默认激励措施",
        )


class Migration(migrations.Migration):
    dependencies = [("incentives", "0001_incentives_catalogue")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
