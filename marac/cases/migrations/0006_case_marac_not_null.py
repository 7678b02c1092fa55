import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every case now belongs to a MARAC (maracs.0002 placed the existing ones)."""

    dependencies = [
        ('cases', '0005_case_marac'),
        ('maracs', '0002_existing_data_lands_in_one_marac'),
    ]

    operations = [
        migrations.AlterField(
            model_name='case',
            name='marac',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='maracs.marac'),
        ),
    ]
