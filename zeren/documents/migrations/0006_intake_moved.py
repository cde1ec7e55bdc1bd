# Word imports and paper checks now live in the intake app (same tables): drop them from this
# app's picture. Nothing changes in the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0005_scancheck'),
        ('intake', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='importitem',
            name='batch',
        ),
        migrations.RemoveField(
            model_name='importitem',
            name='enterprise',
        ),
        migrations.RemoveField(
            model_name='importitem',
            name='self_assessment',
        ),
        migrations.RemoveField(
            model_name='scancheck',
            name='requested_by',
        ),
        migrations.RemoveField(
            model_name='scancheck',
            name='self_assessment',
        ),
        migrations.RemoveField(
            model_name='scancheck',
            name='stored_file',
        ),
        migrations.DeleteModel(
            name='ImportBatch',
        ),
        migrations.DeleteModel(
            name='ImportItem',
        ),
        migrations.DeleteModel(
            name='ScanCheck',
        ),
            ],
            database_operations=[],
        ),
    ]
