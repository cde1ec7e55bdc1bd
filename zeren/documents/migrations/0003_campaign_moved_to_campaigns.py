# Campaign now lives in the campaigns app (same table): point the foreign keys there.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0002_importbatch_importitem'),
        ('campaigns', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='documentjob',
                    name='campaign',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign'),
                ),
                migrations.AlterField(
                    model_name='importbatch',
                    name='campaign',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='import_batches', to='campaigns.campaign'),
                ),
            ],
            database_operations=[],
        ),
    ]
