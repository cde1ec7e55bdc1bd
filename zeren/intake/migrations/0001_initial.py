# Word imports and paper checks moved here from the documents app. The tables stay where they
# are (documents_importbatch, documents_importitem, documents_scancheck): this migration changes
# Django's picture of the models, not the database.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from zeren.lib.moved_models import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_merge_segment_and_security'),
        ('assessments', '0005_audit_moved_to_audit_app'),
        ('campaigns', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('documents', '0005_scancheck'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='ImportBatch',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('status', models.CharField(choices=[('queued', '排队中'), ('running', '读取中'), ('done', '读取完成')], default='queued', max_length=10, verbose_name='状态')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='进度')),
                ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_batches', to='campaigns.campaign')),
                ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '导入批次',
                'verbose_name_plural': '导入批次',
                'db_table': 'documents_importbatch',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='ImportItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('original_name', models.CharField(max_length=255, verbose_name='文件名')),
                ('sha256', models.CharField(db_index=True, max_length=64, verbose_name='SHA-256')),
                ('size', models.BigIntegerField(verbose_name='大小')),
                ('storage_key', models.CharField(max_length=200)),
                ('status', models.CharField(choices=[('pending', '待读取'), ('read', '待确认'), ('failed', '无法读取'), ('duplicate', '重复文件'), ('confirmed', '已导入')], default='pending', max_length=10, verbose_name='状态')),
                ('error_code', models.CharField(blank=True, max_length=40)),
                ('error_message', models.CharField(blank=True, max_length=500, verbose_name='错误')),
                ('form', models.JSONField(blank=True, null=True)),
                ('problems', models.JSONField(default=list)),
                ('business_scope', models.CharField(blank=True, max_length=200, verbose_name='自评业务版块或产品')),
                ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='intake.importbatch')),
                ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.enterprise', verbose_name='企业')),
                ('self_assessment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='assessments.selfassessment')),
            ],
            options={
                'verbose_name': '导入文件',
                'verbose_name_plural': '导入文件',
                'db_table': 'documents_importitem',
                'ordering': ['batch', 'original_name', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ScanCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('status', models.CharField(choices=[('queued', '排队中'), ('running', '识别中'), ('done', '已完成'), ('failed', '无法识别')], default='queued', max_length=10, verbose_name='状态')),
                ('compared_with', models.CharField(blank=True, max_length=40, verbose_name='比对对象')),
                ('result', models.JSONField(default=dict)),
                ('error_code', models.CharField(blank=True, max_length=40)),
                ('error_message', models.CharField(blank=True, max_length=500, verbose_name='错误')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='上传时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('requested_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('self_assessment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scan_checks', to='assessments.selfassessment')),
                ('stored_file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='assessments.storedfile')),
            ],
            options={
                'verbose_name': '纸质版比对',
                'verbose_name_plural': '纸质版比对',
                'db_table': 'documents_scancheck',
                'ordering': ['-created_at', '-pk'],
            },
        ),
            ],
            database_operations=[],
        ),
        content_types_moved("documents", "intake", ("importbatch", "importitem", "scancheck")),
    ]
