from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0003_drop_drf_tokens'),
        ('maracs', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='maracs',
            field=models.ManyToManyField(blank=True, related_name='members', to='maracs.marac'),
        ),
    ]
