import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0004_victim_contact_and_children'),
        ('maracs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='marac',
            # Nullable until maracs.0002 places the existing rows in one MARAC.
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='maracs.marac'),
        ),
    ]
