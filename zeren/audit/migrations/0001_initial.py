# The audit log moved here from the assessments app. The tables stay where they are
# (assessments_auditevent, assessments_auditchainhead): this migration changes Django's picture
# of the models, not the database.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from zeren.lib.moved_models import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0003_merge_segment_and_security'),
        ('assessments', '0004_campaign_moved_to_campaigns'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_hash', models.CharField(blank=True, max_length=64)),
                ('last_event_id', models.BigIntegerField(null=True)),
                ('anchor_hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'db_table': 'assessments_auditchainhead',
            },
        ),
        migrations.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('action', models.CharField(max_length=100, verbose_name='操作')),
                ('object_type', models.CharField(max_length=50, verbose_name='对象类型')),
                ('object_id', models.CharField(max_length=50, verbose_name='对象')),
                ('before', models.JSONField(blank=True, null=True, verbose_name='变更前')),
                ('after', models.JSONField(blank=True, null=True, verbose_name='变更后')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='时间')),
                ('address', models.GenericIPAddressField(blank=True, null=True, verbose_name='地址')),
                ('user_agent', models.CharField(blank=True, max_length=300, verbose_name='客户端')),
                ('result', models.CharField(choices=[('success', '成功'), ('failure', '失败')], default='success', max_length=10, verbose_name='结果')),
                ('prev_hash', models.CharField(blank=True, max_length=64)),
                ('hash', models.CharField(blank=True, db_index=True, max_length=64)),
                ('actor', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('enterprise', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.enterprise')),
                ('self_assessment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='audit_events', to='assessments.selfassessment')),
            ],
            options={
                'verbose_name': '审计记录',
                'verbose_name_plural': '审计记录',
                'db_table': 'assessments_auditevent',
                'ordering': ['-at', '-pk'],
            },
        ),
            ],
            database_operations=[],
        ),
        content_types_moved("assessments", "audit", ("auditevent", "auditchainhead")),
    ]
