# Moved here from the reports app. The tables stay where they are: this migration changes
# Django's picture of the models, not the database.

import django.db.models.deletion
from django.db import migrations, models

from zeren.lib.moved_models import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('reports', '0003_campaign_moved_to_campaigns'),
        ('frameworks', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='FrameworkMapping',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('loaded_at', models.DateTimeField(auto_now=True, verbose_name='载入时间')),
                ('source', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.framework', verbose_name='原版本')),
                ('target', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='frameworks.framework', verbose_name='新版本')),
            ],
            options={
                'verbose_name': '指标映射',
                'verbose_name_plural': '指标映射',
                'db_table': 'reports_frameworkmapping',
            },
        ),
        migrations.CreateModel(
            name='MappingEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('same', '不变'), ('renamed', '更名'), ('split', '拆分'), ('merged', '合并'), ('new', '新增'), ('dropped', '删除')], max_length=16, verbose_name='类型')),
                ('source_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='原序号')),
                ('target_number', models.PositiveIntegerField(blank=True, null=True, verbose_name='新序号')),
                ('note', models.CharField(blank=True, max_length=300, verbose_name='说明')),
                ('mapping', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='frameworks.frameworkmapping')),
            ],
            options={
                'verbose_name': '映射条目',
                'verbose_name_plural': '映射条目',
                'db_table': 'reports_mappingentry',
                'ordering': ['mapping', 'pk'],
            },
        ),
        migrations.AddConstraint(
            model_name='frameworkmapping',
            constraint=models.UniqueConstraint(fields=('source', 'target'), name='one_mapping_per_pair'),
        ),
            ],
            database_operations=[],
        ),
        content_types_moved("reports", "frameworks", ('frameworkmapping', 'mappingentry')),
    ]
