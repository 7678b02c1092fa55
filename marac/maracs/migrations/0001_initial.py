from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Marac',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('local_area', models.CharField(blank=True, max_length=200)),
                ('confidentiality_statement', models.TextField(blank=True, help_text="What this MARAC's minutes and packs carry; blank: the deployment's statement.")),
                ('adult_female_population', models.PositiveIntegerField(blank=True, null=True)),
                ('is_active', models.BooleanField(default=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'verbose_name': 'MARAC',
                'verbose_name_plural': 'MARACs',
                'ordering': ['name'],
            },
        ),
    ]
