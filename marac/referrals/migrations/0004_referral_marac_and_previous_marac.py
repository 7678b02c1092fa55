import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('maracs', '0001_initial'),
        ('referrals', '0003_duplicates_and_link_decisions'),
    ]

    operations = [
        migrations.AddField(
            model_name='referral',
            name='marac',
            # Nullable until maracs.0002 places the existing rows in one MARAC.
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='referrals', to='maracs.marac'),
        ),
        migrations.AddField(
            model_name='referral',
            name='previous_marac',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='maracs.marac'),
        ),
        migrations.AddField(
            model_name='referral',
            name='previous_marac_referred_on',
            field=models.DateField(blank=True, null=True),
        ),
    ]
