# The workers' heartbeats now live in the jobs app (same table): drop them from this app's
# picture. Nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
        ('ops', '0001_worker_heartbeat'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='WorkerHeartbeat')],
            database_operations=[],
        ),
    ]
