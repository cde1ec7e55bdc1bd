# The workers' heartbeats moved here from the ops app. The table stays where it is
# (ops_workerheartbeat): this migration changes Django's picture of the models, not the database.

from django.db import migrations, models

from zeren.lib.moved_models import content_types_moved


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ops', '0001_worker_heartbeat'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkerHeartbeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('worker_id', models.CharField(max_length=64, unique=True)),
                        ('hostname', models.CharField(max_length=255)),
                        ('pid', models.PositiveIntegerField()),
                        ('started_at', models.DateTimeField(auto_now_add=True)),
                        ('seen_at', models.DateTimeField(db_index=True)),
                        ('stopped_at', models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        'verbose_name': '后台进程心跳',
                        'verbose_name_plural': '后台进程心跳',
                        'db_table': 'ops_workerheartbeat',
                    },
                ),
            ],
            database_operations=[],
        ),
        content_types_moved("ops", "jobs", ("workerheartbeat",)),
    ]
