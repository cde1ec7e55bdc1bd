# Campaign now lives in the campaigns app (same table): point the foreign keys there. Nothing
# changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_initial'),
        ('reports', '0002_framework_mapping'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='arearesult',
                    name='campaign',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign'),
                ),
                migrations.AlterField(
                    model_name='assessmentresult',
                    name='campaign',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign'),
                ),
                migrations.AlterField(
                    model_name='campaignresults',
                    name='campaign',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='campaigns.campaign'),
                ),
                migrations.AlterField(
                    model_name='indicatorresult',
                    name='campaign',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='campaigns.campaign'),
                ),
            ],
            database_operations=[],
        ),
    ]
