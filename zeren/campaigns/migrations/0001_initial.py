# Campaign moved here from the assessments app. The table stays where it is
# (assessments_campaign): this migration changes Django's picture of the models, not the database.

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="campaigns", model="campaign").exists():
        ContentType.objects.filter(app_label="assessments", model="campaign").update(
            app_label="campaigns"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="assessments", model="campaign").exists():
        ContentType.objects.filter(app_label="campaigns", model="campaign").update(
            app_label="assessments"
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('frameworks', '0001_initial'),
        ('assessments', '0002_campaign_release_comments_campaign_release_levels_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=200, verbose_name='名称')),
                        ('year', models.PositiveIntegerField(verbose_name='年度')),
                        ('instructions', models.TextField(blank=True, verbose_name='填报说明')),
                        ('opens_at', models.DateTimeField(verbose_name='开始时间')),
                        ('closes_at', models.DateTimeField(verbose_name='截止时间')),
                        ('status', models.CharField(choices=[('draft', '筹备中'), ('open', '进行中'), ('closed', '已截止'), ('archived', '已归档')], default='draft', max_length=16, verbose_name='状态')),
                        ('consolidation_rule', models.CharField(default='median', max_length=16, verbose_name='评审汇总规则')),
                        ('release_levels', models.BooleanField(default=False, verbose_name='向企业公布评审等级')),
                        ('release_comments', models.BooleanField(default=False, verbose_name='向企业公布评审意见')),
                        ('release_scores', models.BooleanField(default=False, verbose_name='向企业公布评审得分')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                        ('framework', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='frameworks.framework', verbose_name='指标体系')),
                    ],
                    options={
                        'verbose_name': '评估工作',
                        'verbose_name_plural': '评估工作',
                        'db_table': 'assessments_campaign',
                        'ordering': ['-year', '-opens_at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
