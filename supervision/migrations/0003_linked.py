"""联动监管 and 重点监管: subscriptions, inbox items, key supervisions and their alerts."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0002_dual"),
        ("registry", "0004_subject_name_c"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='KeySupervision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='列入理由')),
                ('starts_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='开始日期')),
                ('ends_on', models.DateField(verbose_name='结束日期')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='列入时间')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='解除时间')),
                ('end_reason', models.TextField(blank=True, verbose_name='解除理由')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='列入人')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='监管部门')),
                ('ended_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='解除人')),
                ('subject', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.subject', verbose_name='市场主体')),
            ],
            options={
                'verbose_name': '重点监管',
                'verbose_name_plural': '重点监管',
                'ordering': ['-starts_on', '-id'],
            },
        ),
        migrations.CreateModel(
            name='KeySupervisionAlert',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=32, verbose_name='数据类型')),
                ('record_pk', models.BigIntegerField(verbose_name='记录行号')),
                ('record_id', models.CharField(max_length=64, verbose_name='记录编号')),
                ('raised_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='提醒时间')),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('note', models.TextField(blank=True, verbose_name='处理说明')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('key_supervision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='alerts', to='supervision.keysupervision', verbose_name='重点监管')),
                ('source_department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='来源部门')),
            ],
            options={
                'verbose_name': '重点监管提醒',
                'verbose_name_plural': '重点监管提醒',
                'ordering': ['-raised_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Subscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='规则名称')),
                ('kinds', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('license', '行政许可'), ('penalty', '行政处罚')], max_length=16), size=None, verbose_name='数据类型')),
                ('licence_categories', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('ordinary', '普通'), ('franchise', '特许'), ('accreditation', '认可'), ('approval', '核准'), ('registration', '登记'), ('other', '其他')], max_length=32), blank=True, default=list, size=None, verbose_name='许可类别')),
                ('certificate_keywords', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=50), blank=True, default=list, size=None, verbose_name='许可证书名称关键词')),
                ('industry_prefixes', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=8), blank=True, default=list, size=None, verbose_name='行业代码前缀')),
                ('district_codes', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=6), blank=True, default=list, size=None, verbose_name='行政区划')),
                ('colours', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('green', '绿色（正常）'), ('yellow', '黄色'), ('orange', '橙色'), ('red', '红色')], max_length=8), blank=True, default=list, size=None, verbose_name='主体颜色')),
                ('active', models.BooleanField(default=True, verbose_name='启用')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='修改时间')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='订阅部门')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
            ],
            options={
                'verbose_name': '联动订阅规则',
                'verbose_name_plural': '联动订阅规则',
                'ordering': ['department_id', 'name'],
            },
        ),
        migrations.CreateModel(
            name='InboxItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('license', '行政许可'), ('penalty', '行政处罚')], max_length=16, verbose_name='数据类型')),
                ('record_pk', models.BigIntegerField(verbose_name='记录行号')),
                ('record_id', models.CharField(max_length=64, verbose_name='记录编号')),
                ('received_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='推送时间')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='阅知时间')),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True, verbose_name='确认时间')),
                ('note', models.TextField(blank=True, verbose_name='处理说明')),
                ('acknowledged_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='确认人')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='接收部门')),
                ('read_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='阅知人')),
                ('source_department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='决定部门')),
                ('subject', models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.subject', verbose_name='市场主体')),
                ('subscription', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='supervision.subscription', verbose_name='匹配规则')),
            ],
            options={
                'verbose_name': '联动监管推送',
                'verbose_name_plural': '联动监管推送',
                'ordering': ['-received_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='keysupervision',
            index=models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['subject'], name='key_supervision_open'),
        ),
        migrations.AddConstraint(
            model_name='keysupervision',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='key_supervision_dates'),
        ),
        migrations.AddIndex(
            model_name='keysupervisionalert',
            index=models.Index(condition=models.Q(('acknowledged_at__isnull', True)), fields=['key_supervision'], name='key_alert_open'),
        ),
        migrations.AddConstraint(
            model_name='keysupervisionalert',
            constraint=models.UniqueConstraint(fields=('key_supervision', 'kind', 'record_pk'), name='key_alert_record'),
        ),
        migrations.AddConstraint(
            model_name='subscription',
            constraint=models.UniqueConstraint(fields=('department', 'name'), name='subscription_department_name'),
        ),
        migrations.AddIndex(
            model_name='inboxitem',
            index=models.Index(fields=['department', '-received_at'], name='inbox_department_received'),
        ),
        migrations.AddIndex(
            model_name='inboxitem',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['department'], name='inbox_unread'),
        ),
        migrations.AddConstraint(
            model_name='inboxitem',
            constraint=models.UniqueConstraint(fields=('department', 'kind', 'record_pk'), name='inbox_department_record'),
        ),
    ]
