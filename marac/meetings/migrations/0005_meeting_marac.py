import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('maracs', '0001_initial'),
        ('meetings', '0004_pack_sign_off_and_labels'),
    ]

    operations = [
        migrations.AddField(
            model_name='meeting',
            name='marac',
            # Nullable until maracs.0002 places the existing rows in one MARAC.
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='meetings', to='maracs.marac'),
        ),
    ]
