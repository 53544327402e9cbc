"""双告知: notifications and their timeline, catalogue revisions, workday overrides, notice numbers."""

import django.contrib.postgres.fields
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("supervision", "0001_initial"),
        ("registry", "0004_subject_name_c"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DualScopeMatch',
            fields=[
                ('subject_uscc', models.CharField(max_length=18, primary_key=True, serialize=False, verbose_name='统一社会信用代码')),
                ('entry_ids', django.contrib.postgres.fields.ArrayField(base_field=models.BigIntegerField(), default=list, size=None, verbose_name='命中的目录事项')),
                ('registration_id', models.BigIntegerField(verbose_name='登记记录')),
                ('registration_hash', models.CharField(max_length=33, verbose_name='登记记录内容摘要')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='更新时间')),
            ],
            options={
                'verbose_name': '经营范围匹配快照',
                'verbose_name_plural': '经营范围匹配快照',
            },
        ),
        migrations.CreateModel(
            name='WorkdayOverride',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True, verbose_name='日期')),
                ('is_workday', models.BooleanField(verbose_name='是否工作日')),
                ('note', models.CharField(blank=True, help_text='例如：春节、国庆节调休上班', max_length=100, verbose_name='说明')),
            ],
            options={
                'verbose_name': '工作日调整',
                'verbose_name_plural': '工作日调整',
                'ordering': ['day'],
            },
        ),
        migrations.CreateModel(
            name='WrittenNoticeSequence',
            fields=[
                ('year', models.PositiveIntegerField(primary_key=True, serialize=False, verbose_name='年度')),
                ('last', models.PositiveIntegerField(default=0, verbose_name='末号')),
            ],
            options={
                'verbose_name': '书面通告编号',
                'verbose_name_plural': '书面通告编号',
            },
        ),
        migrations.CreateModel(
            name='CatalogRevision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(unique=True, verbose_name='版本')),
                ('entries', models.JSONField(verbose_name='目录内容')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='修改时间')),
                ('note', models.TextField(blank=True, verbose_name='修改说明')),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
            ],
            options={
                'verbose_name': '后置审批目录版本',
                'verbose_name_plural': '后置审批目录版本',
                'ordering': ['-version'],
            },
        ),
        migrations.CreateModel(
            name='DualNotification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('trigger', models.CharField(choices=[('established', '新设立登记'), ('scope_change', '经营范围变更')], max_length=16, verbose_name='触发事项')),
                ('registered_on', models.DateField(help_text='成立日期，或经营范围变更的核准日期', verbose_name='登记日期')),
                ('matched_keywords', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(max_length=50), size=None, verbose_name='命中的经营范围关键词')),
                ('catalogue_version', models.PositiveIntegerField(blank=True, null=True, verbose_name='目录版本')),
                ('licence', models.CharField(max_length=100, verbose_name='许可事项')),
                ('legal_basis', models.TextField(blank=True, verbose_name='设定依据')),
                ('status', models.CharField(choices=[('pushed', '待认领'), ('pooled', '共享池'), ('claimed', '已认领待办证'), ('licensed', '已办证'), ('overdue', '逾期待反馈'), ('feedback', '已反馈待办结'), ('closed', '已办结')], db_index=True, default='pushed', max_length=16, verbose_name='状态')),
                ('pushed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='推送时间')),
                ('claim_due', models.DateField(help_text='推送后第 5 个工作日，逾期未认领转入共享池', verbose_name='认领期限')),
                ('licence_due', models.DateField(help_text='登记日期后 30 日', verbose_name='办证期限')),
                ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='认领时间')),
                ('return_reason', models.TextField(blank=True, verbose_name='退回理由')),
                ('pooled_at', models.DateTimeField(blank=True, null=True, verbose_name='转入共享池时间')),
                ('licensed_on', models.DateField(blank=True, null=True, verbose_name='许可决定日期')),
                ('licence_found_at', models.DateTimeField(blank=True, null=True, verbose_name='比对到许可时间')),
                ('overdue_at', models.DateTimeField(blank=True, null=True, verbose_name='逾期预警时间')),
                ('notice_number', models.CharField(blank=True, max_length=40, null=True, unique=True, verbose_name='书面通告文号')),
                ('notice_issued_at', models.DateTimeField(blank=True, null=True, verbose_name='书面通告时间')),
                ('feedback_due', models.DateField(blank=True, null=True, verbose_name='反馈期限')),
                ('feedback', models.CharField(blank=True, choices=[('licensed', '已办证'), ('not_operating', '未开展经营'), ('case_opened', '立案查处'), ('other', '其他')], max_length=16, verbose_name='反馈结果')),
                ('feedback_note', models.TextField(blank=True, verbose_name='反馈说明')),
                ('feedback_at', models.DateTimeField(blank=True, null=True, verbose_name='反馈时间')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='办结时间')),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='更新时间')),
                ('catalogue_entry', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.postlicencecatalogentry', verbose_name='目录事项')),
                ('claimed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='认领部门')),
                ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='办结人')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='审批部门')),
                ('feedback_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='反馈人')),
                ('feedback_department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='反馈部门')),
                ('licence_record', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.license', verbose_name='许可记录')),
                ('registration', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.registration', verbose_name='登记记录')),
                ('returned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='退回部门')),
                ('subject', models.ForeignKey(db_column='subject_uscc', db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.subject', verbose_name='市场主体')),
            ],
            options={
                'verbose_name': '双告知事项',
                'verbose_name_plural': '双告知事项',
                'ordering': ['-pushed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='DualStep',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('step', models.CharField(choices=[('push', '推送'), ('notice', '生成告知书'), ('claim', '认领'), ('return', '退回'), ('pool', '转入共享池'), ('licensed', '比对到许可证'), ('overdue', '逾期预警'), ('written_notice', '生成书面通告'), ('feedback', '反馈'), ('close', '办结')], max_length=16, verbose_name='环节')),
                ('actor_name', models.CharField(help_text='系统自动环节为 system', max_length=150, verbose_name='操作人')),
                ('at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='时间')),
                ('note', models.TextField(blank=True, verbose_name='说明')),
                ('department', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='部门')),
                ('notification', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='steps', to='supervision.dualnotification', verbose_name='双告知事项')),
            ],
            options={
                'verbose_name': '双告知环节',
                'verbose_name_plural': '双告知环节',
                'ordering': ['notification_id', 'at', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='dualnotification',
            index=models.Index(fields=['department', 'status'], name='dual_department_status'),
        ),
        migrations.AddIndex(
            model_name='dualnotification',
            index=models.Index(fields=['claimed_by', 'status'], name='dual_claimed_status'),
        ),
        migrations.AddIndex(
            model_name='dualnotification',
            index=models.Index(fields=['subject'], name='dual_subject'),
        ),
        migrations.AddIndex(
            model_name='dualnotification',
            index=models.Index(fields=['pushed_at'], name='dual_pushed_at'),
        ),
        migrations.AddIndex(
            model_name='dualnotification',
            index=models.Index(condition=models.Q(('status', 'pushed')), fields=['claim_due'], name='dual_claim_due_open'),
        ),
        migrations.AddIndex(
            model_name='dualnotification',
            index=models.Index(condition=models.Q(('status__in', ['pushed', 'pooled', 'claimed'])), fields=['licence_due'], name='dual_licence_due_open'),
        ),
        migrations.AddConstraint(
            model_name='dualnotification',
            constraint=models.UniqueConstraint(fields=('subject', 'licence', 'department', 'registered_on'), name='dual_notification_once'),
        ),
        migrations.AddIndex(
            model_name='dualstep',
            index=models.Index(fields=['notification', 'at'], name='dual_step_timeline'),
        ),
    ]
