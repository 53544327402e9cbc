"""Anchors record the chain's head at any moment (every ten minutes), no longer one per day.

The daily anchors kept so far become anchors at the end of their day (midnight, China time), the
moment whose head they recorded; the append-only trigger is lifted for that one UPDATE only.
"""

from django.db import migrations, models

FROM_DAYS = """
ALTER TABLE audit_auditanchor DISABLE TRIGGER audit_auditanchor_no_change;
UPDATE audit_auditanchor SET at = (day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai';
ALTER TABLE audit_auditanchor ENABLE TRIGGER audit_auditanchor_no_change;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0005_inspection_policy_action'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='auditanchor',
            options={'ordering': ['at', 'id'], 'verbose_name': '链头锚点', 'verbose_name_plural': '链头锚点'},
        ),
        migrations.AddField(
            model_name='auditanchor',
            name='at',
            field=models.DateTimeField(db_index=True, null=True, verbose_name='锚定时间'),
        ),
        migrations.RunSQL(FROM_DAYS, reverse_sql=migrations.RunSQL.noop),
        migrations.AlterField(
            model_name='auditanchor',
            name='at',
            field=models.DateTimeField(db_index=True, verbose_name='锚定时间'),
        ),
        migrations.RemoveField(
            model_name='auditanchor',
            name='day',
        ),
        migrations.AddField(
            model_name='auditanchor',
            name='id',
            field=models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID'),
        ),
    ]
