# Campaign now lives in the campaigns app (same table): point the foreign key there, then drop
# the old model from Django's picture. Nothing changes in the database.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_audit_chain_address_result'),
        ('campaigns', '0001_initial'),
        ('documents', '0003_campaign_moved_to_campaigns'),
        # Every foreign key to Campaign points at the new app before the old model goes.
        ('reports', '0003_campaign_moved_to_campaigns'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='selfassessment',
                    name='campaign',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='self_assessments', to='campaigns.campaign'),
                ),
                migrations.DeleteModel(name='Campaign'),
            ],
            database_operations=[],
        ),
    ]
