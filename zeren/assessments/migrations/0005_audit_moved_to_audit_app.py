# The audit log now lives in the audit app (same tables): drop it from this app's picture.
# Nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_campaign_moved_to_campaigns'),
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.DeleteModel(
            name='AuditChainHead',
        ),
        migrations.DeleteModel(
            name='AuditEvent',
        ),
            ],
            database_operations=[],
        ),
    ]
