"""部门考核: the versioned policy (version 1 = the defaults of docs/rules.md §8), monthly scores, findings."""

import django.contrib.postgres.fields
import django.core.validators
import django.db.models.deletion
import django.db.models.expressions
import django.utils.timezone
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def first_policy(apps, schema_editor):
    """Version 1: the model's defaults (7 working days; weights 40/30/30)."""
    apps.get_model("supervision", "AssessmentPolicy").objects.create(version=1, note="系统默认值")


class Migration(migrations.Migration):

    dependencies = [
        ('registry', '0005_workspace_channel'),
        ('supervision', '0003_linked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AssessmentPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(unique=True, verbose_name='版本')),
                ('deadline_workdays', models.PositiveSmallIntegerField(default=7, help_text='决定作出后第几个工作日内报送为及时（双公示：7 个工作日）', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(60)], verbose_name='报送时限（工作日）')),
                ('weight_timeliness', models.PositiveSmallIntegerField(default=40, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='及时性权重（%）')),
                ('weight_accuracy', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='准确性权重（%）')),
                ('weight_completeness', models.PositiveSmallIntegerField(default=30, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='完整性权重（%）')),
                ('fields_share', models.PositiveSmallIntegerField(default=50, help_text='其余为按期报送数据类型的占比', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='完整性中字段填报占比（%）')),
                ('correction_deduction', models.DecimalField(decimal_places=2, default=Decimal('0.50'), help_text='一条已报送记录后来内容被更正，准确性按扣减这么多条记录计', max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)], verbose_name='每条更正扣减（条）')),
                ('withdrawal_deduction', models.DecimalField(decimal_places=2, default=Decimal('1.00'), help_text='一条记录被部门撤回（op=delete），准确性按扣减这么多条记录计', max_digits=4, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10)], verbose_name='每条撤回扣减（条）')),
                ('runs_per_kind', models.PositiveSmallIntegerField(default=1, help_text='报送合同未规定频次：默认每个应报数据类型每月至少成功报送一次', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(31)], verbose_name='每类数据每月最少报送批次')),
                ('note', models.TextField(blank=True, verbose_name='修改说明')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='生效时间')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='修改人')),
            ],
            options={
                'verbose_name': '部门考核参数',
                'verbose_name_plural': '部门考核参数',
                'ordering': ['-version'],
            },
        ),
        migrations.CreateModel(
            name='DepartmentMonthScore',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('computed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='计算时间')),
                ('timed', models.PositiveIntegerField(default=0, verbose_name='计入及时性的记录')),
                ('late', models.PositiveIntegerField(default=0, verbose_name='逾期报送')),
                ('backfill', models.PositiveIntegerField(default=0, verbose_name='初始补录（不计及时性）')),
                ('received', models.PositiveIntegerField(default=0, verbose_name='接收记录')),
                ('quarantined', models.PositiveIntegerField(default=0, verbose_name='隔离记录')),
                ('corrections', models.PositiveIntegerField(default=0, verbose_name='更正')),
                ('withdrawals', models.PositiveIntegerField(default=0, verbose_name='撤回')),
                ('fields_expected', models.PositiveIntegerField(default=0, verbose_name='应填重要字段')),
                ('fields_filled', models.PositiveIntegerField(default=0, verbose_name='已填重要字段')),
                ('incomplete', models.PositiveIntegerField(default=0, verbose_name='字段不全的记录')),
                ('feeds_expected', models.PositiveSmallIntegerField(default=0, verbose_name='应报数据类型')),
                ('feeds_received', models.PositiveSmallIntegerField(default=0, verbose_name='按期报送的数据类型')),
                ('timeliness', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='及时性')),
                ('accuracy', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='准确性')),
                ('fields_score', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='字段完整')),
                ('feeds_score', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='按期报送')),
                ('completeness', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='完整性')),
                ('total', models.DecimalField(decimal_places=2, max_digits=5, null=True, verbose_name='总分')),
                ('rank', models.PositiveSmallIntegerField(null=True, verbose_name='排名')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='registry.department', verbose_name='部门')),
                ('policy', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='scores', to='supervision.assessmentpolicy', verbose_name='考核参数版本')),
            ],
            options={
                'verbose_name': '部门月度考核',
                'verbose_name_plural': '部门月度考核',
                'ordering': ['-month', 'rank', 'department_id'],
            },
        ),
        migrations.CreateModel(
            name='AssessmentFinding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('problem', models.CharField(choices=[('late', '逾期报送'), ('quarantined', '被隔离'), ('corrected', '报送后更正'), ('withdrawn', '撤回'), ('incomplete', '重要字段缺失'), ('missing_feed', '未按期报送')], max_length=16, verbose_name='扣分原因')),
                ('kind', models.CharField(max_length=32, verbose_name='数据类型')),
                ('row_id', models.BigIntegerField(null=True, verbose_name='记录行号')),
                ('record_id', models.CharField(blank=True, max_length=200, verbose_name='记录编号')),
                ('subject_name', models.TextField(blank=True, verbose_name='主体名称')),
                ('decided_on', models.DateField(null=True, verbose_name='决定日期')),
                ('deadline', models.DateField(null=True, verbose_name='报送期限')),
                ('arrived_at', models.DateTimeField(null=True, verbose_name='接收时间')),
                ('details', django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), default=list, size=None, verbose_name='明细')),
                ('score', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='supervision.departmentmonthscore', verbose_name='月度考核')),
            ],
            options={
                'verbose_name': '扣分记录',
                'verbose_name_plural': '扣分记录',
                'ordering': ['score', 'problem', 'kind', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='assessmentpolicy',
            constraint=models.CheckConstraint(condition=models.Q(('weight_timeliness', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Value(100), '-', models.F('weight_accuracy')), '-', models.F('weight_completeness')))), name='assessment_weights_sum_100'),
        ),
        migrations.AddIndex(
            model_name='departmentmonthscore',
            index=models.Index(fields=['month', 'rank'], name='assessment_month_rank'),
        ),
        migrations.AddConstraint(
            model_name='departmentmonthscore',
            constraint=models.UniqueConstraint(fields=('department', 'month'), name='assessment_department_month'),
        ),
        migrations.AddIndex(
            model_name='assessmentfinding',
            index=models.Index(fields=['score', 'problem', 'kind'], name='assessment_finding_score'),
        ),
        migrations.RunPython(first_policy, migrations.RunPython.noop),
    ]
