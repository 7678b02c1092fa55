import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Every referral now belongs to a MARAC (maracs.0002 placed the existing ones)."""

    dependencies = [
        ('referrals', '0004_referral_marac_and_previous_marac'),
        ('maracs', '0002_existing_data_lands_in_one_marac'),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='marac',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='maracs.marac'),
        ),
    ]
