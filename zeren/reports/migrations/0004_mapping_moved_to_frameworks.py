# Now in the frameworks app (same tables): dropped from this app's picture. Nothing changes in
# the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('frameworks', '0002_mapping_moved_to_frameworks'),
        ('reports', '0003_campaign_moved_to_campaigns'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
        migrations.RemoveField(
            model_name='mappingentry',
            name='mapping',
        ),
        migrations.DeleteModel(
            name='FrameworkMapping',
        ),
        migrations.DeleteModel(
            name='MappingEntry',
        ),
            ],
            database_operations=[],
        ),
    ]
